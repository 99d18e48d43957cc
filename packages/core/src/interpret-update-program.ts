import type { StateBufferName } from './state-buffers.js';
import type { KernelConstantName, ProgramBuffer, ProgramExpression, UpdateProgram } from './update-program.js';

/** The operations a target evaluates the program with (whole tensors at once, say). */
export interface ProgramOperations<T> {
  readonly load: (buffer: ProgramBuffer) => T;
  readonly constant: (name: KernelConstantName) => T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
  readonly mul: (a: T, b: T) => T;
  readonly div: (a: T, b: T) => T;
  readonly sqrt: (a: T) => T;
  /** max(a, 0), NaN kept. */
  readonly max0: (a: T) => T;
  /** a clamped to the dtype's finite range, NaN kept. */
  readonly saturate: (a: T, nonNegative: boolean) => T;
  /** Per element, a finite ? product : a, where `product` is scale·a. Default: `whereFinite(a, product, a)`. */
  readonly scaleFinite?: (a: T, product: T) => T;
  /** Per element, `test` finite ? a : b. */
  readonly whereFinite: (test: T, a: T, b: T) => T;
}

/**
 * Evaluate `program` once with `ops` (for a target that runs whole-array operations, as tfjs does) and
 * return what it stores: θ and each state buffer it keeps. Each expression is evaluated once, in the
 * program's order.
 */
export function interpretUpdateProgram<T>(program: UpdateProgram, ops: ProgramOperations<T>): { param: T } & Partial<Record<StateBufferName, T>> {
  const locals = new Map<string, T>();
  const stored: Partial<Record<'param' | StateBufferName, T>> = {};
  const evaluate = (e: ProgramExpression): T => {
    switch (e.op) {
      case 'load':
        return ops.load(e.buffer);
      case 'constant':
        return ops.constant(e.name);
      case 'local':
        return locals.get(e.name) as T;
      case 'sqrt':
        return ops.sqrt(evaluate(e.a));
      case 'max0':
        return ops.max0(evaluate(e.a));
      case 'saturate':
        return ops.saturate(evaluate(e.a), e.nonNegative === true);
      case 'scaleFinite': {
        const a = evaluate(e.a);
        const product = ops.mul(ops.constant(e.scale), a);
        return ops.scaleFinite === undefined ? ops.whereFinite(a, product, a) : ops.scaleFinite(a, product);
      }
      case 'whereFinite':
        return ops.whereFinite(evaluate(e.test), evaluate(e.a), evaluate(e.b));
      default:
        return ops[e.op](evaluate(e.a), evaluate(e.b));
    }
  };
  for (const statement of program.statements) {
    const value = evaluate(statement.value);
    if (statement.kind === 'let') locals.set(statement.name, value);
    else stored[statement.buffer] = value;
  }
  return stored as { param: T } & Partial<Record<StateBufferName, T>>;
}
