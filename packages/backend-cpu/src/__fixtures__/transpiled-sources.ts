/**
 * The package's sources as JavaScript a child Node process can run: every .ts file of src/ (tests and
 * fixtures left out) transpiled, types stripped and nothing checked, into a new folder inside the package,
 * so that `@rmsprop/core` resolves as it does for the package. For tests that run the code as it is now in
 * a process of their own (with flags vitest does not run under); dist/ may be older than src/.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** A folder of transpiled sources: `entry` is the package's index.js there; `remove()` deletes the folder. */
export interface TranspiledSources {
  readonly folder: string;
  readonly entry: string;
  remove(): void;
}

const SRC = resolve(import.meta.dirname, '..');

/** Every .ts file under `dir` that is not a test, a declaration or a fixture. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Transpiles src/ into a new folder under the package's node_modules/.cache. */
export function transpileSources(): TranspiledSources {
  const cache = resolve(SRC, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const folder = mkdtempSync(join(cache, 'transpiled-src-'));
  for (const file of sources(SRC)) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    const out = join(folder, relative(SRC, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  // The folder is its own package scope: it gets the package's "imports" (#worker-threads), whose targets in
  // dist/ are at the same place here (./dist/wasm/x.js → ./wasm/x.js).
  const { imports } = JSON.parse(readFileSync(resolve(SRC, '..', 'package.json'), 'utf8')) as { imports?: unknown };
  const here = JSON.parse(JSON.stringify(imports ?? {}).replaceAll('"./dist/', '"./')) as unknown;
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ type: 'module', imports: here }));
  return { folder, entry: join(folder, 'index.js'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}
