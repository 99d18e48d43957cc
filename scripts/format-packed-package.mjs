// What a packed package would publish, as text for people: name@version, every file with its size, totals.

/**
 * Bytes as npm prints them (kB = 1000 bytes).
 *
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/**
 * `name@version`, its dependencies and peer dependencies as published, the files (size, path) and the
 * tarball's size, unpacked size and file count.
 *
 * @param {import('./pack-package.mjs').PackedPackage} packed
 * @returns {string}
 */
export function formatPackedPackage(packed) {
  const width = Math.max(...packed.files.map((f) => formatBytes(f.size).length));
  const ranges = (/** @type {string} */ field) =>
    Object.entries(packed.manifest[field] ?? {}).map(([name, range]) => `${name} ${range}`).join(', ');
  return [
    `${packed.name}@${packed.version}`,
    ...['dependencies', 'peerDependencies', 'optionalDependencies']
      .filter((field) => Object.keys(packed.manifest[field] ?? {}).length > 0)
      .map((field) => `  ${field}: ${ranges(field)}`),
    ...packed.files.map((f) => `  ${formatBytes(f.size).padStart(width)}  ${f.path}`),
    `  ${packed.files.length} files, ${formatBytes(packed.unpackedSize)} unpacked, tarball ${formatBytes(packed.size)}`,
  ].join('\n');
}
