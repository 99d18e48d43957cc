import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  BackendUnavailableError,
  ConfigError,
  describeList,
  describeNames,
  describeValue,
  DisposedError,
  NonFiniteGradientError,
  ParameterNameError,
  RMSPropError,
  ShapeError,
  StateDictError,
} from './errors.js';
import * as core from './index.js';

describe('describeValue', () => {
  it('renders values for messages', () => {
    expect(describeValue('lr')).toBe('"lr"');
    expect(describeValue('')).toBe('""');
    expect(describeValue(0.5)).toBe('0.5');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(0)).toBe('0');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(12n)).toBe('12');
    expect(describeValue(new Float32Array(3))).toBe('Float32Array(3)');
    expect(describeValue(new Int8Array(0))).toBe('Int8Array(0)');
    expect(describeValue(new DataView(new ArrayBuffer(8)))).toBe('DataView(8)');
    expect(describeValue([1, 2])).toBe('Array(2)');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue({ a: 1 })).toBe('Object');
    expect(describeValue(new Map())).toBe('Map');
    expect(describeValue(Symbol('s'))).toBe('Symbol');
  });

  it('never dumps a large array into a message', () => {
    expect(describeValue(new Float64Array(1e6))).toBe('Float64Array(1000000)');
  });

  it('bounds a long string: its start, quoted, and its length', () => {
    const huge = 'x'.repeat(22_000_000);
    const shown = describeValue(huge);
    expect(shown).toBe(`"${'x'.repeat(100)}"… (22000000 characters)`);
    expect(describeValue('y'.repeat(100))).toBe(`"${'y'.repeat(100)}"`); // up to the bound: whole
    // Escapes count after quoting: a string of quotes stays bounded too.
    expect(describeValue('"'.repeat(1000)).length).toBeLessThan(250);
    // A surrogate pair is never cut in half.
    const emoji = 'a' + '😀'.repeat(100);
    expect(describeValue(emoji)).toMatch(/^"a(😀)+"… \(201 characters\)$/);
  });

  it('bounds a huge bigint', () => {
    const shown = describeValue(10n ** 5000n);
    expect(shown).toMatch(/^10{99}… \(5001 digits\)$/);
    expect(describeValue(-(10n ** 5000n))).toMatch(/^-10{98}… \(5002 digits\)$/);
  });

  it('is bounded for nested and cyclic values, and never recurses into them', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 1e5; i++) deep = [deep];
    expect(describeValue(deep)).toBe('Array(1)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('Object');
    const loop: unknown[] = [];
    loop.push(loop);
    expect(describeValue(loop)).toBe('Array(1)');
  });

  it('never throws and never runs away on hostile objects', () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(describeValue(proxy)).toBe('an unreadable value');
    const throwingTag = { get [Symbol.toStringTag]() { throw new Error('no'); } };
    expect(describeValue(throwingTag)).toBe('an unreadable value');
    const longTag = { [Symbol.toStringTag]: 'T'.repeat(1e6) };
    expect(describeValue(longTag).length).toBeLessThan(150);
    class Huge extends Float32Array {}
    Object.defineProperty(Huge, 'name', { value: 'H'.repeat(1e6) });
    expect(describeValue(new Huge(2)).length).toBeLessThan(150);
  });
});

describe('describeNames', () => {
  it('lists names unquoted, comma-separated', () => {
    expect(describeNames(['w', 'b'])).toBe('w, b');
    expect(describeNames([])).toBe('');
  });

  it('shows at most 20 names, and says how many there are', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `p${i}`);
    const shown = describeNames(names);
    expect(shown).toBe(`${names.slice(0, 20).join(', ')}, … (100000 in all)`);
  });

  it('bounds each name', () => {
    expect(describeNames(['n'.repeat(1e6), 'b'])).toBe(`${'n'.repeat(100)}… (1000000 characters), b`);
  });
});

