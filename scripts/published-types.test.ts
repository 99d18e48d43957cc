/**
 * The published declarations type strict code as documented: each file of __fixtures__/published-types
 * (type assertions: expectTypeOf and @ts-expect-error) compiles against the built packages, as the code
 * blocks of the docs do (scripts/docs-code-blocks.test.ts), under node16 and bundler resolution.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { checkCodeBlocks, formatCodeBlockError } from './check-code-blocks.ts';
import { workspaceModules } from './workspace-modules.ts';

const root = resolve(import.meta.dirname, '..');
const dir = 'scripts/__fixtures__/published-types';

it('the published types of every package fit strict code', { timeout: 240_000 }, () => {
  const files = readdirSync(join(root, dir)).filter((name) => name.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(0);
  const blocks = files.map((name) => ({ file: `${dir}/${name}`, line: 1, language: 'ts' as const, code: readFileSync(join(root, dir, name), 'utf8'), indent: 0 }));
  expect(checkCodeBlocks(blocks, { modules: workspaceModules(root) }).map(formatCodeBlockError)).toEqual([]);
});
