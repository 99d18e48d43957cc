/// <reference lib="dom" />
/**
 * The gpu.js backend under a Content-Security-Policy in Chromium (a frame per policy:
 * __fixtures__/open-policy-frame.ts). gpu.js's cpu mode compiles kernels with `new Function`: without
 * 'unsafe-eval' createGpujsBackend rejects with a BackendUnavailableError naming it (gpu.js's own failure is
 * an untyped `"run" not defined on CPUKernel`), and a registry passes over it with that reason. WebGL2 mode
 * compiles kernels to GLSL shaders, not JavaScript: it trains under `script-src 'self'` with no violation,
 * to the same bits as without a policy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPolicyFrame } from './__fixtures__/open-policy-frame.js';
import { trainGpujs } from './__fixtures__/train-gpujs.js';

/** Policies without 'unsafe-eval' in effect for scripts ('wasm-unsafe-eval' allows WebAssembly only). */
const WITHOUT_EVAL = [
  "script-src 'self'",
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
];

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

describe("gpu.js's cpu mode", () => {
  it.each(WITHOUT_EVAL)('under "%s": BackendUnavailableError naming \'unsafe-eval\' and the policy', async (policy) => {
    const frame = await open(policy);
    const result = await frame.create({ mode: 'cpu' });
    expect(result).toHaveProperty('error');
    const { error } = result as Extract<typeof result, { error: unknown }>;
    console.log(`under "${policy}": ${error.name}: ${error.message}`);
    expect(error).toMatchObject({ name: 'BackendUnavailableError', code: 'BACKEND_UNAVAILABLE', backendUnavailable: true });
    expect(error.message).toMatch(/^gpu\.js's cpu mode compiles its kernels with `new Function`, which .* refused here/);
    expect(error.message).toContain("'unsafe-eval'");
    expect(error.message).toContain('Content Security Policy');
    // One report, from the backend's own `new Function('')` check: gpu.js is not asked to build a kernel,
    // and importing it reported nothing.
    expect(await frame.violations()).toEqual([{ directive: 'script-src', blockedURI: 'eval', sourceFile: expect.stringContaining('/code-from-strings.ts') }]);
    expect(frame.evalAllowed()).toMatch(/^EvalError: .*'unsafe-eval' is not an allowed source of script/);
  });

  it("under \"script-src 'self'\": a registry passes over it with the reason and selects the next backend", async () => {
    const frame = await open("script-src 'self'");
    const { name, skipped } = await frame.select();
    expect(name).toBe('cpu');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.name).toBe('gpujs');
    expect(skipped[0]!.reason).toMatch(/^init failed: gpu\.js's cpu mode .*'unsafe-eval'/);
  });

  it("under \"script-src 'self' 'unsafe-eval'\": runs, with no violation", async () => {
    const frame = await open("script-src 'self' 'unsafe-eval'");
    expect(frame.evalAllowed()).toBe(true);
    expect(await frame.create({ mode: 'cpu' })).toEqual({ mode: 'cpu' });
    expect(await frame.train('cpu', 37, 5)).toEqual(await trainGpujs('cpu', 37, 5));
    expect(await frame.violations()).toEqual([]);
  });
});

describe("gpu.js's WebGL2 mode needs no 'unsafe-eval'", () => {
  it.each(["script-src 'self'", "default-src 'self'"])('under "%s": trains to the same bits as without a policy, no violation', async (policy) => {
    const frame = await open(policy);
    expect(await frame.create({ mode: 'webgl2' })).toEqual({ mode: 'webgl2' });
    // The probe's kernel map, then the update kernels of two lengths (each a new shader program).
    for (const length of [37, 1031]) {
      const underPolicy = await frame.train('webgl2', length, 20);
      expect(underPolicy.every(Number.isFinite)).toBe(true);
      expect(underPolicy).toEqual(await trainGpujs('webgl2', length, 20));
    }
    expect(await frame.violations()).toEqual([]);
    // The policy was in force all along: eval is refused (and reported) in the frame.
    expect(frame.evalAllowed()).toMatch(/^EvalError: /);
    expect(await frame.violations()).toEqual([{ directive: 'script-src', blockedURI: 'eval', sourceFile: expect.stringContaining('/policy-frame.ts') }]);
  });

  it("the default mode under \"script-src 'self'\" picks WebGL2", async () => {
    const frame = await open("script-src 'self'");
    expect(await frame.create({ requireGpu: true })).toEqual({ mode: 'webgl2' });
    expect(await frame.create({})).toEqual({ mode: 'webgl2' });
    expect(await frame.violations()).toEqual([]);
    expect(frame.evalAllowed()).toMatch(/^EvalError: /);
  });
});
