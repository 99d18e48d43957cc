/**
 * createCpuBackend's options and its choice of kernel: 'auto' (the default) runs the WebAssembly SIMD kernel
 * where it can and the JS loops elsewhere, saying why; 'wasm-simd' runs it or rejects with the reason; 'js'
 * runs the JS loops. Where the kernel cannot run is simulated: `instantiateKernels` mocked to return a
 * reason, no WebAssembly at all, a memory that cannot be allocated, and an engine that refuses to compile
 * the module (as a Content-Security-Policy without 'wasm-unsafe-eval' does).
 */
import { ArgumentError, BackendRegistry, BackendUnavailableError, RMSPropOptimizer, RMSPropError } from '@rmsprop/core';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { transpileSources } from './__fixtures__/transpiled-sources.js';
import { JsLoopBackend } from './js-loop-backend.js';
import { createCpuBackend, type CpuBackendOptions } from './create-cpu-backend.js';
import { WasmSimdBackend } from './wasm/wasm-simd-backend.js';
import { instantiateKernels } from './wasm/wasm-kernels.js';

// The real instantiateKernels unless a test says otherwise (mockResolvedValueOnce).
vi.mock('./wasm/wasm-kernels.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./wasm/wasm-kernels.js')>();
  return { ...actual, instantiateKernels: vi.fn(actual.instantiateKernels) };
});

const instantiate = vi.mocked(instantiateKernels);

afterEach(() => {
  vi.unstubAllGlobals();
  instantiate.mockClear();
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

/** A trained step on `backend`, to show that it works. */
function trains(backend: JsLoopBackend | WasmSimdBackend): void {
  const w = new Float64Array([1, -2, 3]);
  const optimizer = new RMSPropOptimizer({ backend, params: { w }, learningRate: 0.1 });
  optimizer.step({ w: new Float64Array([1, -1, 1]) });
  expect(Array.from(w).map((x) => Math.round(x * 1000) / 1000)).toEqual([0.684, -1.684, 2.684]);
}

describe('the kernel it picks', () => {
  it.each([[undefined], [{}], [{ kernel: 'auto' as const }], [{ kernel: 'auto' as const, arenaBytes: 1 << 20 }]])(
    'default and auto (%j): the WebAssembly SIMD kernel here',
    async (options) => {
      const backend = await createCpuBackend(options);
      expect(backend).toBeInstanceOf(WasmSimdBackend);
      expect(backend.capabilities.details.kernel).toBe('wasm-simd');
      expect(backend.capabilities.details.memory).toBe('shared'); // Node has shared memory: arenaBytes unused
      expect(backend.capabilities.details.fallbackReason).toBeUndefined();
      expect(backend.capabilities.bufferLocation).toBe('wasm-memory');
      expect(instantiate).toHaveBeenCalledTimes(1);
      trains(backend);
    },
  );

  it("'wasm-simd': the WebAssembly SIMD kernel", async () => {
    const backend = await createCpuBackend({ kernel: 'wasm-simd' });
    expect(backend).toBeInstanceOf(WasmSimdBackend);
    expect(backend.capabilities.details.kernel).toBe('wasm-simd');
    trains(backend);
  });

  it("'js': the JS loops (JsLoopBackend), without touching WebAssembly", async () => {
    const backend = await createCpuBackend({ kernel: 'js' });
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.name).toBe('cpu');
    expect(backend.capabilities.details.kernel).toBe('js');
    expect(backend.capabilities.bufferLocation).toBe('js-heap');
    expect(backend.capabilities.details.fallbackReason).toBeUndefined();
    expect(instantiate).not.toHaveBeenCalled();
    trains(backend);
  });

  it('works as a BackendRegistry factory', async () => {
    const { name, backend } = await new BackendRegistry().register('cpu', createCpuBackend, 100).select();
    expect(name).toBe('cpu');
    expect(backend.capabilities.details.kernel).toBe('wasm-simd');
  });
});

describe('options', () => {
  const expectArgumentError = async (options: unknown, field: string, message: RegExp) => {
    const error = await rejection(createCpuBackend(options as CpuBackendOptions));
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).code).toBe('INVALID_ARGUMENT');
    expect((error as ArgumentError).field).toBe(field);
    expect(error.message).toMatch(message);
  };

  it('an unknown option key is refused, naming it (a misspelt option never passes silently)', async () => {
    await expectArgumentError({ kernal: 'js' }, 'options.kernal', /^options\.kernal = "js" is not allowed; expected kernel, arenaBytes or threads$/);
    await expectArgumentError({ kernel: 'js', arena_bytes: 1 }, 'options.arena_bytes', /^options\.arena_bytes = 1 is not allowed/);
  });

  it('a bad kernel is refused, naming options.kernel (undefined or null mean the default)', async () => {
    for (const kernel of ['wasm', 'JS', '', 1, false]) {
      await expectArgumentError({ kernel }, 'options.kernel', /^options\.kernel = .* is not allowed; expected 'auto', 'wasm-simd' or 'js'$/);
    }
  });

  it('a bad arenaBytes is refused, naming options.arenaBytes, whichever kernel is asked for', async () => {
    for (const kernel of ['auto', 'wasm-simd', 'js'] as const) {
      for (const arenaBytes of [0, -1, 1000, NaN, Infinity, 2 ** 32 + 1, '64MB', false]) {
        await expectArgumentError({ kernel, arenaBytes }, 'options.arenaBytes', /^options\.arenaBytes = .* is not allowed; expected a number of bytes from 65536 to 4294967296$/);
      }
    }
    expect(instantiate).not.toHaveBeenCalled();
  });

  it('bad options objects and thread counts are refused', async () => {
    await expectArgumentError(null, 'options', /^options = null is not allowed/);
    await expectArgumentError('js', 'options', /^options = "js" is not allowed/);
    await expectArgumentError({ threads: 3 }, 'options.threads', /^options\.threads = 3 is not allowed; expected 1 or 2$/);
  });
});

