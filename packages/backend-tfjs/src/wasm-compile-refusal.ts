/** The smallest WebAssembly module: the magic number and version 1, no sections. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * Why this engine will not compile WebAssembly, or undefined where it does: a Content-Security-Policy
 * without 'wasm-unsafe-eval' (named as the fix: Chromium's own words name only 'unsafe-eval'), an engine
 * without WebAssembly, or the engine's own refusal. tfjs's wasm backend reports a failed start only as a
 * console warning; this says the likeliest cause. Compiles an empty module (under such a policy that is
 * itself reported as a violation).
 */
export async function wasmCompileRefusal(): Promise<string | undefined> {
  // Read off globalThis: this package's types name neither the DOM's nor Node's globals.
  const wasm = (globalThis as { WebAssembly?: { compile?: (bytes: Uint8Array) => Promise<unknown> } }).WebAssembly;
  if (typeof wasm !== 'object' || typeof wasm.compile !== 'function') return 'this engine has no WebAssembly';
  try {
    await wasm.compile(EMPTY_MODULE);
    return undefined;
  } catch (error) {
    const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (/Content[- ]Security[- ]Policy/i.test(said)) {
      return `a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src (the engine said: ${said})`;
    }
    return `this engine refuses to compile WebAssembly (${said})`;
  }
}
