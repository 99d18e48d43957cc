import type { FloatArray } from '@rmsprop/core';
import type { CpuKernel, KernelBuffers } from './cpu-kernel.js';
import type { KernelScalars } from './kernel-scalars.js';

/*
 * The loops for
 *
 * ```text
 * momentum > 0 without nesterov:
 *   learningRateInMomentum:      b ← μ·b + η·u;  θ ← θ − b
 *   not learningRateInMomentum:  b ← μ·b + u;    θ ← θ − η·b
 * both written b ← μ·b + inScale·u;  θ ← θ − outScale·b (one scale η, the other 1)
 * ```
 *
 * one per combination of centered × biasCorrection × weight decay (none, coupled, decoupled). Each
 * follows `referenceStep` (@rmsprop/core) operation by operation, in the same order, so float64 results
 * are bit-identical to it. maximize and epsilonPlacement are folded into constants (see kernel-scalars.ts).
 */

function momentum(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const wd = k.weightDecay;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lrWd = k.decoupledDecay;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumBiasCorrected(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumBiasCorrectedCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const wd = k.weightDecay, c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumBiasCorrectedDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lrWd = k.decoupledDecay, c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCentered(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCenteredCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const wd = k.weightDecay;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCenteredDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lrWd = k.decoupledDecay;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCenteredBiasCorrected(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const mh = mi / c;
    const u = g / (Math.sqrt(Math.max(vi / c - mh * mh, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCenteredBiasCorrectedCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const wd = k.weightDecay, c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const mh = mi / c;
    const u = g / (Math.sqrt(Math.max(vi / c - mh * mh, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

function momentumCenteredBiasCorrectedDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, b = s.momentum!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lrWd = k.decoupledDecay, c = k.correction;
  const mu = k.momentum, inScale = k.momentumInputScale, outScale = k.momentumOutputScale;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const mh = mi / c;
    const u = g / (Math.sqrt(Math.max(vi / c - mh * mh, 0) + epsIn) + epsOut);
    const bi = mu * b[i] + inScale * u;
    b[i] = bi;
    p[i] = th - outScale * bi;
  }
}

/** The 12 loops, at index weightDecay (0 none, 1 coupled, 2 decoupled) + 3·biasCorrection + 6·centered (see select-kernel.ts). */
export const MOMENTUM_KERNELS: readonly CpuKernel[] = Object.freeze([
  momentum,
  momentumCoupledDecay,
  momentumDecoupledDecay,
  momentumBiasCorrected,
  momentumBiasCorrectedCoupledDecay,
  momentumBiasCorrectedDecoupledDecay,
  momentumCentered,
  momentumCenteredCoupledDecay,
  momentumCenteredDecoupledDecay,
  momentumCenteredBiasCorrected,
  momentumCenteredBiasCorrectedCoupledDecay,
  momentumCenteredBiasCorrectedDecoupledDecay,
]);