describe('where the WebAssembly kernel cannot run', () => {
  const REASON = 'this engine does not support WebAssembly SIMD (the kernel module does not validate)';

  it("'auto' falls back to the JS loops and says why in capabilities.details.fallbackReason", async () => {
    instantiate.mockResolvedValueOnce(REASON);
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.kernel).toBe('js');
    expect(backend.capabilities.details.fallbackReason).toBe(REASON);
    expect(backend.capabilities.bufferLocation).toBe('js-heap');
    trains(backend);
  });

  it("'wasm-simd' rejects with BackendUnavailableError carrying the reason", async () => {
    instantiate.mockResolvedValueOnce(REASON);
    const error = await rejection(createCpuBackend({ kernel: 'wasm-simd' }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error).toBeInstanceOf(RMSPropError);
    expect((error as BackendUnavailableError).code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toBe(`the CPU backend's WebAssembly SIMD kernel cannot run: ${REASON}`);
  });

  it('no WebAssembly at all: auto falls back, wasm-simd rejects, both saying so', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.fallbackReason).toBe('WebAssembly is not available here');
    const error = await rejection(createCpuBackend({ kernel: 'wasm-simd' }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toMatch(/WebAssembly is not available here/);
    expect(instantiate).not.toHaveBeenCalled();
    // A bad option is still the caller's mistake, not a reason to fall back.
    await expect(createCpuBackend({ arenaBytes: 1 })).rejects.toBeInstanceOf(ArgumentError);
  });

  it('no memory for the arena: auto falls back, wasm-simd rejects, both with the engine\'s message', async () => {
    const Memory = class {
      constructor() {
        throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      }
    };
    vi.stubGlobal('WebAssembly', Object.create(WebAssembly, { Memory: { value: Memory } }));
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.fallbackReason).toMatch(/could not allocate a WebAssembly memory of 67108864 bytes \(WebAssembly\.Memory\(\): could not allocate memory\)/);
    const error = await rejection(createCpuBackend({ kernel: 'wasm-simd', arenaBytes: 1 << 20 }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toMatch(/cannot run: could not allocate a WebAssembly memory of 1048576 bytes/);
  });

  it('an engine that validates but will not compile the module: instantiateKernels returns the reason, and auto falls back', async () => {
    const refuse = () => Promise.reject(new WebAssembly.CompileError('WebAssembly.instantiate(): Wasm code generation disallowed by embedder'));
    vi.stubGlobal('WebAssembly', Object.create(WebAssembly, { instantiate: { value: refuse } }));
    const actual = await vi.importActual<typeof import('./wasm/wasm-kernels.js')>('./wasm/wasm-kernels.js');
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    expect(await actual.instantiateKernels(memory, false)).toBe(
      'the kernel module could not be instantiated (CompileError: WebAssembly.instantiate(): Wasm code generation disallowed by embedder)',
    );
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.fallbackReason).toMatch(/could not be instantiated \(CompileError: .*disallowed by embedder\)/);
    await expect(createCpuBackend({ kernel: 'wasm-simd' })).rejects.toThrow(/WebAssembly SIMD kernel cannot run: the kernel module could not be instantiated/);
  });


  it("a Content-Security-Policy that refuses WebAssembly: the reason names 'wasm-unsafe-eval' (Chromium's words name only 'unsafe-eval')", async () => {
    // Chromium 156's message under script-src 'self', as the playground's CSP test records it.
    const said =
      "WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"";
    const refuse = () => Promise.reject(new WebAssembly.CompileError(said));
    vi.stubGlobal('WebAssembly', Object.create(WebAssembly, { instantiate: { value: refuse } }));
    const actual = await vi.importActual<typeof import('./wasm/wasm-kernels.js')>('./wasm/wasm-kernels.js');
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    expect(await actual.instantiateKernels(memory, false)).toBe(
      `a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src (the engine said: CompileError: ${said})`,
    );
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.fallbackReason).toMatch(/add 'wasm-unsafe-eval' to its script-src/);
  });
});

