import { inject } from 'vitest';
import type { PackedPackage } from './pack-package.mjs';

/** What scripts/packed-context-setup.ts prepared for the packaging tests, once for all of them. */
export interface PackedContext {
  /** The repository root. */
  root: string;
  /** Every public package, packed with pnpm (sorted by directory); empty when packing failed. */
  packages: PackedPackage[];
  /** Why packing failed, if it did. */
  packError?: string;
  /**
   * A fresh npm project outside the workspace with every tarball installed by npm (no lockfile, optional
   * dependencies omitted), and the lowest @tensorflow/tfjs-core that @rmsprop/backend-tfjs's peer range
   * claims, with the tfjs backends and layers of that version.
   */
  app: string;
  /** Why the install failed, if it did. */
  installError?: string;
  /** The @tensorflow/tfjs-* version installed in `app`. */
  tfjsVersion: string;
  /** Seconds the packing and the install took. */
  seconds: { pack: number; install: number };
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackedContext;
  }
}

/** What the setup prepared, failures included (a test that needs the tarballs checks `packError`). */
export function packedContext(): PackedContext {
  return inject('packed');
}

/** The project with the tarballs installed; throws why when packing or the install failed. */
export function installedApp(): PackedContext {
  const context = inject('packed');
  if (context.packError !== undefined) throw new Error(`packing failed: ${context.packError}`);
  if (context.installError !== undefined) throw new Error(`npm install of the tarballs failed: ${context.installError}`);
  return context;
}
