/**
 * The tarballs `pnpm pack` makes (scripts/packed-context-setup.ts), checked for what they hold and installed
 * with plain npm into a fresh project outside the workspace: the README's usage example runs, and every
 * export of every package loads in Node with `import` and with `require()` (Node ≥ 20.19 requires ESM
 * without a flag), without vitest, which only @rmsprop/conformance/vitest needs (an optional peer).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshProjectEnv } from './fresh-project-env.js';
import { exportSpecifiers, type ExportSpecifier } from './export-specifiers.js';
import { installedApp, packedContext } from './packed-context.js';

const context = packedContext();

function node(app: string, file: string): string {
  return execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: freshProjectEnv() });
}

function readmeUsage(root: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('\n## Usage\n')[1];
  const match = section?.match(/```js\n([\s\S]*?)```/);
  if (!match) throw new Error('README.md has no ```js block under "## Usage"');
  return match[1]!;
}

/** Every export specifier, with the subpath that needs vitest apart. */
const specifiers = context.packages.flatMap(exportSpecifiers);
const VITEST_SUBPATH = '@rmsprop/conformance/vitest';
const loadable = specifiers.filter((s) => s.specifier !== VITEST_SUBPATH);

/** A program that loads each specifier and prints, as JSON, its number of exports or the error. */
function loader(kind: 'import' | 'require', list: readonly ExportSpecifier[]): string {
  const load = (s: ExportSpecifier) =>
    kind === 'require' ? `require(${JSON.stringify(s.specifier)})` : `await import(${JSON.stringify(s.specifier)}${s.json ? ", { with: { type: 'json' } }" : ''})`;
  const body = list.map((s) => `try { out[${JSON.stringify(s.specifier)}] = Object.keys(${load(s)}).length; } catch (e) { out[${JSON.stringify(s.specifier)}] = String(e.code ?? e.name) + ': ' + e.message; }`);
  return ['const out = {};', ...body, 'console.log(JSON.stringify(out));'].join('\n');
}

describe('published packages', () => {
  it('are scoped, ESM, side-effect free, with types in an exports map', () => {
    expect(context.packError).toBeUndefined();
    expect(context.packages.map((p) => p.name)).toContain('@rmsprop/core');
    for (const { manifest } of context.packages) {
      expect(manifest.name).toMatch(/^@rmsprop\//);
      expect(manifest.type).toBe('module');
      expect(manifest.sideEffects).toBe(false);
      const main = manifest.exports?.['.'] as { types?: string; import?: string } | undefined;
      expect(main?.types, `${manifest.name} exports["."].types`).toMatch(/\.d\.ts$/);
      expect(main?.import, `${manifest.name} exports["."].import`).toMatch(/\.js$/);
    }
  });

  it('pack without tests or sources, with declarations, and with no workspace: ranges', () => {
    expect(context.packError).toBeUndefined();
    for (const { name, files, manifest } of context.packages) {
      const paths = files.map((f) => f.path);
      expect(paths, `${name} tarball`).toContain('dist/index.js');
      expect(paths, `${name} tarball`).toContain('dist/index.d.ts');
      expect(paths.filter((f) => /\.test\.|__fixtures__/.test(f)), `${name} ships tests`).toEqual([]);
      expect(paths.filter((f) => f.startsWith('src/')), `${name} ships src`).toEqual([]);
      const deps = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
      for (const [dep, range] of Object.entries(deps)) expect(range, `${name} → ${dep}`).not.toMatch(/^workspace:/);
    }
  });

  it('run the README usage example installed with npm in a fresh project', { timeout: 60_000 }, () => {
    const { app, root } = installedApp();
    writeFileSync(join(app, 'readme-example.mjs'), readmeUsage(root));
    const output = node(app, 'readme-example.mjs');
    expect(output).toMatch(/^backend: cpu \(/m);
    const w = output.match(/^w = \[(-?\d+\.\d+), (-?\d+\.\d+)\]$/m);
    expect(w, output).not.toBeNull();
    // Least squares optimum of y = 3x − 1 is w = [3, −1]; RMSProp with lr 0.01 hovers within ~lr of it.
    expect(Math.abs(Number(w![1]) - 3)).toBeLessThan(0.05);
    expect(Math.abs(Number(w![2]) + 1)).toBeLessThan(0.05);
    expect(output).toMatch(/^state: \d+ bytes$/m);
  });

  it.each(['import', 'require'] as const)('every export of every package loads with %s() in Node', { timeout: 60_000 }, (kind) => {
    const { app } = installedApp();
    const file = kind === 'import' ? 'load-exports.mjs' : 'load-exports.cjs';
    writeFileSync(join(app, file), loader(kind, loadable));
    const loaded = JSON.parse(node(app, file)) as Record<string, number | string>;
    const failed = Object.entries(loaded).filter(([, count]) => typeof count !== 'number' || count === 0);
    expect(failed, `${kind} of ${loadable.length} specifiers`).toEqual([]);
    expect(Object.keys(loaded).sort()).toEqual(loadable.map((s) => s.specifier).sort());
  });

  it('need vitest only for @rmsprop/conformance/vitest, where it is an optional peer', { timeout: 60_000 }, () => {
    const { app } = installedApp();
    const conformance = context.packages.find((p) => p.name === '@rmsprop/conformance')!;
    expect(specifiers.map((s) => s.specifier)).toContain(VITEST_SUBPATH);
    expect(conformance.manifest.peerDependenciesMeta?.vitest?.optional).toBe(true);
    expect(context.packages.filter((p) => p.manifest.dependencies?.vitest !== undefined).map((p) => p.name)).toEqual([]);
    // npm does not install optional peers: vitest is absent, and the other exports loaded above without it.
    expect(spawnSync(process.execPath, ['-e', "require.resolve('vitest')"], { cwd: app, env: freshProjectEnv() }).status).not.toBe(0);
    writeFileSync(join(app, 'load-vitest-subpath.mjs'), loader('import', [{ specifier: VITEST_SUBPATH, json: false }]));
    const loaded = JSON.parse(node(app, 'load-vitest-subpath.mjs')) as Record<string, string>;
    expect(loaded[VITEST_SUBPATH]).toMatch(/^ERR_MODULE_NOT_FOUND: Cannot find package 'vitest'/);
  });
});
