/**
 * `pnpm release:check` (scripts/release-check.mjs) runs: in a scratch copy, the pending changesets version
 * the packages and each packs with published ranges; the working tree is left as it was.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicPackages } from './public-packages.mjs';
import { releaseCheck } from './release-check.mjs';

const root = resolve(import.meta.dirname, '..');

/** The files `changeset version` would change in the working tree, and their contents now. */
function versionedFiles(): string {
  const manifests = publicPackages(root).map(({ dir }) => readFileSync(join(dir, 'package.json'), 'utf8'));
  const changesets = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '.changeset'], { cwd: root, encoding: 'utf8' });
  return JSON.stringify([manifests, changesets]);
}

describe('pnpm release:check', () => {
  it('prints every public package as it would be published, from a scratch copy, leaving the working tree alone', { timeout: 180_000 }, () => {
    const before = versionedFiles();
    const lines: string[] = [];
    const { packed, problems } = releaseCheck(root, { log: (line) => lines.push(line) });
    const output = lines.join('\n');
    expect(problems).toEqual([]);
    const current = publicPackages(root).map((p) => p.manifest as { name: string; version: string });
    expect(packed.map((p) => p.name)).toEqual(current.map((p) => p.name));
    for (const p of packed) {
      expect(output).toContain(`${p.name}@${p.version}\n`);
      expect(output).toMatch(new RegExp(`\\d+ files, .* unpacked, tarball .*`));
      expect(p.files.map((f) => f.path)).toContain('package.json');
    }
    // .changeset/config.json keeps the public packages in one fixed group: they move together, never backwards.
    const released = new Set(packed.map((p) => p.version));
    expect(released.size).toBe(1);
    const [next] = [...released] as [string];
    const numeric = (v: string) => v.split('.').map(Number) as [number, number, number];
    const [a, b, c] = numeric(next);
    const [x, y, z] = numeric(current[0]!.version);
    expect(a * 1e6 + b * 1e3 + c).toBeGreaterThanOrEqual(x * 1e6 + y * 1e3 + z);
    expect(output).toContain('Nothing was published');
    expect(versionedFiles()).toBe(before);
  });
});
