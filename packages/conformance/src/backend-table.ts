import type { CaseSkip, ConformanceBackend } from './conformance-implementation.js';
import type { BackendTolerance } from './tolerance.js';

/*
 * The one table of backends the golden vectors run on. Each backend package's tests call
 * `defineConformanceSuite(name, factory, cases)` with its row's name; the CLI imports `module` in Node.
 * Every tolerance below was measured on the committed vectors (docs/conformance.md has the matrix) and
 * says why it has its size.
 */

/**
 * Measured: the spec's arithmetic in float64 differs from PyTorch's by at most 4 ulps and from a plain
 * numpy implementation by 1 ulp (of each element's trajectory scale) over the committed float64 cases: PyTorch fuses
 * v = fma((1−α)·g, g, α·v), computes (−η·g)/d instead of η·(g/d) and θ = fma(−η, b, θ), so each step
 * rounds differently in 2–3 operations, and those differences are carried from step to step. 8 ulps is
 * twice the worst measured; a real mistake (a wrong switch or constant) costs millions of ulps.
 */
const FLOAT64_TOLERANCE: BackendTolerance = {
  ulps: 8,
  reason: 'float64 frameworks round 2–3 operations per step differently (fma, η·g before the divide); measured ≤ 4 ulp of the trajectory scale, bound 2× that',
};

/**
 * Measured: ≤ 5 ulps (of the trajectory scale) against PyTorch float32 and ≤ 2.5 against tfjs float32 over
 * the committed cases. Those frameworks round every operation to float32, while the spec's value for a
 * float32 parameter is computed exactly (in float64) from the float32 state and rounded once per stored
 * value; each step therefore differs by a few float32 roundings, carried forward through θ, v and b.
 * 8 ulps bounds the measured 5 with the same factor as float64 allows.
 */
const FLOAT32_TOLERANCE: BackendTolerance = {
  ulps: 8,
  reason: 'PyTorch and tfjs round every float32 operation; the spec rounds once per stored value; measured ≤ 5 ulp of the trajectory scale, bound ≈ 1.6× that',
};

/**
 * Cases whose expected values are a framework's own float32 overflow, which the spec's arithmetic avoids.
 * The spec column computes g² in float64, so it does not overflow where PyTorch's float32 g² does;
 * reference/float32/huge-gradient checks the spec's behaviour instead. Only the spec column skips it: every
 * backend row computes float32 cases in float32 operations, where g² overflows as PyTorch's does.
 */
const FLOAT64_ARITHMETIC_SKIPS = [
  {
    case: 'pytorch/float32/huge-grads',
    reason: "PyTorch's float32 g² = 1e60 overflows to ∞ and freezes θ; the spec computes g² in float64, where it is finite (see reference/float32/huge-gradient)",
  },
];

/** The tolerance of the spec's own column (the float64 reference, with float32 storage for float32 cases). */
export const SPEC_TOLERANCE: Readonly<Partial<Record<'float32' | 'float64', BackendTolerance>>> = {
  float64: FLOAT64_TOLERANCE,
  float32: FLOAT32_TOLERANCE,
};

/** Cases the spec column skips, each with its reason. */
export const SPEC_SKIPS = FLOAT64_ARITHMETIC_SKIPS;

/**
 * For implementations that round every operation to float32: tfjs's ops, the CPU backend's WebAssembly
 * f32x4 kernel and its JS loops on float32 data (every operation rounded with Math.fround: bit for bit the
 * f32x4 kernel), and gpu.js's kernel in cpu mode (the same rounding). Measured: ≤ 7 ulps (of the trajectory
 * scale) from the spec's reference cases (reference/float32/tf1-momentum; ≤ 4.5 elsewhere), ≤ 3 from
 * PyTorch float32 and ≤ 2 from tf.train.rmsprop's own vectors (≤ 10 steps each), the same case by case on
 * tfjs cpu, wasm, webgl, webgpu and the f32x4 kernel. Each operation rounds to float32 (9 in the plain
 * variant, up to 24 with every switch on), where the spec rounds once per stored value, and the differences
 * are carried from step to step through θ, v and b: over the 40 steps of backend-tfjs's model.fit test
 * (momentum 0.9) the drift from the spec's arithmetic (the CPU backend's JS loops, when they computed in
 * float64) grows to 13 ulps and levels off. 16 ulps is about twice the worst measured on the vectors, and
 * above the longest run measured.
 */
const FLOAT32_OPS_TOLERANCE: BackendTolerance = {
  ulps: 16,
  reason: 'every operation rounds to float32 (9–24 per step), the spec once per stored value; measured ≤ 7 ulp of the trajectory scale, bound ≈ 2× that',
};

