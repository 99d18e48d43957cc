/**
 * Builds the page of this folder (index.html, main.js) with Vite's JS API, as an application that installed
 * @rmsprop/backend-cpu would: in a new folder outside the workspace whose node_modules links the package
 * (so that it is resolved through its package.json, exports, "browser" field and dist/, as published) and
 * @rmsprop/core. Everything Vite logs at warning level or above is kept.
 */
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadVite, type ViteApi, type ViteLogger, type ViteOutputFile } from './load-vite.js';

/** A built page. */
export interface BundlePage {
  readonly vite: ViteApi;
  /** The page's project folder (index.html, main.js, node_modules). */
  readonly root: string;
  /** The build's output folder. */
  readonly outDir: string;
  readonly output: readonly ViteOutputFile[];
  /** What Vite logged as warnings (warn and warnOnce). */
  readonly warnings: readonly string[];
  /** What Vite logged as errors. */
  readonly errors: readonly string[];
  /** Deletes the project folder. */
  remove(): void;
}

const PAGE = fileURLToPath(new URL('.', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../..', import.meta.url));

/** A logger that keeps warnings and errors, and drops the rest. */
function keepingLogger(warnings: string[], errors: string[]): ViteLogger {
  return {
    hasWarned: false,
    info() {},
    warn(message) {
      warnings.push(message);
      this.hasWarned = true;
    },
    warnOnce(message) {
      if (!warnings.includes(message)) this.warn(message);
    },
    error(message) {
      errors.push(message);
    },
    clearScreen() {},
    hasErrorLogged: () => false,
  };
}

/** Builds the page (the package's dist/ must be built: `pnpm --filter @rmsprop/backend-cpu build`). */
export async function buildBundlePage(): Promise<BundlePage> {
  const vite = await loadVite();
  const root = mkdtempSync(join(tmpdir(), 'rmsprop-bundle-page-'));
  try {
    for (const file of ['index.html', 'main.js']) copyFileSync(join(PAGE, file), join(root, file));
    mkdirSync(join(root, 'node_modules', '@rmsprop'), { recursive: true });
    symlinkSync(PACKAGE, join(root, 'node_modules', '@rmsprop', 'backend-cpu'), 'dir');
    symlinkSync(realpathSync(join(PACKAGE, 'node_modules', '@rmsprop', 'core')), join(root, 'node_modules', '@rmsprop', 'core'), 'dir');
    const warnings: string[] = [];
    const errors: string[] = [];
    const outDir = join(root, 'dist');
    // As `vite build` runs for an application: NODE_ENV production. Under vitest it is 'test', and Vite then
    // builds otherwise (it does not warn about Node built-ins, and names their stand-in chunks differently).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    let result: Awaited<ReturnType<ViteApi['build']>>;
    try {
      result = await vite.build({
        root,
        configFile: false,
        mode: 'production',
        logLevel: 'warn', // what is kept; Vite's progress lines would go to stdout whatever the logger
        customLogger: keepingLogger(warnings, errors),
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    const output = (Array.isArray(result) ? result : [result]).flatMap((r: { output: readonly ViteOutputFile[] }) => r.output);
    return { vite, root, outDir, output, warnings, errors, remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
