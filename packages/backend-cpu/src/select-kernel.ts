import { variantIndexOf, type RMSPropConfig } from '@rmsprop/core';
import type { JsLoop } from './js-loop.js';
import { JS_KERNELS } from './js-kernels.generated.js';

/**
 * The loop for `config`: one of the 36 generated from the update program, one per variant (momentum none,
 * heavy ball, Nesterov × centered × bias correction × weight decay none, coupled, decoupled). The other
 * switches (maximize, epsilonPlacement, learningRateInMomentum) are exact per-call constants (see
 * `KERNEL_CONSTANTS` in @rmsprop/core). Called once per slot per step (before anything is written); it only
 * compares and indexes, so it costs nothing next to the loop.
 */
export function selectKernel(config: Readonly<RMSPropConfig>): JsLoop {
  return JS_KERNELS[variantIndexOf(config)];
}
