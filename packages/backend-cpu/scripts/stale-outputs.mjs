// The files of dist/ that no source of src/ makes any more: tsc writes src/x.ts to dist/x.js and dist/x.d.ts
// (and their .map files) but never deletes, so an output whose source was renamed or removed (such as
// dist/wasm/kernel-binaries.generated.*, before the two binaries got a module each) would stay in dist/ and
// be published. Tests and fixtures, which the build leaves out, count as gone.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = /(\.d\.ts|\.js)(\.map)?$/;

/** Paths (relative to `packageDir`, with /) of the outputs in dist/ whose source in src/ is gone. */
export function staleOutputs(packageDir) {
  const dist = join(packageDir, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dist.length + 1).split('\\').join('/'))
    .filter((path) => {
      const stem = path.replace(OUTPUT, '');
      if (stem === path) return false; // not something tsc writes
      const built = !/\.test$/.test(stem) && !stem.split('/').includes('__fixtures__');
      return !(built && existsSync(join(packageDir, 'src', `${stem}.ts`)));
    })
    .map((path) => `dist/${path}`)
    .sort();
}
