/**
 * Vite's JS API, the version vitest (this package's test runner) runs on: the package does not list vite
 * itself, so it is found beside vitest. Typed here with only what the bundle-page tests call.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Vite's logger (what `customLogger` takes). */
export interface ViteLogger {
  info(message: string): void;
  warn(message: string): void;
  warnOnce(message: string): void;
  error(message: string): void;
  clearScreen(type: string): void;
  hasErrorLogged(error: unknown): boolean;
  hasWarned: boolean;
}

/** One file of a build's output (Rolldown's OutputChunk or OutputAsset, the fields used here). */
export interface ViteOutputFile {
  readonly type: 'chunk' | 'asset';
  readonly fileName: string;
  /** Chunks: the code. */
  readonly code?: string;
  /** Assets: the bytes or text. */
  readonly source?: string | Uint8Array;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly moduleIds?: readonly string[];
}

/** A preview server of a build. */
export interface VitePreviewServer {
  readonly resolvedUrls: { readonly local: readonly string[] } | null;
  close(): Promise<void>;
}

/** The parts of Vite's API used here. */
export interface ViteApi {
  readonly version: string;
  build(config: object): Promise<{ output: readonly ViteOutputFile[] } | readonly { output: readonly ViteOutputFile[] }[]>;
  preview(config: object): Promise<VitePreviewServer>;
}

/** Vite, imported from where vitest's own dependency on it resolves. */
export async function loadVite(): Promise<ViteApi> {
  const fromHere = createRequire(import.meta.url);
  const fromVitest = createRequire(fromHere.resolve('vitest/package.json'));
  return (await import(/* @vite-ignore */ pathToFileURL(fromVitest.resolve('vite')).href)) as ViteApi;
}
