import type { PackedPackage } from './pack-package.mjs';

/** One import specifier a package's exports map offers, and whether it is JSON. */
export interface ExportSpecifier {
  specifier: string;
  json: boolean;
}

/**
 * Every specifier a packed package's exports map lets users import: `name` for ".", `name/sub` for each
 * subpath, and for a pattern (`./vectors/*.json`) the first shipped file it matches. `./package.json` is
 * left out.
 */
export function exportSpecifiers(packed: PackedPackage): ExportSpecifier[] {
  const exportsMap = (packed.manifest.exports ?? {}) as Record<string, unknown>;
  const specifiers: ExportSpecifier[] = [];
  for (const subpath of Object.keys(exportsMap)) {
    if (subpath === './package.json') continue;
    let resolved = subpath;
    if (subpath.includes('*')) {
      const [before, after] = subpath.slice(2).split('*') as [string, string];
      const match = packed.files.find((f) => f.path.startsWith(before) && f.path.endsWith(after) && f.path.length > before.length + after.length);
      if (match === undefined) throw new Error(`${packed.name}: no shipped file matches the exports pattern ${subpath}`);
      resolved = `./${match.path}`;
    }
    specifiers.push({ specifier: resolved === '.' ? packed.name : `${packed.name}/${resolved.slice(2)}`, json: resolved.endsWith('.json') });
  }
  return specifiers;
}
