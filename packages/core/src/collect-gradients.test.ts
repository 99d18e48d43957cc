/** collectGradients: the per-step lookup of each parameter's gradient, with its name, dtype and length checks. */
import { describe, expect, it } from 'vitest';
import { collectGradients, type GradientTarget } from './collect-gradients.js';
import type { FloatArray } from './dtype.js';
import { ArgumentError, ParameterNameError, ShapeError } from './errors.js';

const targets: GradientTarget[] = [
  { name: 'w', backendSlot: { dtype: 'float64', length: 2 } },
  { name: 'b', backendSlot: { dtype: 'float32', length: 1 } },
];
const known = new Map(targets.map((t) => [t.name, t]));
const w = Float64Array.of(1, 2);
const b = Float32Array.of(3);

function collect(grads: unknown): FloatArray[] {
  const out = new Array<FloatArray>(targets.length);
  collectGradients(grads as Record<string, FloatArray>, targets, known, out);
  return out;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('collectGradients', () => {
  it('writes each target\'s gradient to out[i], from an object or a Map', () => {
    const fromObject = collect({ b, w });
    expect(fromObject[0]).toBe(w);
    expect(fromObject[1]).toBe(b);
    const fromMap = collect(new Map<string, FloatArray>([['b', b], ['w', w]]));
    expect(fromMap[0]).toBe(w);
    expect(fromMap[1]).toBe(b);
  });

  it('grads that are not an object', () => {
    for (const bad of [null, undefined, 3, 'w']) {
      const e = errorOf(() => collect(bad));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(/^grads = .* is not allowed; expected an object or Map mapping each parameter name to its gradient$/);
    }
  });

  it('an unknown name, reported before a missing one, with the known names', () => {
    for (const grads of [{ w, bias: b }, new Map<string, FloatArray>([['w', w], ['bias', b]]), new Map<string, FloatArray>([['w', w], ['b', b], ['c', b]])]) {
      const e = errorOf(() => collect(grads)) as ParameterNameError;
      expect(e).toBeInstanceOf(ParameterNameError);
      expect(e.code).toBe('UNKNOWN_PARAMETER');
      expect(e.message).toMatch(/^gradient given for unknown parameter "(bias|c)"; known parameters: w, b$/);
    }
    const nonString = errorOf(() => collect(new Map<unknown, FloatArray>([['w', w], [1, b], ['b', b]]))) as ParameterNameError;
    expect(nonString.parameter).toBe('1');
  });

  it('messages stay short: a huge unknown name, a thousand known ones, a key that cannot be turned into a string', () => {
    const many: GradientTarget[] = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, backendSlot: { dtype: 'float64', length: 1 } }));
    const knownMany = new Map(many.map((t) => [t.name, t]));
    const g = Float64Array.of(0);
    const huge = 'x'.repeat(1e6);
    const first20 = many.slice(0, 20).map((t) => t.name).join(', ');
    for (const grads of [Object.fromEntries([...many.map((t) => [t.name, g]), [huge, g]]), new Map([...many.map((t) => [t.name, g] as const), [huge, g]])]) {
      const e = errorOf(() => collectGradients(grads, many, knownMany, new Array(many.length))) as ParameterNameError;
      expect(e).toBeInstanceOf(ParameterNameError);
      expect(e.message).toBe(`gradient given for unknown parameter "${'x'.repeat(100)}"… (1000000 characters); known parameters: ${first20}, … (1000 in all)`);
      expect(e.parameter).toBe(huge);
    }
    const hostile = { toString: () => { throw new Error('no'); } };
    const e = errorOf(() => collect(new Map<unknown, FloatArray>([['w', w], [hostile, b], ['b', b]]))) as ParameterNameError;
    expect(e).toBeInstanceOf(ParameterNameError);
    expect(e.message).toBe('gradient given for unknown parameter Object; known parameters: w, b');
    const missing = errorOf(() => collectGradients({}, many, knownMany, new Array(many.length))) as ParameterNameError;
    expect(missing.message).toBe('no gradient given for parameter "p0"; every parameter needs one each step');
  });

  it('a missing name', () => {
    const e = errorOf(() => collect({ w })) as ParameterNameError;
    expect(e.code).toBe('MISSING_PARAMETER');
    expect(e.parameter).toBe('b');
    expect(e.message).toBe('no gradient given for parameter "b"; every parameter needs one each step');
  });

  it('a wrong dtype or length', () => {
    const dtype = errorOf(() => collect({ w: Float32Array.of(1, 2), b })) as ShapeError;
    expect(dtype.code).toBe('DTYPE_MISMATCH');
    expect(dtype.message).toBe('gradient of "w" is float32; expected float64 (the parameter\'s dtype)');
    const notTyped = errorOf(() => collect({ w: [1, 2], b })) as ShapeError;
    expect(notTyped.message).toBe('gradient of "w" is Array(2); expected float64 (the parameter\'s dtype)');
    const length = errorOf(() => collect({ w, b: Float32Array.of(1, 2) })) as ShapeError;
    expect(length.code).toBe('LENGTH_MISMATCH');
    expect(length.message).toBe('gradient of "b" has length 2; expected 1');
  });
});
