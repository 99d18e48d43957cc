// Reads an npm package tarball (.tgz) into memory, without a tar binary.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * The files of a package tarball, by path inside the package (the leading `package/` removed), in the
 * tarball's order. Only regular files are kept (npm and pnpm write nothing else).
 *
 * @param {string} file path of the .tgz
 * @returns {Map<string, Buffer>}
 */
export function readTarball(file) {
  const tar = gunzipSync(readFileSync(file));
  /** @type {Map<string, Buffer>} */
  const files = new Map();
  let offset = 0;
  /** @type {string | undefined} */
  let longName;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (/** @type {number} */ start, /** @type {number} */ length) =>
      header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      // GNU long name: the next entry's path.
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const path = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type !== '0' && type !== '7') continue;
    files.set(path.replace(/^[^/]+\//, ''), Buffer.from(data));
  }
  return files;
}
