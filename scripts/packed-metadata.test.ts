/**
 * Every tarball ships its LICENSE and README.md, says where it comes from (license, repository with its
 * directory, homepage, bugs, engines) and links only to files it ships or to https:// pages; and a tarball
 * broken on purpose fails each of these.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenTarball } from './broken-tarball.js';
import { editJsonFile } from './edit-json-file.js';
import { packedContext } from './packed-context.js';
import { packedMetadataProblems, type ExpectedProvenance } from './packed-metadata-problems.js';
import { readTarball } from './read-tarball.mjs';
import { readmeLinkProblems } from './readme-link-problems.js';

const context = packedContext();
const rootManifest = JSON.parse(readFileSync(join(context.root, 'package.json'), 'utf8')) as {
  repository: { url: string };
  engines: { node: string };
};
const expected = (dir: string): ExpectedProvenance => ({
  repositoryUrl: rootManifest.repository.url,
  directory: relative(context.root, dir).split('\\').join('/'),
  engines: rootManifest.engines.node,
});
const scratch = mkdtempSync(join(tmpdir(), 'packed-metadata-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('licence, provenance and links of the packed packages', () => {
  it('every public package packs', () => {
    expect(context.packError).toBeUndefined();
    expect(context.packages.length).toBeGreaterThan(0);
  });

  it.each(context.packages.map((p) => ({ name: p.name, tarball: p.tarball, dir: p.dir })))(
    '$name: LICENSE, README.md, license, repository.directory, homepage, bugs, engines; links stay in the package',
    ({ tarball, dir }) => {
      expect(packedMetadataProblems(readTarball(tarball), expected(dir))).toEqual([]);
    },
  );

  it('fails a tarball without LICENSE, repository.directory, https homepage or engines, and with links out of it', () => {
    const core = context.packages.find((p) => p.name === '@rmsprop/core');
    expect(core, 'the @rmsprop/core tarball').toBeDefined();
    const broken = brokenTarball(core!.tarball, join(scratch, 'broken-core.tgz'), (dir) => {
      rmSync(join(dir, 'LICENSE'));
      editJsonFile(join(dir, 'package.json'), (manifest) => {
        delete manifest.repository.directory;
        manifest.homepage = 'http://example.com';
        delete manifest.engines;
      });
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      writeFileSync(join(dir, 'README.md'), `${readme}\nSee [the spec](../../docs/spec.md) and [the source](src/index.ts).\n`);
    });
    const problems = packedMetadataProblems(readTarball(broken), expected(core!.dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        'LICENSE is not in the tarball',
        expect.stringMatching(/^repository\.directory is undefined/),
        expect.stringMatching(/^homepage is "http:\/\/example\.com"/),
        expect.stringMatching(/^engines\.node is undefined/),
        expect.stringMatching(/README\.md:\d+ \.\.\/\.\.\/docs\/spec\.md: leaves the package/),
        expect.stringMatching(/README\.md:\d+ src\/index\.ts: src\/index\.ts is not in the package/),
      ]),
    );
  });
});

describe('readmeLinkProblems', () => {
  const shipped = new Set(['README.md', 'LICENSE', 'dist/index.js', 'docs/guide.md']);

  it('accepts https links, anchors, shipped files and links inside code', () => {
    const markdown = [
      '[a](https://github.com/rmsprop/rmsprop/blob/main/docs/spec.md#update) [b](#usage) [c](LICENSE) [d](./dist/index.js "title")',
      '![e](docs/guide.md) <https://example.com> <a href="https://example.com/x">x</a>',
      '[ref]: https://example.com/ref',
      'Code: `[x](../outside.md)`',
      '```md',
      '[y](../../docs/spec.md)',
      '```',
    ].join('\n');
    expect(readmeLinkProblems('README.md', markdown, shipped)).toEqual([]);
  });

  it('refuses links that leave the package, name files it does not ship, or are not https', () => {
    const markdown = [
      '[a](../../docs/spec.md) [b](docs/missing.md#x) [c](http://example.com)',
      '[ref]: ../core/README.md',
      '<img src="/logo.png">',
    ].join('\n');
    expect(readmeLinkProblems('README.md', markdown, shipped)).toEqual([
      'README.md:1 ../../docs/spec.md: leaves the package (use an https:// link to the repository)',
      'README.md:1 docs/missing.md#x: docs/missing.md is not in the package',
      'README.md:1 http://example.com: not an https: link',
      'README.md:2 ../core/README.md: leaves the package (use an https:// link to the repository)',
      'README.md:3 /logo.png: leaves the package (use an https:// link to the repository)',
    ]);
  });
});
