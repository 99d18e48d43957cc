/**
 * The spec's update (docs/spec.md) as the source of a gpu.js kernel, one per buffer shape: `centered`
 * adds m, `momentum` adds b. Every other switch is a scalar argument (a uniform on the GPU), so four
 * compiled kernels cover the 36 variants. The order of operations is backend-tfjs's `rmspropUpdate` and
 * the CPU backend's float32 kernel, so that each operation rounds where theirs do:
 *
 * ```
 * g ← sign·g                                  (sign = −1 under maximize: exact)
 * coupled:  g ← g + wd·θ
 * v ← ρ·v + ((1−ρ)·g)·g                       centered: m ← ρ·m + (1−ρ)·g
 * bias:     v̂ = v / (1−ρᵗ), m̂ = m / (1−ρᵗ)
 * s = centered ? (v̂ − m̂·m̂ < 0 ? 0 : v̂ − m̂·m̂) : v̂      (NaN stays NaN, as in the spec)
 * d = √(s + εᵢ) + εₒ                          (the unused ε is 0: exact, s is never −0)
 * u = g / d
 * momentum: b ← μ·b + in·u;  step = out·(nesterov ? in·u + μ·b : b)   (in, out: η and 1, as
 *           learningRateInMomentum says; 1·x is x)
 * else:     step = u·η
 * θ ← decoupled ? θ − (θ·(η·wd) + step) : θ − step
 * ```
 *
 * gpu.js translates the source to GLSL (WebGL, WebGL2, headless-gl) or runs it as JavaScript (cpu mode,
 * where every intermediate is a float64 and only stored values round to float32). The new state leaves
 * through kernel-map outputs (`keepV`, `keepM`, `keepB`), θ through the return value.
 */

/** Which state buffers a kernel reads and writes. */
export interface KernelShape {
  readonly centered: boolean;
  readonly momentum: boolean;
}

/**
 * The scalar arguments, in order, after the array arguments (θ, g, v [, m] [, b]). Flags are 0 or 1.
 * gpu.js passes numbers as float uniforms (float32 on the GPU).
 */
export const SCALAR_ARGUMENTS = [
  'gradientSign',
  'learningRate',
  'rho',
  'oneMinusRho',
  'epsilonInside',
  'epsilonOutside',
  'weightDecay',
  'coupled',
  'decoupledDecay',
  'decoupled',
  'correction',
  'biasCorrection',
  'mu',
  'momentumInputScale',
  'momentumOutputScale',
  'nesterov',
] as const;

/** The names of a kernel's array arguments for a shape. */
export function arrayArguments(shape: KernelShape): string[] {
  return ['theta', 'grad', 'meanSquare', ...(shape.centered ? ['meanGrad'] : []), ...(shape.momentum ? ['momentumBuffer'] : [])];
}

/** The kernel-map outputs for a shape, keyed by the name the result object carries. */
export function kernelMapOutputs(shape: KernelShape): Record<string, string> {
  const out: Record<string, string> = { meanSquare: 'function keepV(x) { return x; }' };
  if (shape.centered) out.meanGrad = 'function keepM(x) { return x; }';
  if (shape.momentum) out.momentum = 'function keepB(x) { return x; }';
  return out;
}

/** The kernel's source: a JavaScript function that gpu.js parses (no closures, no helpers besides the map's). */
export function updateKernelSource(shape: KernelShape): string {
  const args = [...arrayArguments(shape), ...SCALAR_ARGUMENTS].join(', ');
  const lines = [
    `function rmspropUpdate(${args}) {`,
    '  const i = this.thread.x;',
    '  const t0 = theta[i];',
    '  let g = gradientSign * grad[i];',
    '  if (coupled > 0.5) { g = g + weightDecay * t0; }',
    '  const v = rho * meanSquare[i] + (oneMinusRho * g) * g;',
    '  keepV(v);',
    '  let vHat = v;',
    '  if (biasCorrection > 0.5) { vHat = v / correction; }',
  ];
  if (shape.centered) {
    lines.push(
      '  const m = rho * meanGrad[i] + oneMinusRho * g;',
      '  keepM(m);',
      '  let mHat = m;',
      '  if (biasCorrection > 0.5) { mHat = m / correction; }',
      '  const diff = vHat - mHat * mHat;',
      '  const s = diff < 0.0 ? 0.0 : diff;',
    );
  } else {
    lines.push('  const s = vHat;');
  }
  lines.push('  const d = Math.sqrt(s + epsilonInside) + epsilonOutside;', '  const u = g / d;');
  if (shape.momentum) {
    lines.push(
      '  const scaled = momentumInputScale * u;',
      '  const b = mu * momentumBuffer[i] + scaled;',
      '  keepB(b);',
      '  let step = momentumOutputScale * b;',
      '  if (nesterov > 0.5) { step = momentumOutputScale * (scaled + mu * b); }',
    );
  } else {
    lines.push('  const step = u * learningRate;');
  }
  lines.push('  if (decoupled > 0.5) { return t0 - (t0 * decoupledDecay + step); }', '  return t0 - step;', '}');
  return lines.join('\n');
}

/** The source of the copy kernel that turns a host array into a texture (and a texture into a fresh one). */
export const COPY_KERNEL_SOURCE = 'function copyValues(values) { return values[this.thread.x]; }';
