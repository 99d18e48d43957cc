/**
 * @rmsprop/backend-tfjs's peer range on @tensorflow/tfjs-core holds at its low end: the setup installed the
 * lowest version the range admits (with the tfjs cpu and wasm backends and layers of that version) next to
 * the tarballs, and here the backend runs on it (scripts/packed-fixtures/tfjs-smoke.mjs: steps on tfjs cpu
 * and wasm against the CPU backend, the drop-in optimizer, model.fit) and passes the conformance CLI's
 * golden vectors on tfjs-cpu and tfjs-wasm. Below 4.3.0 this fails: tfjs-core 4.0.0 cannot fill a length-0
 * parameter (broadcastTo), and the wasm backend registers no IsFinite kernel before 4.3.0.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshProjectEnv } from './fresh-project-env.js';
import { installedApp, packedContext } from './packed-context.js';

/** float32 ulps of x's scale between a and b. */
function ulpsApart(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b), 2 ** -126);
  return Math.abs(a - b) / 2 ** (Math.floor(Math.log2(scale)) - 23);
}

describe('the lowest @tensorflow/tfjs-core the peer range of @rmsprop/backend-tfjs admits', () => {
  it('is what the workspace tests against or lower, and was installed', () => {
    const { tfjsVersion, app } = installedApp();
    const workspace = createRequire(join(packedContext().root, 'packages', 'backend-tfjs', 'package.json'))('@tensorflow/tfjs-core/package.json') as { version: string };
    console.log(`tfjs peer range: lowest ${tfjsVersion}, workspace ${workspace.version}`);
    const installed = createRequire(join(app, 'package.json'))('@tensorflow/tfjs-core/package.json') as { version: string };
    expect(installed.version).toBe(tfjsVersion);
    expect(tfjsVersion.split('.')[0]).toBe(workspace.version.split('.')[0]);
  });

  it('runs the backend, the drop-in optimizer and model.fit', { timeout: 120_000 }, () => {
    const { app, tfjsVersion } = installedApp();
    copyFileSync(join(import.meta.dirname, 'packed-fixtures', 'tfjs-smoke.mjs'), join(app, 'tfjs-smoke.mjs'));
    const output = execFileSync(process.execPath, ['tfjs-smoke.mjs'], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: freshProjectEnv() });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      tfjsCore: string;
      steps: Record<'cpu' | 'wasm', { w: number[] }> & { expected: number[] };
      dropIn: { before: number; after: number; weights: string[] };
      fit: { first: number; last: number };
    };
    expect(result.tfjsCore).toBe(tfjsVersion);
    for (const name of ['cpu', 'wasm'] as const) {
      const ulps = result.steps[name].w.map((v, i) => ulpsApart(v, result.steps.expected[i]!));
      // The conformance table's float32 bound for tfjs against the spec is 16 ulp; against the CPU backend it
      // has been 0 (bit-identical) on every version tried.
      expect(Math.max(...ulps), `tfjs ${name} vs the CPU backend`).toBeLessThanOrEqual(16);
    }
    expect(result.dropIn.after).toBeLessThan(result.dropIn.before);
    expect(result.dropIn.weights).toEqual(['iter', 'x/rms', 'x/momentum']);
    expect(result.fit.last).toBeLessThan(result.fit.first / 2);
  });

  it('passes the golden vectors on tfjs-cpu and tfjs-wasm (rmsprop-conformance)', { timeout: 120_000 }, () => {
    const { app } = installedApp();
    const run = spawnSync(join(app, 'node_modules', '.bin', 'rmsprop-conformance'), ['--backend', 'tfjs-cpu,tfjs-wasm'], { cwd: app, encoding: 'utf8', env: freshProjectEnv() });
    const summary = run.stdout.trim().split('\n').pop();
    console.log(`tfjs ${installedApp().tfjsVersion}: ${summary}`);
    expect(run.stdout.match(/^Failures:\n(?:  .*\n?)*/m)?.[0] ?? '', run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(summary).toMatch(/^conformance: \d+ passed, 0 failed/);
  });
});
