import type { StepHyperparameters } from './backend.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import { STATE_BUFFER_NAMES, type StateBufferName } from './state-buffers.js';

/*
 * The update, described once: the per-element operations of one RMSProp step for each variant of the spec,
 * as a small typed program (loads, stores, named per-call constants, + − × ÷ √ and max(·, 0)). Every kernel
 * is generated from it: the CPU backend's JS loops and WebAssembly (f32x4, f64x2), the gpu.js source, and
 * the tfjs op chain (interpreted). The float64 reference (reference-step.ts) stays hand-written as the
 * independent check; the program follows it operation by operation, so that a float64 kernel generated
 * from it gives the reference's bits.
 */

/** How momentum enters: none (μ = 0), heavy ball, Nesterov. */
export type MomentumKind = 'none' | 'heavyBall' | 'nesterov';
/** How weight decay enters: none (wd = 0), coupled (added to g), decoupled (θ shrinks before the update). */
export type WeightDecayKind = 'none' | 'coupled' | 'decoupled';

/**
 * The switches that change which operations run (and so get a kernel each). The others (maximize,
 * epsilonPlacement, learningRateInMomentum) are exact per-call constants (see `KERNEL_CONSTANTS`).
 */
export interface UpdateVariant {
  readonly momentum: MomentumKind;
  readonly centered: boolean;
  readonly biasCorrection: boolean;
  readonly weightDecay: WeightDecayKind;
}

const MOMENTUM_KINDS: readonly MomentumKind[] = ['none', 'heavyBall', 'nesterov'];
const WEIGHT_DECAY_KINDS: readonly WeightDecayKind[] = ['none', 'coupled', 'decoupled'];

/** Every variant, in index order (`variantIndex`): momentum × centered × bias correction × weight decay. */
export const UPDATE_VARIANTS: readonly UpdateVariant[] = MOMENTUM_KINDS.flatMap((momentum) =>
  [false, true].flatMap((centered) =>
    [false, true].flatMap((biasCorrection) => WEIGHT_DECAY_KINDS.map((weightDecay) => ({ momentum, centered, biasCorrection, weightDecay }))),
  ),
);

/** A variant's position in `UPDATE_VARIANTS`: the kernels' numbering. */
export function variantIndex(variant: UpdateVariant): number {
  return (
    MOMENTUM_KINDS.indexOf(variant.momentum) * 12 +
    (variant.centered ? 6 : 0) +
    (variant.biasCorrection ? 3 : 0) +
    WEIGHT_DECAY_KINDS.indexOf(variant.weightDecay)
  );
}

/**
 * The index of `config`'s variant, without allocating (it runs once per slot per step). Equal to
 * `variantIndex(variantOf(config))`.
 */
export function variantIndexOf(config: Readonly<RMSPropConfig>): number {
  const momentum = !(config.momentum > 0) ? 0 : config.nesterov ? 2 : 1;
  const weightDecay = !(config.weightDecay > 0) ? 0 : config.decoupledWeightDecay ? 2 : 1;
  return momentum * 12 + (config.centered ? 6 : 0) + (config.biasCorrection ? 3 : 0) + weightDecay;
}

/** The variant of `config`. */
export function variantOf(config: Readonly<RMSPropConfig>): UpdateVariant {
  return UPDATE_VARIANTS[variantIndexOf(config)];
}

/**
 * The per-call constants a kernel reads, in their fixed order (their index in a constants block). Switches
 * that are not variants fold into them, each fold exact in IEEE arithmetic for every input, NaN and ±0
 * included, so the folded program gives bit for bit the reference's result:
 * - maximize: g = gradientSign·g with gradientSign = ±1 (−1·x is −x, 1·x is x);
 * - epsilonPlacement: d = √(s + epsilonInside) + epsilonOutside with the unused one 0: x + 0 is x for every
 *   x but −0, and neither s (a sum with a +0 or positive term, or a max with 0) nor √(s + ε) is −0;
 * - learningRateInMomentum: b = μ·b + momentumInputScale·u and θ = θ − momentumOutputScale·(…), one of the
 *   two scales η and the other 1 (1·x is x).
 */
