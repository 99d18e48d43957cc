/**
 * vitest globalSetup of the root's packaging tests: packs every public package once (`pnpm pack`, as
 * published) and installs the tarballs once with plain npm into a fresh project outside the workspace, next
 * to the lowest @tensorflow/tfjs-core that @rmsprop/backend-tfjs's peer range admits. The test files read the
 * result with `packedPackages()`/`installedApp()` (scripts/packed-context.ts); a failure here is reported by
 * every test that needs what failed, not as a crash of the run. Everything is removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freshProjectEnv } from './fresh-project-env.js';
import { lowestVersion } from './lowest-version.js';
import { packPackage, type PackedPackage } from './pack-package.mjs';
import type { PackedContext } from './packed-context.js';
import { publicPackages } from './public-packages.mjs';

/** The tfjs packages installed next to the tarballs, at the version @rmsprop/backend-tfjs's peer range starts at. */
const TFJS_PACKAGES = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-layers'];

function describeFailure(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return `${message ?? String(error)}\n${stderr ?? ''}`.trim().slice(-4000);
}

export default function setup(project: TestProject): () => void {
  const root = resolve(import.meta.dirname, '..');
  const work = mkdtempSync(join(tmpdir(), 'rmsprop-packed-'));
  const tarballs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  const context: PackedContext = { root, packages: [], app, tfjsVersion: '', seconds: { pack: 0, install: 0 } };

  let started = performance.now();
  try {
    context.packages = publicPackages(root).map(({ dir }) => packPackage(dir, tarballs));
  } catch (error) {
    context.packError = describeFailure(error);
  }
  context.seconds.pack = (performance.now() - started) / 1000;

  started = performance.now();
  if (context.packError !== undefined) {
    context.installError = 'nothing to install: packing failed';
  } else {
    try {
      const tfjs = context.packages.find((p: PackedPackage) => p.name === '@rmsprop/backend-tfjs');
      const range = tfjs?.manifest.peerDependencies?.['@tensorflow/tfjs-core'];
      if (typeof range !== 'string') throw new Error('@rmsprop/backend-tfjs has no peer dependency on @tensorflow/tfjs-core');
      context.tfjsVersion = lowestVersion(range);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true, type: 'module' }, null, 2));
      // --omit=optional: gpu.js (backend-gpujs's peer) lists headless-gl as optional, and npm would build it
      // from source (minutes, and an X server to use it); nothing here needs it. No lockfile: what a user's
      // first install would resolve today.
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--no-package-lock', '--omit=optional', ...context.packages.map((p) => p.tarball), ...TFJS_PACKAGES.map((name) => `${name}@${context.tfjsVersion}`)],
        { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: freshProjectEnv() },
      );
    } catch (error) {
      context.installError = describeFailure(error);
    }
  }
  context.seconds.install = (performance.now() - started) / 1000;
  console.log(`packed ${context.packages.length} packages in ${context.seconds.pack.toFixed(1)} s, installed them with npm in ${context.seconds.install.toFixed(1)} s`);

  project.provide('packed', context);
  return () => rmSync(work, { recursive: true, force: true });
}
