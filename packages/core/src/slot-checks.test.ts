import { describe, expect, it } from 'vitest';
import type { SlotRequest } from './backend.js';
import { ArgumentError, DisposedError, ShapeError } from './errors.js';
import { checkArrayLength, checkSlotRequest, checkSlotUpdate, checkSlotUpdates, checkStateArrays, type StepSlot } from './slot-checks.js';
import { resolveConfig } from './validate-config.js';

const valid: SlotRequest = {
  name: 'w',
  dtype: 'float32',
  length: 2,
  values: Float32Array.of(1, 2),
  adopt: false,
  state: { meanSquare: 0, meanGrad: 0, momentum: null },
};

describe('checkSlotRequest', () => {
  it('accepts a well-formed request', () => {
    expect(() => checkSlotRequest(valid, ['float32', 'float64'])).not.toThrow();
  });

  it.each([
    ['not an object', null, ArgumentError, /^request = null/],
    ['a dtype the backend lacks', { ...valid, dtype: 'float64', values: Float64Array.of(1, 2) }, ArgumentError, /^request\.dtype = "float64" is not allowed; expected 'float32' \(float32 only here\)$/],
    ['a fractional length', { ...valid, length: 1.5 }, ArgumentError, /^request\.length = 1\.5/],
    ['an adopt that is not true, false or read-only', { ...valid, adopt: 'yes' }, ArgumentError, /^request\.adopt = "yes" is not allowed; expected true, false or 'read-only'$/],
    ['a missing state', { ...valid, state: undefined }, ArgumentError, /^request\.state = undefined/],
    ['a boolean for meanGrad', { ...valid, state: { ...valid.state, meanGrad: true } }, ArgumentError, /^request\.state\.meanGrad = true is not allowed; expected a finite number, or null for no meanGrad buffer$/],
    ['a missing momentum', { ...valid, state: { meanSquare: 0, meanGrad: null } }, ArgumentError, /^request\.state\.momentum = undefined/],
    ['no meanSquare (every slot keeps v)', { ...valid, state: { ...valid.state, meanSquare: null } }, ArgumentError, /^request\.state\.meanSquare = null is not allowed; expected a finite number ≥ 0$/],
    ['a negative initial mean square', { ...valid, state: { ...valid.state, meanSquare: -1 } }, ArgumentError, /^request\.state\.meanSquare = -1/],
    ['an infinite initial momentum', { ...valid, state: { ...valid.state, momentum: Infinity } }, ArgumentError, /^request\.state\.momentum = Infinity/],
    ['values of another length', { ...valid, values: Float32Array.of(1) }, ShapeError, /^values for slot "w" have length 1; expected 2$/],
  ])('rejects %s, naming the field', (_, request, type, message) => {
    expect(() => checkSlotRequest(request as SlotRequest, ['float32'], 'float32 only here')).toThrow(type);
    expect(() => checkSlotRequest(request as SlotRequest, ['float32'], 'float32 only here')).toThrow(message);
  });

  it('lists every allowed dtype when there are several', () => {
    expect(() => checkSlotRequest({ ...valid, dtype: 'int8' as 'float32' }, ['float32', 'float64'])).toThrow(/expected one of float32, float64$/);
  });
});

describe('checkStateArrays', () => {
  const slot = { name: 'w', length: 2 };
  const present = { meanSquare: true, meanGrad: true, momentum: false };

  it('accepts arrays of the slot length exactly where the slot has buffers', () => {
    expect(() => checkStateArrays(slot, { meanSquare: [1, 2], meanGrad: [3, 4], momentum: null }, present)).not.toThrow();
  });

  it('refuses a state that is not an object, naming it', () => {
    expect(() => checkStateArrays(slot, null as never, present)).toThrow(/^state = null is not allowed; expected an object \{ meanSquare, meanGrad, momentum \}$/);
  });

  it('rejects a wrong length, a missing buffer and an extra one, naming each', () => {
    expect(() => checkStateArrays(slot, { meanSquare: [1], meanGrad: [3, 4], momentum: null }, present)).toThrow(/^state\.meanSquare for slot "w" has length 1; expected 2$/);
    expect(() => checkStateArrays(slot, { meanSquare: [1, 2], meanGrad: null, momentum: null }, present)).toThrow(/^state\.meanGrad = null is not allowed; expected an array of 2 numbers: slot "w" has a meanGrad buffer$/);
    expect(() => checkStateArrays(slot, { meanSquare: [1, 2], meanGrad: [3, 4], momentum: [5, 6] }, present)).toThrow(/^state\.momentum = .* expected null: slot "w" has no momentum buffer$/);
    expect(() => checkStateArrays(slot, { meanSquare: [1, 2], meanGrad: [3], momentum: null }, present)).toThrow(ShapeError);
  });
});