export const KERNEL_CONSTANTS = [
  /** −1 under maximize, else 1. */
  'gradientSign',
  /** η for this step. */
  'learningRate',
  /** ρ. */
  'rho',
  /** 1 − ρ, as the reference computes it. */
  'oneMinusRho',
  /** ε where epsilonPlacement is 'inside', else 0. */
  'epsilonInside',
  /** ε where epsilonPlacement is 'outside', else 0. */
  'epsilonOutside',
  /** wd (coupled: g ← g + wd·θ). */
  'weightDecay',
  /** η·wd, as the reference's `η * wd * θ` groups it (decoupled: θ ← θ − (η·wd)·θ). */
  'decoupledDecay',
  /** 1 − ρᵗ (bias correction: v̂ = v / (1 − ρᵗ)). */
  'correction',
  /** μ. */
  'mu',
  /** What u is scaled by on its way into b: η when learningRateInMomentum, else 1. */
  'momentumInputScale',
  /** What scales b's contribution to θ: 1 when learningRateInMomentum, else η. */
  'momentumOutputScale',
] as const;

/** A per-call constant's name. */
export type KernelConstantName = (typeof KERNEL_CONSTANTS)[number];

/** Each constant's index in a constants block (a Float64Array of `KERNEL_CONSTANTS.length`). */
export const KERNEL_CONSTANT: { readonly [K in KernelConstantName]: number } = Object.fromEntries(
  KERNEL_CONSTANTS.map((name, index) => [name, index]),
) as { [K in KernelConstantName]: number };

/** A block of per-call constants, indexed by `KERNEL_CONSTANT`. */
export function createKernelConstants(): Float64Array {
  return new Float64Array(KERNEL_CONSTANTS.length);
}

/**
 * Fill a constants block for one slot's step: `hyper.learningRate` is η after any schedule, `hyper.step` is
 * t (1-based). Writes in place and allocates nothing.
 */
export function setKernelConstants(k: Float64Array, hyper: StepHyperparameters): void {
  const { config, learningRate, step } = hyper;
  const inside = config.epsilonPlacement === 'inside';
  const lrInBuffer = config.learningRateInMomentum;
  const c = KERNEL_CONSTANT;
  k[c.gradientSign] = config.maximize ? -1 : 1;
  k[c.learningRate] = learningRate;
  k[c.rho] = config.rho;
  k[c.oneMinusRho] = 1 - config.rho;
  k[c.epsilonInside] = inside ? config.epsilon : 0;
  k[c.epsilonOutside] = inside ? 0 : config.epsilon;
  k[c.weightDecay] = config.weightDecay;
  k[c.decoupledDecay] = learningRate * config.weightDecay;
  k[c.correction] = 1 - Math.pow(config.rho, step);
  k[c.mu] = config.momentum;
  k[c.momentumInputScale] = lrInBuffer ? learningRate : 1;
  k[c.momentumOutputScale] = lrInBuffer ? 1 : learningRate;
}

/**
 * Whether two constants blocks hold the same values, as `Object.is` compares them (−0 is not +0; NaN
 * does not occur: callers fill both from valid configs). Written out, so that no number is boxed.
 */
export function sameKernelConstants(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y || (x === 0 && 1 / x !== 1 / y)) return false;
  }
  return true;
}

/** The buffers a program reads: θ, the gradient, and the state buffers. Only θ and the state are stored. */
export type ProgramBuffer = 'param' | 'grad' | StateBufferName;

