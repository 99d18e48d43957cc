/**
 * Helpers for the WebAssembly kernel's tests: a WasmSimdBackend whose arena the test can see (and whose kernel
 * calls it records), slot requests, gradients that span many magnitudes, byte snapshots, and a scalar model
 * of the kernels' arithmetic with a choice of where values are rounded to float32.
 */
import { dtypeOf, type DType, type FloatArray, type RMSPropConfig, type SlotRequest } from '@rmsprop/core';
import { KERNEL_CONSTANT, LARGEST_FINITE, createKernelConstants, initialState, setKernelConstants } from '@rmsprop/core';
import type { Rng } from '../../__fixtures__/random.js';
import { WasmArena } from '../wasm-arena.js';
import { WasmSimdBackend } from '../wasm-simd-backend.js';
import { CONSTANTS_COUNT, DESCRIPTOR_WORDS } from '../kernel-abi.generated.js';
import { instantiateKernels, type WasmKernel, type WasmKernels } from '../wasm-kernels.js';

/** A slot request for `values` whose state buffers fit `config`. */
export function slotRequest(
  name: string,
  values: FloatArray,
  config: Readonly<RMSPropConfig>,
  options: { dtype?: DType; adopt?: boolean } = {},
): SlotRequest {
  return {
    name,
    dtype: options.dtype ?? dtypeOf(values)!,
    length: values.length,
    values,
    adopt: options.adopt ?? false,
    state: initialState(config),
  };
}


/** One call into the kernel module, as the backend made it. */
export interface KernelCall {
  readonly variant: number;
  readonly dtype: DType;
  /** Descriptors in the call. */
  readonly count: number;
  /** Each descriptor: the offsets of θ, g, v, m, b and the length n, as the kernel read them. */
  readonly descriptors: readonly (readonly number[])[];
  /** The per-call constants (the 12 float64 the kernel read at its third argument's offset). */
  readonly scalars: readonly number[];
}

/** A WasmSimdBackend over an arena the test holds; every kernel call is recorded in `calls`. */
export interface WasmTestBackend {
  readonly backend: WasmSimdBackend;
  readonly arena: WasmArena;
  readonly kernels: WasmKernels;
  readonly calls: KernelCall[];
}

/**
 * A WasmSimdBackend made the way `createCpuBackend` makes it, but with the arena in the test's hands.
 * `shared: false` forces the fixed (ordinary memory) arena of `fixedBytes`.
 */
export async function wasmTestBackend(options: { shared?: boolean; fixedBytes?: number } = {}): Promise<WasmTestBackend> {
  const arena = WasmArena.create(options.fixedBytes ?? 64 * 1024 * 1024, { shared: options.shared });
  const kernels = await instantiateKernels(arena.memory, arena.mode === 'shared');
  if (typeof kernels === 'string') throw new Error(`the kernel module cannot run here: ${kernels}`);
  const calls: KernelCall[] = [];
  const record = (dtype: DType, list: readonly WasmKernel[]): WasmKernel[] =>
    list.map(
      (kernel, variant): WasmKernel =>
        (table: number, count: number, scalars: number) => {
          const words = new Int32Array(arena.memory.buffer, table, count * DESCRIPTOR_WORDS);
          const descriptors = Array.from({ length: count }, (_, i) => Array.from(words.subarray(i * DESCRIPTOR_WORDS, (i + 1) * DESCRIPTOR_WORDS)));
          calls.push({ variant, dtype, count, descriptors, scalars: Array.from(new Float64Array(arena.memory.buffer, scalars, CONSTANTS_COUNT)) });
          kernel(table, count, scalars);
        },
    );
  const recorded: WasmKernels = { ...kernels, float32: record('float32', kernels.float32), float64: record('float64', kernels.float64) };
  return { backend: new WasmSimdBackend(arena, recorded), arena, kernels, calls };
}

/** A copy of the arena's bytes in use (every slot's θ, g, v, m, b and the descriptor table). */
export function arenaBytes(arena: WasmArena): Uint8Array {
  return new Uint8Array(arena.memory.buffer, 0, arena.usedBytes).slice();
}

/**
 * θ₀ for a float64 run: magnitudes from 1e-20 to 1e20, both signs, with +0 and −0 mixed in.
 */
