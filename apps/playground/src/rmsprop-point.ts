import { RMSPropOptimizer, type RMSPropBackend, type RMSPropConfig } from '@rmsprop/core';
import type { PointOptimizer } from './point-optimizer.js';
import { effectiveRate } from './rmsprop-settings.js';

/**
 * RMSProp on a backend, as a {@link PointOptimizer}: the point is one float32 parameter `p` of the
 * optimizer's length; each step passes the gradient (rounded to float32), then reads θ and v back so the
 * page can draw them. The reads are what a user would do to look at training, not part of the step.
 */
export class RMSPropPoint implements PointOptimizer {
  readonly optimizer: RMSPropOptimizer;
  readonly #config: Readonly<RMSPropConfig>;
  readonly #grad: Float32Array;
  #meanSquare: Float32Array;
  #meanGrad: Float32Array | null = null;
  #steps = 0;

  constructor(backend: RMSPropBackend, config: Readonly<RMSPropConfig>, start: ArrayLike<number>) {
    this.#config = config;
    this.#grad = new Float32Array(start.length);
    this.optimizer = new RMSPropOptimizer({ backend, params: { p: Float32Array.from(start) }, ...config, inPlace: false });
    this.#meanSquare = new Float32Array(start.length).fill(config.initialMeanSquare);
  }

  step(position: Float64Array, gradient: Float64Array): void {
    this.#grad.set(gradient);
    this.optimizer.step({ p: this.#grad });
    this.#steps++;
    position.set(this.optimizer.readParameter('p'));
    const state = this.optimizer.stateDict().state.p!;
    this.#meanSquare = Float32Array.from(state.meanSquare as number[]);
    this.#meanGrad = state.meanGrad === undefined ? null : Float32Array.from(state.meanGrad as number[]);
  }

  effectiveRates(out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = effectiveRate(this.#config, this.#meanSquare[i]!, this.#meanGrad?.[i] ?? 0, Math.max(this.#steps, 1));
  }

  secondMoment(out: Float64Array): boolean {
    out.set(this.#meanSquare);
    return true;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
