/**
 * Where tfjs's wasm backend cannot start because the engine refuses to compile WebAssembly (a
 * Content-Security-Policy without 'wasm-unsafe-eval'), createTfjsBackend says so and names the fix. The
 * refusal is simulated with Chromium 156's own message (as measured in apps/playground's CSP test); tfjs's
 * wasm backend is first started in this file, under the stub.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from '@rmsprop/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTfjsBackend } from './tfjs-backend.js';
import { wasmCompileRefusal } from './wasm-compile-refusal.js';

const SAID =
  "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\"";

function refuseWebAssembly(): void {
  const refuse = () => Promise.reject(new WebAssembly.CompileError(SAID));
  vi.stubGlobal('WebAssembly', Object.create(WebAssembly, { compile: { value: refuse }, instantiate: { value: refuse }, instantiateStreaming: { value: refuse } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('wasmCompileRefusal', () => {
  it('undefined where WebAssembly compiles', async () => {
    expect(await wasmCompileRefusal()).toBeUndefined();
  });

  it("a Content-Security-Policy's refusal: names 'wasm-unsafe-eval' and quotes the engine", async () => {
    refuseWebAssembly();
    expect(await wasmCompileRefusal()).toBe(`a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src (the engine said: CompileError: ${SAID})`);
  });

  it('another refusal is quoted as it is', async () => {
    const refuse = () => Promise.reject(new WebAssembly.CompileError('Wasm code generation disallowed by embedder'));
    vi.stubGlobal('WebAssembly', Object.create(WebAssembly, { compile: { value: refuse } }));
    expect(await wasmCompileRefusal()).toBe('this engine refuses to compile WebAssembly (CompileError: Wasm code generation disallowed by embedder)');
  });
});

describe("createTfjsBackend({ tfjsBackend: 'wasm' }) where WebAssembly is refused", () => {
  it('rejects with BackendUnavailableError giving the cause, not only "failed to initialise"', async () => {
    refuseWebAssembly();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined); // tfjs warns that the backend failed
    const error = await createTfjsBackend({ tfjsBackend: 'wasm' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(/^TensorFlow\.js backend 'wasm' failed to initialise here: a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src/);
  });
});