export function wideParams(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    out[i] = r < 0.05 ? 0 : r < 0.1 ? -0 : (rng.bool() ? -1 : 1) * 10 ** rng.uniform(-20, 20);
  }
  return out;
}

/** Values that make the arithmetic interesting: zeros of both signs, subnormals, the extremes, NaN and ±∞. */
const GRADIENT_EDGES = [0, -0, 5e-324, -5e-324, 1e-310, 1e-300, -1e-300, 1e150, -1e160, Number.MAX_VALUE, -Number.MAX_VALUE];
const NON_FINITE = [NaN, Infinity, -Infinity];

/**
 * A float64 gradient: each element a normal draw times a scale drawn per element from 1e-30…1e30 (so the
 * magnitudes within one gradient span 60 decades), with zeros (+0 and −0, 10% each), edge values (5%) and,
 * where `nonFinite`, one NaN or ±∞ now and then.
 */
export function wideGradient(rng: Rng, n: number, nonFinite = true): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    out[i] = r < 0.1 ? 0 : r < 0.2 ? -0 : r < 0.25 ? rng.pick(GRADIENT_EDGES) : rng.normal() * 10 ** rng.uniform(-30, 30);
  }
  if (nonFinite && n > 0 && rng.bool(0.05)) out[rng.int(0, n - 1)] = rng.pick(NON_FINITE);
  return out;
}

/** The state of one parameter in the scalar model (float64 arrays holding whatever values the model stores). */
export interface ModelState {
  meanSquare: Float64Array;
  meanGrad: Float64Array | null;
  momentum: Float64Array | null;
}

/**
 * Where the scalar model rounds to float32:
 * - `op`: after every arithmetic operation (and `constant`: each per-call constant), as the f32x4 kernel does;
 * - `store`: each value stored in θ, v, m, b (a Float32Array store);
 * - `decay`: θ after the decoupled decay θ − η·wd·θ (before the update);
 * - `foldDecay`: decoupled decay folded into the last subtraction, θ₀ − ((η·wd)·θ₀ + step), as the f32x4
 *   kernel computes it (scripts/wasm-kernel-wat.mjs).
 */
export interface Rounding {
  readonly op: (x: number) => number;
  readonly constant: (x: number) => number;
  readonly store: (x: number) => number;
  readonly decay: (x: number) => number;
  readonly foldDecay?: boolean;
  /** Where the update saturates: the largest finite value of the arithmetic's dtype (float64's by default). */
  readonly largest?: number;
}

const same = (x: number) => x;
/** Float64 throughout: the JS loops (and the reference) on float64 data, and the f64x2 kernel. */
export const FLOAT64: Rounding = { op: same, constant: same, store: same, decay: same };
/** Every operation and constant rounded to float32: what the f32x4 kernel computes. */
export const FLOAT32_OPS: Rounding = { op: Math.fround, constant: Math.fround, store: Math.fround, decay: Math.fround, foldDecay: true, largest: LARGEST_FINITE.float32 };
/** FLOAT32_OPS with the decoupled decay rounded on its own before the update (the order of the JS loops, and of the kernel before the fold). */
export const FLOAT32_OPS_UNFOLDED: Rounding = { ...FLOAT32_OPS, foldDecay: false };
/** Float64 arithmetic, float32 storage: the JS loops on float32 data. */
export const FLOAT32_STORE: Rounding = { op: same, constant: same, store: Math.fround, decay: same };
/** As FLOAT32_STORE, but θ is also rounded to float32 after the decoupled decay (the one rounding the f32x4 kernel adds there that matters). */
export const FLOAT32_STORE_ROUNDED_DECAY: Rounding = { op: same, constant: same, store: Math.fround, decay: Math.fround };

const scalars = createKernelConstants();

/**
 * One step of the kernels' arithmetic, element by element, with the operations of the JS loops (and of the
 * generated WebAssembly) in their order, rounded where `rounding` says. Updates `params` and `state` in
 * place. With FLOAT64 it is `referenceStep`; with FLOAT32_OPS it is what the f32x4 kernel computes (float32
 * +, −, ×, ÷ and √ are correctly rounded, and so is `Math.fround` of the same operation on float32 values
 * done in float64, since 53 ≥ 2·24 + 2).
 */
