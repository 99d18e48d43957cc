import type { FloatArray } from '@rmsprop/core';
import type { CpuKernel, KernelBuffers } from './cpu-kernel.js';
import type { KernelScalars } from './kernel-scalars.js';

/*
 * The loops for
 *
 * ```text
 * momentum = 0:  θ ← θ − η·u
 * ```
 *
 * one per combination of centered × biasCorrection × weight decay (none, coupled, decoupled). Each
 * follows `referenceStep` (@rmsprop/core) operation by operation, in the same order, so float64 results
 * are bit-identical to it. maximize and epsilonPlacement are folded into constants (see kernel-scalars.ts).
 */

function plain(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, wd = k.weightDecay;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, lrWd = k.decoupledDecay;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainBiasCorrected(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, c = k.correction;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainBiasCorrectedCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, wd = k.weightDecay, c = k.correction;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainBiasCorrectedDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, lrWd = k.decoupledDecay, c = k.correction;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const u = g / (Math.sqrt(vi / c + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCentered(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCenteredCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, wd = k.weightDecay;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCenteredDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, lrWd = k.decoupledDecay;
  for (let i = 0; i < n; i++) {
    const th0 = p[i];
    const th = th0 - lrWd * th0;
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const u = g / (Math.sqrt(Math.max(vi - mi * mi, 0) + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCenteredBiasCorrected(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, c = k.correction;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i];
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const mh = mi / c;
    const u = g / (Math.sqrt(Math.max(vi / c - mh * mh, 0) + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCenteredBiasCorrectedCoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, wd = k.weightDecay, c = k.correction;
  for (let i = 0; i < n; i++) {
    const th = p[i];
    const g = gs * gr[i] + wd * th;
    const vi = rho * v[i] + rho1 * g * g;
    v[i] = vi;
    const mi = rho * m[i] + rho1 * g;
    m[i] = mi;
    const mh = mi / c;
    const u = g / (Math.sqrt(Math.max(vi / c - mh * mh, 0) + epsIn) + epsOut);
    p[i] = th - lr * u;
  }
}

function plainCenteredBiasCorrectedDecoupledDecay(s: KernelBuffers, gr: FloatArray, k: KernelScalars): void {
  const p = s.params, v = s.meanSquare, m = s.meanGrad!, n = p.length;
  const gs = k.gradientSign, rho = k.rho, rho1 = k.oneMinusRho;
  const epsIn = k.epsilonInside, epsOut = k.epsilonOutside;
  const lr = k.learningRate, lrWd = k.decoupledDecay, c = k.correction;
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
    p[i] = th - lr * u;
  }
}

/** The 12 loops, at index weightDecay (0 none, 1 coupled, 2 decoupled) + 3·biasCorrection + 6·centered (see select-kernel.ts). */
export const PLAIN_KERNELS: readonly CpuKernel[] = Object.freeze([
  plain,
  plainCoupledDecay,
  plainDecoupledDecay,
  plainBiasCorrected,
  plainBiasCorrectedCoupledDecay,
  plainBiasCorrectedDecoupledDecay,
  plainCentered,
  plainCenteredCoupledDecay,
  plainCenteredDecoupledDecay,
  plainCenteredBiasCorrected,
  plainCenteredBiasCorrectedCoupledDecay,
  plainCenteredBiasCorrectedDecoupledDecay,
]);