describe('checkArrayLength', () => {
  it('names the field and both lengths', () => {
    expect(() => checkArrayLength({ name: 'b', length: 3 }, 'values', [1, 2])).toThrow(/^values for slot "b" has length 2; expected 3$/);
    expect(() => checkArrayLength({ name: 'b', length: 3 }, 'values', [1, 2, 3])).not.toThrow();
  });
});

describe('checkSlotUpdate', () => {
  const slot = { name: 'w', length: 2, dtype: 'float32' as const, keeps: { meanSquare: true, meanGrad: false, momentum: false } };
  const full = { ...slot, keeps: { meanSquare: true, meanGrad: true, momentum: true } };
  const update = (over: { learningRate?: number; step?: number; grads?: unknown; centered?: boolean; momentum?: number } = {}) => ({
    slot: slot as never,
    grads: (over.grads ?? new Float32Array(2)) as Float32Array,
    hyper: { config: resolveConfig({ centered: over.centered ?? false, momentum: over.momentum ?? 0 }), learningRate: over.learningRate ?? 0.01, step: over.step ?? 1 },
  });

  it('passes a well-formed update', () => {
    expect(() => checkSlotUpdate(update(), 0, slot)).not.toThrow();
    expect(() => checkSlotUpdate(update({ centered: true, momentum: 0.9 }), 0, full)).not.toThrow();
  });

  it('names the field, the value and what is allowed', () => {
    expect(() => checkSlotUpdate(update({ learningRate: Number.NaN }), 3, slot)).toThrow(/updates\[3\]\.hyper\.learningRate = NaN is not allowed; expected a finite number ≥ 0/);
    expect(() => checkSlotUpdate(update({ step: 0 }), 1, slot)).toThrow(/updates\[1\]\.hyper\.step = 0 is not allowed; expected an integer ≥ 1/);
    expect(() => checkSlotUpdate(update({ grads: new Float64Array(2) }), 0, slot)).toThrow(/gradient of "w" is float64; expected float32/);
    expect(() => checkSlotUpdate(update({ grads: new Float32Array(3) }), 0, slot)).toThrow(/gradient of "w" has length 3; expected 2/);
    expect(() => checkSlotUpdate(update({ centered: true }), 0, slot)).toThrow(/config\.centered .*created without a meanGrad buffer/);
    expect(() => checkSlotUpdate(update({ momentum: 0.9 }), 0, slot)).toThrow(/config\.momentum .*created without a momentum buffer/);
  });

  it('refuses a missing hyper or config with an ArgumentError naming it (not a TypeError)', () => {
    expect(() => checkSlotUpdate({ ...update(), hyper: undefined as never }, 2, slot)).toThrow(ArgumentError);
    expect(() => checkSlotUpdate({ ...update(), hyper: undefined as never }, 2, slot)).toThrow(/^updates\[2\]\.hyper = undefined is not allowed; expected an object/);
    const noConfig = { ...update(), hyper: { ...update().hyper, config: null as never } };
    expect(() => checkSlotUpdate(noConfig, 0, slot)).toThrow(/^updates\[0\]\.hyper\.config = null is not allowed; expected a resolved RMSProp config/);
  });
});

