/**
 * Why JavaScript cannot be compiled from source text here, in the engine's own words (`EvalError: …`),
 * or `undefined` where it can. It is refused under a Content-Security-Policy whose script-src (or
 * default-src) lacks 'unsafe-eval' (Chromium's message quotes the directive), and in Node run with
 * `--disallow-code-generation-from-strings`. Compiles an empty function to find out: where it is refused,
 * the page's policy reports one violation (blocked URI `eval`), as gpu.js's own attempt would.
 */
export function codeFromStringsRefusal(): string | undefined {
  try {
    new Function('');
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
