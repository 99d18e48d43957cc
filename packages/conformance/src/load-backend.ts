import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendFactory } from '@rmsprop/core';
import type { ConformanceBackend } from './conformance-implementation.js';
import { resolveFrom } from './resolve-from.js';

/** The factory of a table row, or why it cannot be had here. */
export type LoadedFactory = { readonly factory: BackendFactory } | { readonly unavailable: string };

/**
 * Import a backend package for the CLI (Node). The package is looked up from `directory` first (the
 * user's project, where they installed the backends they use), then from this package's own location.
 * Backends are plugins: @rmsprop/conformance does not depend on any of them.
 */
export async function loadBackendFactory(entry: ConformanceBackend, directory: string): Promise<LoadedFactory> {
  const resolved = resolveFrom(entry.module, [join(directory, 'package.json'), import.meta.url]);
  if (resolved === undefined) return { unavailable: `${entry.module} is not installed here (npm install ${entry.module})` };
  for (const setup of entry.setup ?? []) {
    // Next to the user's project first, then next to the backend package (its own dependencies).
    const path = resolveFrom(setup, [join(directory, 'package.json'), resolved]);
    if (path === undefined) return { unavailable: `${setup} is not installed here (npm install ${setup})` };
    await import(pathToFileURL(path).href);
  }
  const mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  const factory = mod[entry.factoryExport];
  if (typeof factory !== 'function') return { unavailable: `${entry.module} has no export ${entry.factoryExport}` };
  if (!('factoryOptions' in entry)) return { factory: factory as BackendFactory };
  const options = entry.factoryOptions;
  return { factory: () => (factory as (options: unknown) => ReturnType<BackendFactory>)(options) };
}
