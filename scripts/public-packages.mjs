// The workspace packages that are published to npm.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} PublicPackage
 * @property {string} dir the package's directory
 * @property {Record<string, any>} manifest its package.json
 */

/**
 * Every package under `root/packages` whose package.json is not `"private": true`, sorted by directory.
 *
 * @param {string} root the repository root (or a copy of it)
 * @returns {PublicPackage[]}
 */
export function publicPackages(root) {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, 'packages', entry.name))
    .sort()
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
}