/** An expression of the program: a tree of loads, constants, earlier locals and arithmetic. */
export type ProgramExpression =
  | { readonly op: 'load'; readonly buffer: ProgramBuffer }
  | { readonly op: 'constant'; readonly name: KernelConstantName }
  | { readonly op: 'local'; readonly name: string }
  | { readonly op: 'add' | 'sub' | 'mul' | 'div'; readonly a: ProgramExpression; readonly b: ProgramExpression }
  | { readonly op: 'sqrt'; readonly a: ProgramExpression }
  /**
   * max(a, 0) as `Math.max`: NaN stays NaN. Its operand is always a local (so that a target without a max
   * instruction can write `a < 0 ? 0 : a`), and never −0 (see the program), so max and pmax agree.
   */
  | { readonly op: 'max0'; readonly a: ProgramExpression & { readonly op: 'local' } }
  /**
   * a clamped to [−M, M], M the largest finite value of the target's dtype (float32 3.4028234663852886e38,
   * float64 Number.MAX_VALUE); NaN stays NaN, −0 stays −0. Its operand is a local, so that a target can
   * write it with comparisons (`a > M ? M : a < −M ? −M : a`) without repeating an expression. Where the
   * program's inputs are finite, it keeps what an overflow made infinite finite, so that no ∞ − ∞, 0·∞ or
   * ∞/∞ follows (see `updateProgram`). `nonNegative`: the operand is ≥ 0 or NaN (a square), so the lower
   * bound never applies.
   */
  | { readonly op: 'saturate'; readonly a: ProgramExpression & { readonly op: 'local' }; readonly nonNegative?: true }
  /**
   * a finite ? scale·a : a, for a constant `scale` in [0, 1] (ρ): a decayed running value whose +∞ stays
   * +∞ where 0·∞ would be NaN. For such a scale it equals max'(a − M, scale·a) with max'(x, y) = x < y ? y : x
   * (WebAssembly's pmax): a − M < scale·a for every finite a, and a − M is ±∞ or NaN where a is; one
   * subtraction and one maxps, where a select on finiteness takes five instructions.
   */
  | { readonly op: 'scaleFinite'; readonly scale: KernelConstantName; readonly a: ProgramExpression & { readonly op: 'local' } }
  /** `test` finite ? a : b (a finite test is one with test − test = 0). */
  | { readonly op: 'whereFinite'; readonly test: ProgramExpression; readonly a: ProgramExpression; readonly b: ProgramExpression };

/** A statement: bind a local (each local once) or store into θ or a state buffer (each buffer once, θ last). */
export type ProgramStatement =
  | { readonly kind: 'let'; readonly name: string; readonly value: ProgramExpression }
  | { readonly kind: 'store'; readonly buffer: 'param' | StateBufferName; readonly value: ProgramExpression };

/** One variant's per-element program. */
export interface UpdateProgram {
  readonly variant: UpdateVariant;
  /** Statements in order; the last stores θ. */
  readonly statements: readonly ProgramStatement[];
  /** The buffers it loads, in `ProgramBuffer` order (θ, g, then the state buffers it keeps). */
  readonly buffers: readonly ProgramBuffer[];
  /** The state buffers it stores, in `STATE_BUFFERS` order. */
  readonly stateBuffers: readonly StateBufferName[];
  /** The constants it reads, in `KERNEL_CONSTANTS` order. */
  readonly constants: readonly KernelConstantName[];
  /** The locals it binds, in order. */
  readonly locals: readonly string[];
}

/** How a target rounds: see `updateProgram`. */
export interface ProgramOptions {
  /**
   * Fold decoupled weight decay into θ's last subtraction: θ₀ − ((η·wd)·θ₀ + step) instead of
   * rounding θ₀ − (η·wd)·θ₀ on its own. For targets that round every operation to float32: with η·wd·|θ|
   * below an ulp of θ, the separate rounding moves θ the same way every step (measured: 49 ulps over 100
   * steps); folded, the decay is rounded together with the update, as the spec's exact arithmetic adds
   * them. Float64 targets do not fold (the reference's order, bit for bit).
   */
  readonly foldDecoupledDecay: boolean;
}

const k = (name: KernelConstantName): ProgramExpression => ({ op: 'constant', name });
const load = (buffer: ProgramBuffer): ProgramExpression => ({ op: 'load', buffer });
const local = (name: string) => ({ op: 'local', name }) as const;
const add = (a: ProgramExpression, b: ProgramExpression): ProgramExpression => ({ op: 'add', a, b });
const sub = (a: ProgramExpression, b: ProgramExpression): ProgramExpression => ({ op: 'sub', a, b });
const mul = (a: ProgramExpression, b: ProgramExpression): ProgramExpression => ({ op: 'mul', a, b });
const div = (a: ProgramExpression, b: ProgramExpression): ProgramExpression => ({ op: 'div', a, b });
const sqrt = (a: ProgramExpression): ProgramExpression => ({ op: 'sqrt', a });

