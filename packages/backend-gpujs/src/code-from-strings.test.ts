import { afterEach, expect, it, vi } from 'vitest';
import { codeFromStringsRefusal } from './code-from-strings.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

it('undefined where new Function compiles (Node by default)', () => {
  expect(codeFromStringsRefusal()).toBeUndefined();
});

it("the engine's words where it is refused", () => {
  const refuse = (): never => {
    throw new EvalError('Code generation from strings disallowed for this context');
  };
  vi.stubGlobal('Function', new Proxy(Function, { construct: refuse }));
  expect(codeFromStringsRefusal()).toBe('EvalError: Code generation from strings disallowed for this context');
});
