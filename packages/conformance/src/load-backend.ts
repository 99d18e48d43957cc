import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendFactory } from '@rmsprop/core';
import type { ConformanceBackend } from './conformance-implementation.js';

/** The factory of a table row, or why it cannot be had here. */
export type LoadedFactory = { readonly factory: BackendFactory } | { readonly unavailable: string };

/**
 * Import a backend package for the CLI (Node). The package is looked up from `directory` first (the
 * user's project, where they installed the backends they use), then from this package's own location.
 * Backends are plugins: @rmsprop/conformance does not depend on any of them.
 */
export async function loadBackendFactory(entry: ConformanceBackend, directory: string): Promise<LoadedFactory> {
  let resolved: string | undefined;
  for (const base of [join(directory, 'package.json'), import.meta.url]) {
    try {
      resolved = createRequire(base).resolve(entry.module);
      break;
    } catch {
      // try the next place
    }
  }
  if (resolved === undefined) return { unavailable: `${entry.module} is not installed here (npm install ${entry.module})` };
  const mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  const factory = mod[entry.factoryExport];
  if (typeof factory !== 'function') return { unavailable: `${entry.module} has no export ${entry.factoryExport}` };
  return { factory: factory as BackendFactory };
}