/**
 * The per-element program of `variant`. It follows `referenceStep` line by line (the spec in docs/spec.md):
 *
 * ```text
 * θ₀ = θ;  decoupled: θ = θ₀ − (η·wd)·θ₀
 * g = gradientSign·g;  coupled: g = sat(g + wd·θ) where g is finite
 * v = (v finite ? ρ·v : v) + ((1−ρ)·g)·g       centered: m = ρ·m + (1−ρ)·g
 * s = centered ? max(v̂ − sat(m̂·m̂), 0) : v̂   (v̂ = v/(1−ρᵗ), m̂ = m/(1−ρᵗ) under bias correction)
 * u = sat(g / (√(s + εᵢ) + εₒ))
 * none:      θ = θ − η·u
 * momentum:  b = sat(μ·b + in·u);  θ = θ − out·(heavy ball ? b : sat(in·u + μ·b))
 * decoupled: the step θ loses (η·u or out·(…)) saturated
 * ```
 *
 * sat(x) clamps x to the dtype's finite range and keeps NaN (the `saturate` operation). Where θ, the
 * gradient and the state are finite and the constants are finite in the dtype (checkSlotUpdates), no
 * operation then meets ∞ − ∞, 0·∞ or ∞/∞, so no NaN comes out: an overflowing square makes v +∞ and that
 * element's step 0 from then on (as in PyTorch and TensorFlow, whose float32 vectors show it), and every
 * other overflow saturates but θ's: θ may overflow to ±∞, as in the frameworks (saturating it measured
 * 14 % of the float32 kernel's speed). m and b stay finite. Each guard is one or two SIMD instructions.
 * Where nothing overflows, sat is the identity and the program is the reference's formula, operation for
 * operation. A non-finite gradient
 * (the 'propagate' policy) is not saturated: it reaches v, m and θ as the formula takes it.
 */
export function updateProgram(variant: UpdateVariant, options: ProgramOptions): UpdateProgram {
  const statements: ProgramStatement[] = [];
  const bind = (name: string, value: ProgramExpression) => {
    statements.push({ kind: 'let', name, value });
    return local(name);
  };
  const store = (buffer: 'param' | StateBufferName, value: ProgramExpression) => statements.push({ kind: 'store', buffer, value });
  // sat(x): x bound to a local `name`, then saturated (the operation's operand is always a local).
  const saturate = (name: string, value: ProgramExpression): ProgramExpression => ({ op: 'saturate', a: bind(name, value) });
  // sat(x·x), bound to `name`: a square is ≥ 0 or NaN, so only the upper bound can apply.
  const square = (name: string, x: ProgramExpression): ProgramExpression => ({ op: 'saturate', a: bind(name, mul(x, x)), nonNegative: true });

  // θ₀ = θ;  decoupled (not folded): θ = θ₀ − (η·wd)·θ₀
  const theta0 = bind('th0', load('param'));
  const fold = options.foldDecoupledDecay && variant.weightDecay === 'decoupled';
  const theta = variant.weightDecay === 'decoupled' && !fold ? bind('th', sub(theta0, mul(k('decoupledDecay'), theta0))) : theta0;
  // θ − step, or with the decay folded in, θ₀ − ((η·wd)·θ₀ + step).
  const minus = (step: ProgramExpression) => (fold ? sub(theta0, add(mul(k('decoupledDecay'), theta0), step)) : sub(theta, step));
  // The step θ loses, saturated under decoupled decay, where (η·wd)·θ₀ may overflow: then ∞ − ∞ cannot
  // follow. Elsewhere θ is finite and an infinite step leaves ∓∞, not NaN.
  const last = (step: ProgramExpression) => (variant.weightDecay === 'decoupled' ? saturate('ls', step) : step);

  // g = gradientSign·g;  coupled: g = sat(g + wd·θ) where g is finite (an infinite g stays as the sum gives it)
  const signed = mul(k('gradientSign'), load('grad'));
  let g: ProgramExpression;
  if (variant.weightDecay === 'coupled') {
    const gs = bind('gs', signed);
    const decayed = bind('gd', add(gs, mul(k('weightDecay'), theta)));
    g = bind('g', { op: 'whereFinite', test: gs, a: { op: 'saturate', a: decayed }, b: decayed });
  } else {
    g = bind('g', signed);
  }

  // v = (v finite ? ρ·v : v) + ((1−ρ)·g)·g: an overflowing square makes v +∞ (as in PyTorch and TensorFlow),
  // and a +∞ v stays +∞, where ρ = 0 would make 0·∞ = NaN.
  const v0 = bind('v0', load('meanSquare'));
  const v = bind('vi', add({ op: 'scaleFinite', scale: 'rho', a: v0 }, mul(mul(k('oneMinusRho'), g), g)));
  store('meanSquare', v);

  // s = centered ? max(v̂ − m̂·m̂, 0) : v̂
  let s: ProgramExpression;
  if (variant.centered) {
    // m = ρ·m + (1−ρ)·g
    const m = bind('mi', add(mul(k('rho'), load('meanGrad')), mul(k('oneMinusRho'), g)));
    store('meanGrad', m);
    // The difference is never −0: v ≥ +0 is a sum with a +0 or positive term, and +0 − +0 is +0. m² is
    // saturated: where it overflows v̂ has too (v̂ ≥ m̂²), and ∞ − M is ∞ where ∞ − ∞ would be NaN.
    if (variant.biasCorrection) {
      const mHat = bind('mh', div(m, k('correction')));
      s = { op: 'max0', a: bind('sd', sub(div(v, k('correction')), square('m2', mHat))) };
    } else {
      s = { op: 'max0', a: bind('sd', sub(v, square('m2', m))) };
    }
  } else {
    s = variant.biasCorrection ? div(v, k('correction')) : v;
  }

  // u = sat(g / (√(s + εᵢ) + εₒ))
  const u = bind('u', saturate('ud', div(g, add(sqrt(add(s, k('epsilonInside'))), k('epsilonOutside')))));

  if (variant.momentum === 'none') {
    // θ = θ − η·u  (decoupled: θ − sat(η·u))
    store('param', minus(last(mul(k('learningRate'), u))));
  } else {
    // b = sat(μ·b + in·u)
    const b = bind('bi', saturate('bs', add(mul(k('mu'), load('momentum')), mul(k('momentumInputScale'), u))));
    store('momentum', b);
    // heavy ball: θ = θ − out·b;  Nesterov: θ = θ − out·sat(in·u + μ·b)  (decoupled: the step saturated)
    const step = variant.momentum === 'heavyBall' ? b : saturate('ns', add(mul(k('momentumInputScale'), u), mul(k('mu'), b)));
    store('param', minus(last(mul(k('momentumOutputScale'), step))));
  }
  return describe(variant, statements);
}

