/**
 * Packs every published package with `pnpm pack`, checks what the tarballs contain, installs them into a
 * fresh project outside the workspace with npm, and runs the README's usage example there.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'rmsprop-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Manifest {
  name: string;
  private?: boolean;
  version: string;
  exports?: Record<string, unknown>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  sideEffects?: boolean;
  type?: string;
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest }))
  .filter((p) => p.manifest.private !== true);

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function readmeUsage(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('\n## Usage\n')[1];
  const match = section?.match(/```js\n([\s\S]*?)```/);
  if (!match) throw new Error('README.md has no ```js block under "## Usage"');
  return match[1];
}

describe('published packages', () => {
  const tarballs: string[] = [];

  it('are scoped, ESM, side-effect free, with types in an exports map', () => {
    expect(published.map((p) => p.manifest.name).sort()).toContain('@rmsprop/core');
    for (const { manifest } of published) {
      expect(manifest.name).toMatch(/^@rmsprop\//);
      expect(manifest.type).toBe('module');
      expect(manifest.sideEffects).toBe(false);
      const main = manifest.exports?.['.'] as { types?: string; import?: string } | undefined;
      expect(main?.types, `${manifest.name} exports["."].types`).toMatch(/\.d\.ts$/);
      expect(main?.import, `${manifest.name} exports["."].import`).toMatch(/\.js$/);
    }
  });

  it('pack without tests and with declarations', { timeout: 120_000 }, () => {
    for (const { dir, manifest } of published) {
      const out = run('pnpm', ['pack', '--pack-destination', work], dir);
      const file = out.trim().split('\n').pop()!.trim();
      tarballs.push(file);
      const listing = run('tar', ['-tzf', file], work).split('\n').filter(Boolean);
      expect(listing, `${manifest.name} tarball`).toContain('package/dist/index.js');
      expect(listing, `${manifest.name} tarball`).toContain('package/dist/index.d.ts');
      expect(listing.filter((f) => /\.test\.|__fixtures__/.test(f)), `${manifest.name} ships tests`).toEqual([]);
      expect(listing.filter((f) => f.startsWith('package/src/')), `${manifest.name} ships src`).toEqual([]);
      const packed = JSON.parse(run('tar', ['-xzOf', file, 'package/package.json'], work)) as Manifest;
      const deps = { ...packed.dependencies, ...packed.peerDependencies };
      for (const [dep, range] of Object.entries(deps)) {
        expect(range, `${manifest.name} → ${dep}`).not.toMatch(/^workspace:/);
      }
    }
  });

  it('install in a fresh project outside the workspace and run the README usage example', { timeout: 180_000 }, () => {
    expect(tarballs.length).toBe(published.length);
    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'readme-example', private: true, type: 'module' }));
    // --omit=optional: gpu.js (backend-gpujs's peer) lists headless-gl as optional, and npm would build it from
    // source (minutes, and an X server to use it); the README example does not need it.
    run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--omit=optional', ...tarballs], app);
    writeFileSync(join(app, 'example.mjs'), readmeUsage());
    const output = run('node', ['example.mjs'], app);
    expect(output).toMatch(/^backend: cpu \(/m);
    const w = output.match(/^w = \[(-?\d+\.\d+), (-?\d+\.\d+)\]$/m);
    expect(w, output).not.toBeNull();
    // Least squares optimum of y = 3x − 1 is w = [3, −1]; RMSProp with lr 0.01 hovers within ~lr of it.
    expect(Math.abs(Number(w![1]) - 3)).toBeLessThan(0.05);
    expect(Math.abs(Number(w![2]) + 1)).toBeLessThan(0.05);
    expect(output).toMatch(/^state: \d+ bytes$/m);
  });
});