/** Cases whose expected values depend on float64 arithmetic inside a step, which float32 operations lack. */
const FLOAT32_ARITHMETIC_SKIPS = [
  {
    case: 'reference/float32/huge-gradient',
    reason: "g² computed in float32 overflows to ∞ for g = 1e30, as in PyTorch's float32 (pytorch/float32/huge-grads checks that)",
  },
  {
    case: 'reference/float32/epsilon-tiny',
    reason:
      '(1−ρ)·g·g = 9e-43 computed in float32 is a subnormal with ~10 significant bits, and its root is taken; the spec keeps it in float64 ' +
      'until v is stored, so θ differs by the subnormal’s precision (3e-5 relative, 2e5 ulp), as any float32-arithmetic implementation would',
  },
];

/** Cases that need subnormal float32 inputs, which GPU shaders may flush to zero. */
const GPU_SKIPS = [
  ...FLOAT32_ARITHMETIC_SKIPS,
  {
    case: 'reference/float32/subnormal-gradient',
    reason:
      'GPU shaders may flush subnormal float32 values to zero (GLSL ES 3.00 and WGSL allow it; SwiftShader does), so g = 1e-40 reads as 0 and θ takes no step',
  },
];

/**
 * gpu.js's GLSL kernel map on WebGL2 rounds every operation to float32, in the order of tfjs's ops and the
 * f32x4 kernel. Measured in headless Chromium 156 (ANGLE on SwiftShader): ≤ 3 ulps from PyTorch, ≤ 7 from
 * the reference cases, ≤ 2 from tfjs, the same as the f32x4 kernel, and parameters bit-identical to the
 * f32x4 kernel's after 300 steps in four variants (SwiftShader rounds √ and ÷ correctly). GLSL ES 3.00
 * lets a GPU's ÷ be off by 2.5 ulps; the bound is the float32-operations bound, not checked on hardware.
 */
const GPUJS_WEBGL2_TOLERANCE: BackendTolerance = FLOAT32_OPS_TOLERANCE;

/** A row for @rmsprop/backend-tfjs on one TensorFlow.js backend. */
function tfjsRow(tfjsBackend: string, runtimes: readonly string[], skips: readonly CaseSkip[] = FLOAT32_ARITHMETIC_SKIPS): ConformanceBackend {
  return {
    name: `tfjs-${tfjsBackend}`,
    module: '@rmsprop/backend-tfjs',
    factoryExport: 'createTfjsBackend',
    factoryOptions: { tfjsBackend },
    setup: [`@tensorflow/tfjs-backend-${tfjsBackend}`],
    dtypes: ['float32'],
    tolerance: { float32: FLOAT32_OPS_TOLERANCE },
    skips,
    runtimes,
  };
}

/** Every backend, its dtypes, tolerances and skips. */
export const CONFORMANCE_BACKENDS: readonly ConformanceBackend[] = Object.freeze([
  {
    name: 'cpu',
    module: '@rmsprop/backend-cpu',
    factoryExport: 'createCpuBackend',
    factoryOptions: { kernel: 'wasm-simd' },
    dtypes: ['float32', 'float64'],
    // float64: f64x2 with the JS loops' operations, bit-identical to the spec column; float32: f32x4.
    tolerance: { float64: FLOAT64_TOLERANCE, float32: FLOAT32_OPS_TOLERANCE },
    skips: FLOAT32_ARITHMETIC_SKIPS,
    runtimes: ['node', 'browser'],
  },
  {
    name: 'cpu-js',
    module: '@rmsprop/backend-cpu',
    factoryExport: 'createCpuBackend',
    factoryOptions: { kernel: 'js' },
    dtypes: ['float32', 'float64'],
    // float64: the spec's arithmetic, bit-identical to the spec column; float32: every operation rounded
    // with Math.fround, bit-identical to the f32x4 kernel (the cpu row).
    tolerance: { float64: FLOAT64_TOLERANCE, float32: FLOAT32_OPS_TOLERANCE },
    skips: FLOAT32_ARITHMETIC_SKIPS,
    runtimes: ['node', 'browser'],
  },
  tfjsRow('cpu', ['node', 'browser']),
  tfjsRow('wasm', ['node', 'browser']),
  tfjsRow('webgl', ['browser'], GPU_SKIPS),
  tfjsRow('webgpu', ['browser'], GPU_SKIPS),
  {
    name: 'gpujs-cpu',
    module: '@rmsprop/backend-gpujs',
    factoryExport: 'createGpujsBackend',
    factoryOptions: { mode: 'cpu' },
    dtypes: ['float32'],
    // gpu.js's cpu mode runs the kernel as JavaScript with every operation rounded with Math.fround:
    // float32 arithmetic, as the f32x4 kernel and gpu.js's WebGL2 shaders compute.
    tolerance: { float32: FLOAT32_OPS_TOLERANCE },
    skips: FLOAT32_ARITHMETIC_SKIPS,
    runtimes: ['node', 'browser'],
  },
  {
    name: 'gpujs-webgl2',
    module: '@rmsprop/backend-gpujs',
    factoryExport: 'createGpujsBackend',
    factoryOptions: { mode: 'webgl2' },
    dtypes: ['float32'],
    tolerance: { float32: GPUJS_WEBGL2_TOLERANCE },
    skips: GPU_SKIPS,
    runtimes: ['browser'],
  },
]);