describe('threads: wherever two are asked for and one runs, capabilities.details.threadsReason says why', () => {
  const REASON = 'this engine does not support WebAssembly SIMD (the kernel module does not validate)';

  it("{ kernel: 'js', threads: 2 }: the JS loops run on one thread, and say so", async () => {
    const backend = await createCpuBackend({ kernel: 'js', threads: 2 });
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details.threads).toBe(1);
    expect(backend.capabilities.details.threadsReason).toMatch(/^the JS loops run on one thread: helper threads run the WebAssembly SIMD kernel only$/);
    trains(backend);
  });

  it("'auto' that falls back to the JS loops with threads: 2 says why on both counts", async () => {
    instantiate.mockResolvedValueOnce(REASON);
    const backend = await createCpuBackend({ threads: 2 });
    expect(backend).toBeInstanceOf(JsLoopBackend);
    expect(backend.capabilities.details).toMatchObject({ kernel: 'js', threads: 1, fallbackReason: REASON });
    expect(backend.capabilities.details.threadsReason).toMatch(/^the JS loops run on one thread/);
  });

  it('without shared memory the WebAssembly kernel runs on one thread and says why', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const backend = await createCpuBackend({ kernel: 'wasm-simd', threads: 2, arenaBytes: 1 << 20 });
    expect(backend.capabilities.details).toMatchObject({ kernel: 'wasm-simd', memory: 'fixed', threads: 1 });
    expect(backend.capabilities.details.threadsReason).toBe('helper threads need shared WebAssembly memory, which is unavailable here');
    trains(backend);
    backend.dispose();
  });

  it("under Node's permission model (workers denied): one thread, the reason, and a step that trains", { timeout: 60_000 }, () => {
    // `node --permission --allow-fs-read=*` (--experimental-permission before Node 22.13) denies starting a
    // worker: new Worker() throws ERR_ACCESS_DENIED, which createCpuBackend({ threads: 2 }) used to throw.
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    const sources = transpileSources();
    try {
      const script = join(sources.folder, 'permission-probe.mjs');
      writeFileSync(
        script,
        `import { RMSPropOptimizer } from '@rmsprop/core';
import { createCpuBackend } from './index.js';
const backend = await createCpuBackend({ threads: 2 });
const n = ${2 ** 19};
const w = new Float32Array(n).fill(1);
const optimizer = new RMSPropOptimizer({ backend, params: { w }, learningRate: 0.1 });
optimizer.step({ w: new Float32Array(n).fill(1) });
const { threads, threadsReason } = backend.capabilities.details;
console.log(JSON.stringify({ threads, threadsReason, first: w[0], last: w[n - 1] }));
`,
      );
      const out = execFileSync(process.execPath, [flag, '--allow-fs-read=*', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as { threads: number; threadsReason: string; first: number; last: number };
      expect(result.threads).toBe(1);
      expect(result.threadsReason).toMatch(/^a helper thread could not be started \(Error \[ERR_ACCESS_DENIED\]: .*; under Node's permission model, allow it with --allow-worker\)$/);
      // One step of lr 0.1 on g = 1 from v = 0 (ρ = 0.9): θ = 1 − 0.1 / √0.1, as `trains` above, on both halves.
      expect(result.first).toBeCloseTo(1 - 0.1 / Math.sqrt(0.1), 6);
      expect(result.last).toBe(result.first);
    } finally {
      sources.remove();
    }
  });

  it('no threadsReason where one thread was asked for, or two run', async () => {
    for (const options of [{}, { threads: 1 }, { kernel: 'js' as const }, { kernel: 'js' as const, threads: 1 }]) {
      const backend = await createCpuBackend(options);
      expect(backend.capabilities.details.threads, JSON.stringify(options)).toBe(1);
      expect(backend.capabilities.details.threadsReason, JSON.stringify(options)).toBeUndefined();
      backend.dispose();
    }
    const two = await createCpuBackend({ threads: 2 });
    expect(two.capabilities.details).toMatchObject({ kernel: 'wasm-simd', threads: 2 });
    expect(two.capabilities.details.threadsReason).toBeUndefined();
    two.dispose();
  });
});
