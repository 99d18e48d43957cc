import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  BackendUnavailableError,
  ConfigError,
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

  it('StateDictError prefixes the path', () => {
    const e = new StateDictError('.state["w"].length', 'is 3; expected 2');
    expect(e.message).toBe('state dict .state["w"].length: is 3; expected 2');
    expect(e.path).toBe('.state["w"].length');
  });
});
