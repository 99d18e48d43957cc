import { createCpuBackend } from '@rmsprop/backend-cpu';
import { describe, expect, it } from 'vitest';
import { NetworkTrainer } from './network-trainer.js';
import { accuracy, initMlp, lossAndGradient, PARAM_NAMES } from './tiny-mlp.js';
import { twoSpirals } from './two-spirals.js';

describe('the tiny network', () => {
  it('backpropagation matches central differences of the loss', () => {
    const data = twoSpirals(20);
    const p = initMlp(3);
    const g = initMlp(3);
    lossAndGradient(p, data, g);
    const scratch = initMlp(3);
    for (const name of PARAM_NAMES) {
      for (const i of [0, p[name].length - 1]) {
        const h = 1e-6;
        const v = p[name][i]!;
        p[name][i] = v + h;
        const up = lossAndGradient(p, data, scratch);
        p[name][i] = v - h;
        const down = lossAndGradient(p, data, scratch);
        p[name][i] = v;
        expect(Math.abs((up - down) / (2 * h) - g[name][i]!), `${name}[${i}]`).toBeLessThan(1e-7);
      }
    }
  });

  it('RMSProp on the CPU backend learns the two spirals (full batch, η 0.01, 1,500 steps)', async () => {
    const backend = await createCpuBackend();
    const data = twoSpirals(60);
    const trainer = new NetworkTrainer('rmsprop', { preset: 'spec', learningRate: 0.01, rho: 0.9, epsilon: 1e-8, momentum: 0, centered: false }, backend, data);
    const first = trainer.step();
    for (let t = 0; t < 1500; t++) trainer.step();
    const last = trainer.losses[trainer.losses.length - 1]!;
    console.log(`two spirals: loss ${first.toFixed(3)} → ${last.toFixed(3)}, accuracy ${accuracy(trainer.params, data)}`);
    expect(last).toBeLessThan(first / 3);
    expect(accuracy(trainer.params, data)).toBeGreaterThan(0.9);
    trainer.dispose();
    backend.dispose();
  });
});