export function modelStep(
  config: Readonly<RMSPropConfig>,
  learningRate: number,
  t: number,
  params: Float64Array,
  grads: ArrayLike<number>,
  state: ModelState,
  rounding: Rounding,
): void {
  setKernelConstants(scalars, { config, learningRate, step: t });
  const R = rounding.op;
  const C = rounding.constant;
  const store = rounding.store;
  const gs = C(scalars[KERNEL_CONSTANT.gradientSign]);
  const lr = C(scalars[KERNEL_CONSTANT.learningRate]);
  const rho = C(scalars[KERNEL_CONSTANT.rho]);
  const rho1 = C(scalars[KERNEL_CONSTANT.oneMinusRho]);
  const epsIn = C(scalars[KERNEL_CONSTANT.epsilonInside]);
  const epsOut = C(scalars[KERNEL_CONSTANT.epsilonOutside]);
  const wd = C(scalars[KERNEL_CONSTANT.weightDecay]);
  const lrWd = C(scalars[KERNEL_CONSTANT.decoupledDecay]);
  const c = C(scalars[KERNEL_CONSTANT.correction]);
  const mu = C(scalars[KERNEL_CONSTANT.mu]);
  const inScale = C(scalars[KERNEL_CONSTANT.momentumInputScale]);
  const outScale = C(scalars[KERNEL_CONSTANT.momentumOutputScale]);
  const decay = !(config.weightDecay > 0) ? 0 : config.decoupledWeightDecay ? 2 : 1;
  const momentum = !(config.momentum > 0) ? 0 : config.nesterov ? 2 : 1;
  const { meanSquare: v, meanGrad: m, momentum: b } = state;
  const M = rounding.largest ?? LARGEST_FINITE.float64;
  // sat: clamped to [−M, M], NaN kept (the update program's `saturate`).
  const sat = (x: number) => (x > M ? M : x < -M ? -M : x);
  for (let i = 0; i < params.length; i++) {
    const th0 = params[i];
    const fold = decay === 2 && rounding.foldDecay === true;
    const th = decay === 2 && !fold ? rounding.decay(R(th0 - R(lrWd * th0))) : th0;
    const minus = (step: number) => (fold ? R(th0 - R(R(lrWd * th0) + step)) : R(th - step));
    const gd = R(R(gs * grads[i]) + R(wd * th));
    const g = decay === 1 ? (Number.isFinite(grads[i]) ? sat(gd) : gd) : R(gs * grads[i]);
    const vi = R((Number.isFinite(v[i]) ? R(rho * v[i]) : v[i]) + R(R(rho1 * g) * g));
    v[i] = store(vi);
    let s: number;
    if (config.centered) {
      const mi = R(R(rho * m![i]) + R(rho1 * g));
      m![i] = store(mi);
      if (config.biasCorrection) {
        const mh = R(mi / c);
        s = Math.max(R(R(vi / c) - sat(R(mh * mh))), 0);
      } else {
        s = Math.max(R(vi - sat(R(mi * mi))), 0);
      }
    } else {
      s = config.biasCorrection ? R(vi / c) : vi;
    }
    const u = sat(R(g / R(R(Math.sqrt(R(s + epsIn))) + epsOut)));
    // Decoupled decay: the step θ loses is saturated too.
    const last = decay === 2 ? sat : same;
    if (momentum === 0) {
      params[i] = store(minus(last(R(lr * u))));
    } else {
      const bi = sat(R(R(mu * b![i]) + R(inScale * u)));
      b![i] = store(bi);
      params[i] = momentum === 1 ? store(minus(last(R(outScale * bi)))) : store(minus(last(R(outScale * sat(R(R(inScale * u) + R(mu * bi)))))));
    }
  }
}

/** The model's initial state for `config` and `length`, with v at initialMeanSquare as `rounding` stores it. */
export function modelState(config: Readonly<RMSPropConfig>, length: number, rounding: Rounding): ModelState {
  return {
    meanSquare: new Float64Array(length).fill(rounding.store(config.initialMeanSquare)),
    meanGrad: config.centered ? new Float64Array(length) : null,
    momentum: config.momentum > 0 ? new Float64Array(length) : null,
  };
}
