/**
 * publint (strict) and @arethetypeswrong/cli (esm-only profile) on every tarball `pnpm pack` makes, and on
 * one broken on purpose to show both can fail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attwProblems } from './attw-problems.js';
import { brokenTarball } from './broken-tarball.js';
import { editJsonFile } from './edit-json-file.js';
import { packedContext } from './packed-context.js';
import { publicPackages } from './public-packages.mjs';
import { publintProblems } from './publint-problems.js';

const context = packedContext();
const scratch = mkdtempSync(join(tmpdir(), 'packed-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lint of the packed packages', () => {
  it('every public package packs', () => {
    expect(context.packError).toBeUndefined();
    expect(context.packages.map((p) => p.name)).toEqual(publicPackages(context.root).map((p) => p.manifest.name));
  });

  describe.each(context.packages.map((p) => ({ name: p.name, tarball: p.tarball })))('$name', ({ tarball }) => {
    it('publint --strict has nothing to say', async () => {
      expect(await publintProblems(tarball)).toEqual([]);
    });

    it('attw --profile esm-only finds no problem', { timeout: 60_000 }, () => {
      expect(attwProblems(tarball)).toEqual([]);
    });
  });

  it('both fail a tarball whose exports name files it does not ship', { timeout: 60_000 }, async () => {
    const core = context.packages.find((p) => p.name === '@rmsprop/core');
    expect(core, 'the @rmsprop/core tarball').toBeDefined();
    const broken = brokenTarball(core!.tarball, join(scratch, 'broken-core.tgz'), (dir) =>
      editJsonFile(join(dir, 'package.json'), (manifest) => {
        manifest.exports['.'] = { types: './dist/missing.d.ts', import: './dist/index.cjs', default: './dist/index.cjs' };
      }),
    );
    const publint = await publintProblems(broken);
    expect(publint.join('\n')).toMatch(/FILE_DOES_NOT_EXIST.*missing\.d\.ts/);
    expect(publint.join('\n')).toMatch(/FILE_DOES_NOT_EXIST.*index\.cjs/);
    expect(attwProblems(broken).length).toBeGreaterThan(0);
  });
});
