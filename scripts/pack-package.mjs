// Packs one workspace package the way it is published: `pnpm pack` (workspace: ranges replaced, publishConfig
// applied, `files` honoured), then reads what the tarball holds.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { readTarball } from './read-tarball.mjs';

/**
 * @typedef {object} PackedPackage
 * @property {string} name
 * @property {string} version
 * @property {string} dir the package's directory
 * @property {string} tarball absolute path of the .tgz
 * @property {number} size bytes of the .tgz
 * @property {number} unpackedSize bytes of its files
 * @property {{ path: string, size: number }[]} files every file, path inside the package, in tarball order
 * @property {Record<string, any>} manifest the package.json inside the tarball
 */

/**
 * Runs `pnpm pack` in `dir`, writing the tarball into `destination`, and describes it.
 *
 * @param {string} dir a workspace package's directory
 * @param {string} destination an existing directory for the .tgz
 * @returns {PackedPackage}
 */
export function packPackage(dir, destination) {
  const out = execFileSync('pnpm', ['pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { filename } = /** @type {{ filename: string }} */ (JSON.parse(out.slice(out.indexOf('{'))));
  const contents = readTarball(filename);
  const packageJson = contents.get('package.json');
  if (packageJson === undefined) throw new Error(`${filename} has no package.json`);
  const manifest = JSON.parse(packageJson.toString('utf8'));
  const files = [...contents].map(([path, data]) => ({ path, size: data.length }));
  return {
    name: manifest.name,
    version: manifest.version,
    dir,
    tarball: filename,
    size: statSync(filename).size,
    unpackedSize: files.reduce((sum, f) => sum + f.size, 0),
    files,
    manifest,
  };
}
