import { RMSPropOptimizer, type FloatArray, type RMSPropBackend, type RMSPropConfig } from '@rmsprop/core';
import type { PointOptimizer } from './point-optimizer.js';
import { effectiveRate } from './rmsprop-settings.js';

/**
 * RMSProp on a backend, as a {@link PointOptimizer}: the point is one float32 parameter `p` of the
 * optimizer's length, held in the backend's memory (`inPlace: false`). Where the backend offers it (the
 * CPU backend), each step writes the gradient (rounded to float32) into `gradientBuffer("p")`, calls
 * `step()` and reads θ from the live view `parameter("p")`: no copy into or out of the backend. Where it
 * does not (tfjs, gpu.js), the gradient is passed to `step({ p })` and θ read back with `readParameter`.
 * v is read back after each step so the page can draw it: what a user would do to look at training, not
 * part of the step.
 */
export class RMSPropPoint implements PointOptimizer {
  readonly optimizer: RMSPropOptimizer;
  readonly #config: Readonly<RMSPropConfig>;
  /** Where the gradient goes: the backend's gradient buffer, or an array of ours where it has none. */
  readonly #grad: FloatArray;
  /** The gradients to pass to `step`, or null where `#grad` is the backend's buffer (`step()` takes it). */
  readonly #grads: Record<string, FloatArray> | null;
  readonly #hostVisible: boolean;
  #meanSquare: Float32Array;
  #meanGrad: Float32Array | null = null;
  #steps = 0;

  constructor(backend: RMSPropBackend, config: Readonly<RMSPropConfig>, start: ArrayLike<number>) {
    this.#config = config;
    this.optimizer = new RMSPropOptimizer({ backend, params: { p: Float32Array.from(start) }, ...config, inPlace: false });
    const buffer = this.optimizer.gradientBuffer('p');
    this.#grad = buffer ?? new Float32Array(start.length);
    this.#grads = buffer === null ? { p: this.#grad } : null;
    this.#hostVisible = backend.capabilities.hostVisible;
    this.#meanSquare = new Float32Array(start.length).fill(config.initialMeanSquare);
  }

  step(position: Float64Array, gradient: Float64Array): void {
    this.#grad.set(gradient);
    if (this.#grads === null) this.optimizer.step();
    else this.optimizer.step(this.#grads);
    this.#steps++;
    position.set(this.#hostVisible ? this.optimizer.parameter('p') : this.optimizer.readParameter('p'));
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
