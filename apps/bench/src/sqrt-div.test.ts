import { describe, expect, it } from 'vitest';
import { SQRT_DIV_BLOCK_BYTES, SqrtDivKernel, sqrtDivImplementation } from './sqrt-div.js';

/** u = g / (√v + 1e-8), every operation rounded to the dtype (float32 via Math.fround of exact float64 results). */
function expected(dtype: 'float32' | 'float64', g: number, v: number): number {
  if (dtype === 'float64') return g / (Math.sqrt(v) + 1e-8);
  const f = Math.fround;
  return f(f(g) / f(f(Math.sqrt(f(v))) + f(1e-8)));
}

describe('SqrtDivKernel (the arithmetic bound)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const block = SQRT_DIV_BLOCK_BYTES / (dtype === 'float32' ? 4 : 8);

    it(`${dtype}: computes u = g / (√v + ε) in SIMD, correctly rounded, over the whole block`, async () => {
      const kernel = await SqrtDivKernel.create(dtype, 3 * block);
      const { grads, meanSquare, out } = kernel.buffers;
      expect(Math.min(...meanSquare)).toBeGreaterThan(0);
      kernel.step();
      for (let i = 0; i < block; i++) expect(out[i], `u[${i}]`).toBe(expected(dtype, grads[i], meanSquare[i]));
    });

    it(`${dtype}: a step of n < one block writes exactly n elements (the pair loop and the last single vector)`, async () => {
      const lanes = dtype === 'float32' ? 4 : 2;
      for (const n of [lanes, 2 * lanes, 3 * lanes, 100 * lanes + lanes]) {
        const kernel = await SqrtDivKernel.create(dtype, n);
        const { grads, meanSquare, out } = kernel.buffers;
        out.fill(-7);
        kernel.step();
        for (let i = 0; i < n; i++) expect(out[i]).toBe(expected(dtype, grads[i], meanSquare[i]));
        expect(Array.from(out.subarray(n, n + lanes))).toEqual(Array(lanes).fill(-7));
      }
    });
  }

  it('refuses n that is not whole vectors, and the implementation says so for such a case', async () => {
    await expect(SqrtDivKernel.create('float32', 6)).rejects.toThrow(/multiple of 16; n = 6/);
    expect(sqrtDivImplementation.unsupported({ variant: 'plain', dtype: 'float32', n: 6, layout: 'single' })).toMatch(/n = 6/);
    expect(sqrtDivImplementation.unsupported({ variant: 'centered', dtype: 'float64', n: 1e5, layout: '1000x1000' })).toBeUndefined();
  });

  it('one instance runs and reports a positive time', async () => {
    const instance = await sqrtDivImplementation.create({ variant: 'plain', dtype: 'float32', n: 1e4, layout: 'single' });
    expect(await instance.run(5)).toBeGreaterThan(0);
    await instance.dispose();
  });
});
