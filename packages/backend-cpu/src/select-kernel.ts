import type { RMSPropConfig } from '@rmsprop/core';
import type { CpuKernel } from './cpu-kernel.js';
import { MOMENTUM_KERNELS } from './momentum-kernels.js';
import { NESTEROV_KERNELS } from './nesterov-kernels.js';
import { PLAIN_KERNELS } from './plain-kernels.js';

/**
 * The loop for `config`: one of 36, one per combination of
 * - momentum: none (μ = 0), heavy ball, nesterov;
 * - centered or not;
 * - biasCorrection or not (bias correction divides, as the reference does, so it gets its own loops and
 *   costs nothing when off);
 * - weight decay: none (wd = 0), coupled, decoupled.
 *
 * The other switches (maximize, epsilonPlacement, learningRateInMomentum) are exact per-call constants;
 * see kernel-scalars.ts. Called once per slot per step (before anything is written); it only compares
 * and indexes, so it costs nothing next to the loop.
 */
export function selectKernel(config: Readonly<RMSPropConfig>): CpuKernel {
  const table = !(config.momentum > 0) ? PLAIN_KERNELS : config.nesterov ? NESTEROV_KERNELS : MOMENTUM_KERNELS;
  const weightDecay = !(config.weightDecay > 0) ? 0 : config.decoupledWeightDecay ? 2 : 1;
  return table[weightDecay + (config.biasCorrection ? 3 : 0) + (config.centered ? 6 : 0)];
}
