/// <reference lib="dom" />
/**
 * What the tfjs backend needs of a Content-Security-Policy in Chromium, over TensorFlow.js's cpu, webgl and
 * webgpu backends (a frame per policy: __fixtures__/open-policy-frame.ts): none needs 'unsafe-eval' or
 * 'wasm-unsafe-eval'. Each trains under `script-src 'self'` to the same bits as without a policy. The one
 * violation such a policy reports comes from importing tfjs-core: the `long` package it bundles compiles a
 * tiny WebAssembly module at load for 64-bit multiplication, in a try/catch, and uses JavaScript when that
 * is refused. (tfjs's wasm backend needs 'wasm-unsafe-eval' and connect-src for its .wasm file: measured by
 * the playground's tests, apps/playground.)
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { afterEach, describe, expect, it } from 'vitest';
import { openPolicyFrame } from './__fixtures__/open-policy-frame.js';
import { trainTfjs } from './__fixtures__/train-tfjs.js';
import { webgpuUnavailable } from './__fixtures__/webgpu-availability.js';

const unavailable = await webgpuUnavailable();
const BACKENDS = unavailable === undefined ? ['cpu', 'webgl', 'webgpu'] : ['cpu', 'webgl'];
if (unavailable !== undefined) console.warn(`tfjs webgpu under a CSP not measured: ${unavailable}`);

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

async function open(policy: string) {
  const frame = await openPolicyFrame(policy);
  close = frame.close;
  return frame;
}

describe('the tfjs backend under a Content-Security-Policy', () => {
  it.each(["script-src 'self'", "default-src 'self'"])(
    `under "%s": ${BACKENDS.join(', ')} train to the same bits as without a policy; the one violation is tfjs-core's long.js probe`,
    async (policy) => {
      const frame = await open(policy);
      const atImport = await frame.violations();
      expect(atImport).toHaveLength(1);
      expect(atImport[0]).toMatchObject({ directive: 'script-src', blockedURI: 'wasm-eval' });
      // The module that compiled it is tfjs-core's hash_util with long.js bundled in (its `wasm = new
      // WebAssembly.Instance(new WebAssembly.Module(...))` in a try/catch).
      const source = await (await fetch(atImport[0]!.sourceFile)).text();
      expect(source).toContain('module.exports = Long');
      for (const backend of BACKENDS) {
        const result = await frame.train(backend, 10);
        expect(result, backend).toEqual({ params: await trainTfjs(backend, 10) });
      }
      expect(await frame.violations()).toEqual(atImport);
    },
  );

  it(`under "script-src 'self' 'wasm-unsafe-eval'": ${BACKENDS.join(', ')} train, no violation at all`, async () => {
    const frame = await open("script-src 'self' 'wasm-unsafe-eval'");
    for (const backend of BACKENDS) expect(await frame.train(backend, 10), backend).toEqual({ params: await trainTfjs(backend, 10) });
    expect(await frame.violations()).toEqual([]);
  });
});
