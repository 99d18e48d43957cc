/**
 * What the backend contract suite's tests share: slot requests, gradients, reads that take the
 * asynchronous path where a slot has one, byte snapshots, the typed-error check, and the comparison with
 * the float64 reference in ulps of each buffer's scale.
 */
import {
  initialState,
  RMSPropError,
  STATE_BUFFERS,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropBackend,
  type RMSPropConfig,
  type SlotRequest,
  type SlotState,
  type StateArrays,
  type StateBuffer,
} from '@rmsprop/core';
import { expect } from 'vitest';
import { stateArrays } from '../state-arrays.js';
import { scaledUlpDistance } from '../ulp-distance.js';

/** A deterministic generator (mulberry32), so every run of the suite sees the same numbers. */
export class ContractRng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Roughly normal (sum of uniforms), times `scale`. */
  normal(scale = 1): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7 * scale;
  }
}

/** A typed array of `dtype` holding `values` (rounded to float32 for float32). */
export function floatArray(dtype: DType, values: ArrayLike<number>): FloatArray {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

/** `n` values of `dtype` drawn from `rng`, with magnitudes around `scale`. */
export function randomArray(rng: ContractRng, dtype: DType, n: number, scale = 1): FloatArray {
  return floatArray(dtype, Array.from({ length: n }, () => rng.normal(scale)));
}

/** The other dtype: the wrong one for a gradient of a `dtype` slot. */
export function otherDtype(dtype: DType): DType {
  return dtype === 'float32' ? 'float64' : 'float32';
}

/** A slot request for `values` whose state buffers fit `config` (`initialState(config)`). */
export function slotRequest(name: string, values: FloatArray, config: Readonly<RMSPropConfig>, adopt = false): SlotRequest {
  return {
    name,
    dtype: values instanceof Float32Array ? 'float32' : 'float64',
    length: values.length,
    values,
    adopt,
    state: initialState(config),
  };
}

/**
 * Arrays for `writeState` for a slot under `config`: `make(buffer, index)` for each state buffer the config
 * keeps, null for the others.
 */
export function stateFor<T>(config: Readonly<RMSPropConfig>, make: (buffer: StateBuffer, index: number) => T): StateArrays<T> {
  return stateArrays((buffer, index) => (buffer.neededBy(config) ? make(buffer, index) : null));
}

/**
 * A config that keeps every state buffer of `STATE_BUFFERS`: the contract points that write, read and
 * compare every buffer use it. Throws (when the suite is defined) where it does not: a buffer added to core
 * and switched on by a config field not set here needs that field set here.
 */
export function keepingEveryBuffer(config: Readonly<RMSPropConfig>): Readonly<RMSPropConfig> {
  const missing = STATE_BUFFERS.filter((buffer) => !buffer.neededBy(config));
  if (missing.length > 0) {
    throw new Error(`backend contract suite: its config that keeps every state buffer keeps no ${missing.map((b) => b.name).join(', ')}: set ${missing.map((b) => b.switchedBy!.field).join(', ')} there`);
  }
  return config;
}

/** The slot's parameters, read asynchronously where the slot can (WebGPU reads only that way). */
export async function readParams(slot: BackendSlot): Promise<FloatArray> {
  return slot.readParamsAsync === undefined ? slot.readParams() : slot.readParamsAsync();
}

/** The slot's state, read asynchronously where the slot can. */
export async function readState(slot: BackendSlot): Promise<SlotState> {
  return slot.readStateAsync === undefined ? slot.readState() : slot.readStateAsync();
}

/** The bytes of a typed array as hex ('null' for null; undefined, where a state read lacks a buffer, shows too), so that −0, NaN payloads and all compare exactly. */
export function hex(values: FloatArray | null | undefined): string {
  if (values === null || values === undefined) return String(values);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let out = `${values.constructor.name}:`;
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * Every slot's θ and state as bytes (read through the interface), plus the live host view where the slot
 * has one (for an adopted array, the caller's own array) and any extra arrays the test watches.
 */
export async function snapshot(slots: readonly BackendSlot[], watched: readonly FloatArray[] = []): Promise<string[]> {
  const out: string[] = [];
  for (const slot of slots) {
    const state = await readState(slot);
    const buffers = STATE_BUFFERS.map(({ name, symbol }) => ` ${symbol} ${hex(state[name])}`).join('');
    out.push(`${slot.name}: θ ${hex(await readParams(slot))}${buffers}` + (slot.params === null ? '' : ` view ${hex(slot.params)}`));
  }
  for (const w of watched) out.push(`watched ${hex(w)}`);
  return out;
}

/** The thrown value of `run` (sync or async), or fails the test where nothing is thrown. */
export async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected a throw, but the call returned');
}

/** The typed error a contract point expects: its class, `code`, message, and fields such as `field`. */
export interface ExpectedError {
  readonly type: abstract new (...args: never[]) => RMSPropError;
  readonly code: string;
  readonly message: RegExp;
  readonly props?: Readonly<Record<string, unknown>>;
}

/** Checks that `run` throws the typed error `expected` describes; returns it. */
export async function expectTypedError(run: () => unknown, expected: ExpectedError, what = ''): Promise<RMSPropError> {
  const error = await thrownBy(run);
  const label = what === '' ? '' : `${what}: `;
  expect(error, `${label}${String(error)}`).toBeInstanceOf(expected.type);
  const e = error as RMSPropError;
  expect(e.code, `${label}code`).toBe(expected.code);
  expect(e.message, `${label}message`).toMatch(expected.message);
  for (const [key, value] of Object.entries(expected.props ?? {})) expect((e as unknown as Record<string, unknown>)[key], `${label}${key}`).toEqual(value);
  return e;
}

/** The largest distance of `actual` from `expected`, in ulps (of `dtype`) of the buffer's scale (max |expected|). */
export function bufferUlps(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: DType): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Object.is(actual[i], expected[i]) ? 0 : scaledUlpDistance(actual[i], expected[i], scale, dtype);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

/** Makes a backend for a test and disposes every one made when the suite ends. */
export class BackendPool {
  readonly #factory: () => Promise<RMSPropBackend>;
  readonly #made: RMSPropBackend[] = [];
  #shared: Promise<RMSPropBackend> | null = null;

  constructor(factory: () => Promise<RMSPropBackend>) {
    this.#factory = factory;
  }

  /** One backend that the tests share (made on first use). */
  shared(): Promise<RMSPropBackend> {
    this.#shared ??= this.fresh();
    return this.#shared;
  }

  /** A backend of its own, for a test that disposes it or needs a second instance. */
  async fresh(): Promise<RMSPropBackend> {
    const backend = await this.#factory();
    this.#made.push(backend);
    return backend;
  }

  /** Disposes every backend made (disposing twice is a no-op by contract). */
  disposeAll(): void {
    for (const backend of this.#made.splice(0)) backend.dispose();
    this.#shared = null;
  }
}