describe('checkSlotUpdates', () => {
  const owner = {};
  const config = resolveConfig({});
  const slotOf = (name: string, over: Partial<StepSlot> = {}): StepSlot => ({
    name,
    length: 2,
    dtype: 'float32',
    keeps: { meanSquare: true, meanGrad: false, momentum: false },
    owner,
    disposed: false,
    stamp: 0,
    ...over,
  });
  const update = (slot: unknown, grads: unknown = new Float32Array(2)) => ({ slot, grads, hyper: { config, learningRate: 0.01, step: 1 } }) as never;

  it('accepts each own, live slot once, in any number', () => {
    const a = slotOf('a');
    const b = slotOf('b');
    expect(() => checkSlotUpdates([update(a), update(b)], owner, 'test')).not.toThrow();
    // A new step is a new number: the same slots pass again.
    expect(() => checkSlotUpdates([update(b), update(a)], owner, 'test')).not.toThrow();
    expect(() => checkSlotUpdates([], owner, 'test')).not.toThrow();
  });

  it('checks each update\'s hyper even after one with the same config passed', () => {
    const hyper = (learningRate: number, step: number) => ({ config, learningRate, step });
    const at = (slot: StepSlot, h: object) => ({ slot, grads: new Float32Array(2), hyper: h }) as never;
    expect(() => checkSlotUpdates([at(slotOf('a'), hyper(0.01, 1)), at(slotOf('b'), hyper(Number.NaN, 1))], owner, 'test')).toThrow(/^updates\[1\]\.hyper\.learningRate = NaN/);
    expect(() => checkSlotUpdates([at(slotOf('a'), hyper(0.01, 1)), at(slotOf('b'), hyper(0.01, 0))], owner, 'test')).toThrow(/^updates\[1\]\.hyper\.step = 0/);
    expect(() => checkSlotUpdates([at(slotOf('a'), hyper(0.01, 1)), at(slotOf('b'), null as never)], owner, 'test')).toThrow(/^updates\[1\]\.hyper = null/);
    // The state a config needs is checked for every slot, also where the hyper repeats.
    const centered = { config: resolveConfig({ centered: true }), learningRate: 0.01, step: 1 };
    const keeping = slotOf('a', { keeps: { meanSquare: true, meanGrad: true, momentum: false } });
    expect(() => checkSlotUpdates([at(keeping, centered), at(slotOf('b'), centered)], owner, 'test')).toThrow(/^config\.centered = true is not allowed; expected false for slot "b", which was created without a meanGrad buffer$/);
  });

  it.each([
    ['not an array', () => 'x', ArgumentError, /^updates = "x" is not allowed; expected an array of slot updates$/],
    ['a null update', () => [update(slotOf('a')), null], ArgumentError, /^updates\[1\] = null is not allowed; expected a slot update \{ slot, grads, hyper \}$/],
    ['a slot of another backend', () => [update(slotOf('a', { owner: {} }))], ArgumentError, /^updates\[0\]\.slot = .* expected a slot created by this test backend$/],
    ['no slot', () => [update(undefined)], ArgumentError, /^updates\[0\]\.slot = undefined/],
    ['a slot given twice', () => { const a = slotOf('a'); return [update(a), update(slotOf('b')), update(a)]; }, ArgumentError, /^updates\[2\]\.slot = "a" is not allowed; expected a slot not already updated in this step$/],
    ['a disposed slot', () => [update(slotOf('a', { disposed: true }))], DisposedError, /^test slot "a" was disposed; step\(\) is not allowed after dispose\(\)$/],
    ['a gradient of another length (checkSlotUpdate)', () => [update(slotOf('a'), new Float32Array(3))], ShapeError, /^gradient of "a" has length 3; expected 2$/],
  ])('refuses %s with a typed error naming it', (_, updates, type, message) => {
    expect(() => checkSlotUpdates(updates() as never, owner, 'test')).toThrow(type);
    expect(() => checkSlotUpdates(updates() as never, owner, 'test')).toThrow(message);
  });
});

describe('checkSlotRequest: initial state in the slot dtype', () => {
  it('refuses an initial mean square that float32 rounds to ∞ (it would start every element frozen)', () => {
    const request = { name: 'w', dtype: 'float32' as const, length: 1, values: Float32Array.of(1), adopt: false, state: { meanSquare: 1e39, meanGrad: null, momentum: null } };
    expect(() => checkSlotRequest(request, ['float32', 'float64'])).toThrow(/^request\.state\.meanSquare = 1e\+39 is not allowed; expected a value float32 holds as a finite number \(≤ 3\.4028234663852886e\+38\) for a float32 slot$/);
    expect(() => checkSlotRequest({ ...request, dtype: 'float64', values: Float64Array.of(1) }, ['float32', 'float64'])).not.toThrow();
  });
});