describe('describeList', () => {
  it('renders an array of values through describeValue, at most 10 of them', () => {
    expect(describeList(['b', 'c'])).toBe('["b", "c"]');
    expect(describeList([])).toBe('[]');
    expect(describeList([1, null, [2], { a: 1 }])).toBe('[1, null, Array(1), Object]');
    expect(describeList(Array.from({ length: 1e6 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (1000000 in all)]');
  });

  it('survives holes, cycles and a hostile array', () => {
    const loop: unknown[] = [1];
    loop.push(loop);
    expect(describeList(loop)).toBe('[1, Array(2)]');
    // eslint-disable-next-line no-sparse-arrays
    expect(describeList([1, , 3])).toBe('[1, undefined, 3]');
    const { proxy, revoke } = Proxy.revocable([1], {});
    revoke();
    expect(describeList(proxy)).toBe('an unreadable value');
  });
});

describe('error classes', () => {
  const all: [RMSPropError, string, string][] = [
    [new ConfigError('rho', 2, 'a number in [0, 1)'), 'ConfigError', 'INVALID_CONFIG'],
    [new ArgumentError('x', 1, 'a string'), 'ArgumentError', 'INVALID_ARGUMENT'],
    [new ParameterNameError('UNKNOWN_PARAMETER', 'w', 'm'), 'ParameterNameError', 'UNKNOWN_PARAMETER'],
    [new ParameterNameError('MISSING_PARAMETER', 'w', 'm'), 'ParameterNameError', 'MISSING_PARAMETER'],
    [new ShapeError('LENGTH_MISMATCH', 'w', 'm'), 'ShapeError', 'LENGTH_MISMATCH'],
    [new ShapeError('DTYPE_MISMATCH', 'w', 'm'), 'ShapeError', 'DTYPE_MISMATCH'],
    [new NonFiniteGradientError('w', 0, NaN), 'NonFiniteGradientError', 'NON_FINITE_GRADIENT'],
    [new DisposedError('x', 'step'), 'DisposedError', 'DISPOSED'],
    [new BackendUnavailableError('none', []), 'BackendUnavailableError', 'BACKEND_UNAVAILABLE'],
    [new StateDictError('.step', 'bad'), 'StateDictError', 'INVALID_STATE_DICT'],
  ];

  it('are RMSPropErrors and Errors with their own name and a stable code', () => {
    for (const [error, name, code] of all) {
      expect(error).toBeInstanceOf(RMSPropError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
      expect(error.stack).toBeTypeOf('string');
    }
  });

  it('are exported from the package entry point', () => {
    for (const [error, name] of all) expect((core as Record<string, unknown>)[name]).toBe(error.constructor);
    expect(core.RMSPropError).toBe(RMSPropError);
  });

  it('RMSPropError keeps a cause', () => {
    const cause = new Error('root');
    expect(new RMSPropError('INVALID_ARGUMENT', 'wrapped', { cause }).cause).toBe(cause);
  });

  it('ConfigError names the field, value and range, with an optional prefix', () => {
    const e = new ConfigError('rho', 1, 'a number in [0, 1)');
    expect(e.message).toBe('RMSProp config: rho = 1 is not allowed; expected a number in [0, 1)');
    expect([e.field, e.value, e.allowed]).toEqual(['rho', 1, 'a number in [0, 1)']);
    expect(new ConfigError('lr', 'x', 'y', 'keras preset').message).toBe('keras preset: lr = "x" is not allowed; expected y');
  });

  it('ArgumentError', () => {
    const e = new ArgumentError('options.learningRate', -1, 'a finite number ≥ 0');
    expect(e.message).toBe('options.learningRate = -1 is not allowed; expected a finite number ≥ 0');
    expect([e.field, e.value]).toEqual(['options.learningRate', -1]);
  });

  it('ParameterNameError and ShapeError carry the parameter name', () => {
    expect(new ParameterNameError('MISSING_PARAMETER', 'bias', 'no gradient').parameter).toBe('bias');
    expect(new ShapeError('LENGTH_MISMATCH', 'w', 'too long').parameter).toBe('w');
  });

  it('NonFiniteGradientError says where and how to change the policy', () => {
    const e = new NonFiniteGradientError('w', 3, -Infinity);
    expect(e.message).toBe(
      "gradient of \"w\" has a non-finite value -Infinity at index 3; expected finite numbers (set nonFiniteGradients to 'skip' to skip such steps, or 'propagate' to apply them)",
    );
    expect([e.parameter, e.index, e.value]).toEqual(['w', 3, -Infinity]);
  });

  it('DisposedError names the object and operation', () => {
    expect(new DisposedError('this RMSPropOptimizer', 'step').message).toBe('this RMSPropOptimizer was disposed; step() is not allowed after dispose()');
  });

  it('BackendUnavailableError lists every skipped backend with its reason', () => {
    const skipped = [
      { name: 'gpu', reason: 'init failed: no WebGL2' },
      { name: 'wasm', reason: 'not registered (registered: cpu)' },
    ];
    const e = new BackendUnavailableError('no RMSProp backend could be initialised:', skipped);
    expect(e.message).toBe('no RMSProp backend could be initialised:\n  - gpu: init failed: no WebGL2\n  - wasm: not registered (registered: cpu)');
    expect(e.skipped).toBe(skipped);
  });

  it('messages stay bounded whatever they are given (the fields keep the whole value)', () => {
    const long = 'k'.repeat(1e6);
    const errors = [new ConfigError(long, long, 'x', 'keras preset'), new ArgumentError(long, long, 'x'), new NonFiniteGradientError(long, 1, NaN)];
    for (const e of errors) expect(e.message.length).toBeLessThan(500);
    expect(errors[0].message).toBe(`keras preset: ${'k'.repeat(200)}… (1000000 characters) = "${'k'.repeat(100)}"… (1000000 characters) is not allowed; expected x`);
    expect((errors[0] as ConfigError).field).toBe(long);
    expect((errors[2] as NonFiniteGradientError).parameter).toBe(long);
  });

  it('every message is cut at 10,000 characters, whatever a caller interpolated into it', () => {
    const long = 'w'.repeat(1e6);
    const e = new ShapeError('LENGTH_MISMATCH', long, `gradient of "${long}" has length 3; expected 2`);
    expect(e.message).toBe(`gradient of "${'w'.repeat(10_000 - 13)}… (1000039 characters)`);
    expect(e.parameter).toBe(long);
    expect(new RMSPropError('INVALID_ARGUMENT', 'x'.repeat(10_000)).message).toBe('x'.repeat(10_000));
    expect(String(new BackendUnavailableError('none', [{ name: 'a', reason: 'r'.repeat(1e6) }])).length).toBeLessThan(10_100);
  });

  it('StateDictError prefixes the path', () => {
    const e = new StateDictError('.state["w"].length', 'is 3; expected 2');
    expect(e.message).toBe('state dict .state["w"].length: is 3; expected 2');
    expect(e.path).toBe('.state["w"].length');
  });
});
