/**
 * Every ```ts and ```js block of the READMEs and docs/ compiles, under `strict`, as a module of a project that
 * installs the published packages (their built dist, through their package.json exports): once with
 * module/moduleResolution node16 and once with module esnext and moduleResolution bundler (js blocks with
 * checkJs). A block that is not meant to compile on its own is marked ```js no-check (or ```ts no-check);
 * shell, JSON and text blocks are not checked. Runs after the build (`pnpm test` builds first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCodeBlocks, formatCodeBlockError, type CodeBlockError } from './check-code-blocks.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';
import { workspaceModules } from './workspace-modules.ts';

const root = resolve(import.meta.dirname, '..');

/** README.md, docs/*.md, and each package's and app's README.md, relative to the root. */
function markdownFiles(): string[] {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group))) {
      const readme = `${group}/${dir}/README.md`;
      if (existsSync(join(root, readme))) files.push(readme);
    }
  }
  return files;
}

const blocks = markdownFiles().flatMap((file) => extractCodeBlocks(readFileSync(join(root, file), 'utf8'), file));
let errors: CodeBlockError[] = [];

describe('code blocks in the docs', () => {
  beforeAll(() => {
    errors = checkCodeBlocks(blocks, { modules: workspaceModules(root) });
  }, 240_000);

  it('include the root README usage example', () => {
    expect(blocks.some((b) => b.file === 'README.md' && b.code.includes('gradientBuffer'))).toBe(true);
  });

  it.each(blocks.map((block) => [`${block.file}:${block.line} (${block.language})`, block] as const))('%s compiles', (_, block) => {
    expect(errors.filter((e) => e.block === block).map(formatCodeBlockError)).toEqual([]);
  });
});
