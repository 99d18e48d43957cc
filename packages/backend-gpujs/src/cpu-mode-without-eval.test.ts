/**
 * gpu.js's cpu mode compiles each kernel to JavaScript with `new Function`. Where code from strings is
 * refused (a Content-Security-Policy without 'unsafe-eval' in a browser; `--disallow-code-generation-from-strings`
 * in Node), createGpujsBackend rejects with a BackendUnavailableError saying so, so that a registry falls
 * back with the reason, instead of gpu.js's untyped `"run" not defined on CPUKernel`. Simulated here by a
 * global `Function` that refuses to compile, as V8 does then (the real policy in Chromium:
 * browser/content-security-policy.browser.test.ts).
 */
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { BackendRegistry, BackendUnavailableError, RMSPropError } from '@rmsprop/core';
import gpujs, { type GPU } from 'gpu.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';

/** What V8 throws in Node when code generation from strings is disallowed. */
const REFUSAL = 'Code generation from strings disallowed for this context';

/** Replaces the global `Function` with one that refuses to compile source text (called or constructed). */
function refuseCodeFromStrings(): void {
  const refuse = (): never => {
    throw new EvalError(REFUSAL);
  };
  vi.stubGlobal('Function', new Proxy(Function, { apply: refuse, construct: refuse }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe("gpu.js's cpu mode where code from strings is refused", () => {
  it("mode 'cpu': a BackendUnavailableError naming new Function, 'unsafe-eval' and the engine's words", async () => {
    refuseCodeFromStrings();
    const error = await rejection(createGpujsBackend({ mode: 'cpu' }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as RMSPropError).code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/^gpu\.js's cpu mode compiles its kernels with `new Function`/);
    expect(error.message).toContain("'unsafe-eval'");
    expect(error.message).toContain(`EvalError: ${REFUSAL}`);
  });

  it("mode 'gpu' with no GPU mode here (Node without headless-gl): says both, where cpu mode was the fallback", async () => {
    refuseCodeFromStrings();
    const error = await rejection(createGpujsBackend());
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toMatch(/no GPU mode of gpu\.js works here .*; its cpu mode compiles its kernels with `new Function`/);
    expect(error.message).toContain("'unsafe-eval'");
  });

  it('a cpu-mode GPU passed in: the same error, and the GPU stays the caller\'s (not destroyed)', async () => {
    const GPUClass = (gpujs as unknown as { GPU: new (settings: object) => GPU }).GPU;
    const gpu = new GPUClass({ mode: 'cpu' });
    const destroy = vi.spyOn(gpu, 'destroy');
    refuseCodeFromStrings();
    const error = await rejection(createGpujsBackend({ gpu }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toContain("'unsafe-eval'");
    expect(destroy).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
    gpu.destroy();
  });

  it("a kernel that falls back to cpu mode while it builds (gpu.js does where a GL build fails): the same error", async () => {
    // A stand-in for gpu.js's run shortcut: a WebGL2 kernel that, when run, switches to a cpu-mode kernel
    // (as gpu.js's onRequestFallback does) whose compilation is refused.
    const classes = gpujs as unknown as Record<'WebGL2Kernel' | 'CPUKernel', { prototype: object }>;
    const shortcut = Object.assign(
      () => {
        shortcut.kernel = Object.create(classes.CPUKernel.prototype) as object;
        // gpu.js's CPUKernel.build logs the refusal and leaves `run` undefined; its run then throws.
        try {
          new Function('return 1');
        } catch {
          throw new Error('"run" not defined on CPUKernel');
        }
        throw new Error('expected the refusal');
      },
      { kernel: Object.create(classes.WebGL2Kernel.prototype) as object, destroy: () => {} },
    );
    const gpu = { createKernelMap: () => shortcut, createKernel: () => shortcut, destroy: () => {} } as unknown as GPU;
    refuseCodeFromStrings();
    const error = await rejection(createGpujsBackend({ gpu }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toMatch(/^gpu\.js's cpu mode compiles its kernels with `new Function`.*'unsafe-eval'/);
  });

  it('a registry passes over it with the reason and picks the next backend', async () => {
    refuseCodeFromStrings();
    const registry = new BackendRegistry().register('gpujs', () => createGpujsBackend({ mode: 'cpu' }), 10).register('cpu', () => createCpuBackend({ kernel: 'js' }), 0);
    const { name, backend, skipped } = await registry.select();
    expect(name).toBe('cpu');
    expect(skipped.map((s) => s.name)).toEqual(['gpujs']);
    expect(skipped[0]!.reason).toMatch(/^init failed: .*'unsafe-eval'/);
    backend.dispose();
  });

  it('where code from strings is allowed, cpu mode runs as before', async () => {
    const backend = await createGpujsBackend({ mode: 'cpu' });
    expect(backend.mode).toBe('cpu');
    backend.dispose();
  });
});
