import { seededRandom } from '@rmsprop/app-kit';
import type { BenchCase } from './bench-case.js';
import { CeilingKernel } from './ceiling-kernel.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';

/** Random bytes, so the xors write values that change every step. */
function fillBytes(target: Uint8Array, seed: number): void {
  const random = seededRandom(seed);
  for (let i = 0; i < target.length; i++) target[i] = (random() * 256) | 0;
}

/** The ceiling with `threads` threads (the 1-thread one is named `ceiling`). */
function ceilingWithThreads(threads: 1 | 2): Implementation {
  return {
    name: threads === 1 ? 'ceiling' : 'ceiling-2t',
    role: 'ceiling',
    describe: () =>
      'WebAssembly SIMD, same memory traffic as the update (read θ g v [m b], write θ v [m b]), xor only, no arithmetic' +
      (threads === 2 ? '; 2 threads over one shared memory, each taking half of every buffer' : ''),
    unsupported: (c) => ((c.n * (c.dtype === 'float32' ? 4 : 8)) % 16 === 0 ? undefined : `n = ${c.n} is not a whole number of 16-byte vectors`),
    async create(c: BenchCase): Promise<Instance> {
      const kernel = await CeilingKernel.create(c.variant, c.dtype, c.n, threads);
      const b = kernel.buffers;
      [b.params, b.grads, b.meanSquare, b.meanGrad, b.momentum].forEach((view, i) => {
        if (view !== null) fillBytes(view, 100 + i);
      });
      const step = () => kernel.step();
      return { run: (steps) => timeSteps(step, steps), dispose: () => kernel.dispose() };
    },
  };
}

/**
 * `ceiling`: a WebAssembly SIMD kernel with exactly the memory traffic of the update and no arithmetic
 * (ceiling-wat.ts), over buffers in its own WebAssembly memory. The 1000x1000 layout runs as one arena of
 * 1e6 elements in one call: the traffic is the same.
 */
export const ceilingImplementation: Implementation = ceilingWithThreads(1);

/** `ceiling-2t`: the same traffic moved by two threads (the memory limit of two cores, for rmsprop-cpu-2t). */
export const ceiling2tImplementation: Implementation = ceilingWithThreads(2);