/** The program with what it reads, stores and binds listed. */
function describe(variant: UpdateVariant, statements: readonly ProgramStatement[]): UpdateProgram {
  const buffers = new Set<ProgramBuffer>();
  const constants = new Set<KernelConstantName>();
  const visit = (e: ProgramExpression): void => {
    if (e.op === 'load') buffers.add(e.buffer);
    else if (e.op === 'constant') constants.add(e.name);
    else if (e.op === 'sqrt' || e.op === 'max0' || e.op === 'saturate') visit(e.a);
    else if (e.op === 'scaleFinite') {
      constants.add(e.scale);
      visit(e.a);
    } else if (e.op === 'whereFinite') {
      visit(e.test);
      visit(e.a);
      visit(e.b);
    } else if (e.op !== 'local') {
      visit(e.a);
      visit(e.b);
    }
  };
  for (const statement of statements) visit(statement.value);
  const stores = statements.filter((s) => s.kind === 'store').map((s) => s.buffer);
  const bufferOrder: readonly ProgramBuffer[] = ['param', 'grad', ...STATE_BUFFER_NAMES];
  return {
    variant,
    statements,
    buffers: bufferOrder.filter((b) => buffers.has(b)),
    stateBuffers: STATE_BUFFER_NAMES.filter((b) => stores.includes(b)),
    constants: KERNEL_CONSTANTS.filter((c) => constants.has(c)),
    locals: statements.flatMap((s) => (s.kind === 'let' ? [s.name] : [])),
  };
}

/** Per variant, its state buffers as a bit mask (bit b: `STATE_BUFFER_NAMES[b]`), from the program. */
const VARIANT_STATE_MASKS: readonly number[] = UPDATE_VARIANTS.map((variant) =>
  updateProgram(variant, { foldDecoupledDecay: false }).stateBuffers.reduce((mask, name) => mask | (1 << STATE_BUFFER_NAMES.indexOf(name)), 0),
);

/**
 * The state buffers `config` needs, as a bit mask (bit b: `STATE_BUFFER_NAMES[b]`): those its variant's
 * program stores. Allocates nothing (it runs once per slot per step).
 */
export function stateMaskOf(config: Readonly<RMSPropConfig>): number {
  return VARIANT_STATE_MASKS[variantIndexOf(config)];
}
