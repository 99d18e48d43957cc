import { seededRandom } from '@rmsprop/app-kit';
import { describe, expect, it } from 'vitest';
import { VARIANTS, bytesPerElement, type Variant } from './bench-case.js';
import { CeilingKernel } from './ceiling-kernel.js';
import { ceilingWat } from './ceiling-wat.js';

function randomBytes(view: Uint8Array, seed: number): Uint8Array {
  const random = seededRandom(seed);
  for (let i = 0; i < view.length; i++) view[i] = (random() * 256) | 0;
  return view.slice();
}

const xor = (a: Uint8Array, b: Uint8Array): Uint8Array => a.map((x, i) => x ^ b[i]);

/** What one pass must leave in each buffer, from the buffers before it (ceiling-wat.ts). */
function expected(variant: Variant, t: Uint8Array, g: Uint8Array, v: Uint8Array, m: Uint8Array | null, b: Uint8Array | null) {
  const v1 = xor(v, g);
  switch (variant) {
    case 'plain':
      return { params: xor(t, v1), meanSquare: v1, meanGrad: null, momentum: null };
    case 'momentum': {
      const b1 = xor(b!, v1);
      return { params: xor(t, b1), meanSquare: v1, meanGrad: null, momentum: b1 };
    }
    case 'centered': {
      const m1 = xor(m!, g);
      return { params: xor(t, xor(v1, m1)), meanSquare: v1, meanGrad: m1, momentum: null };
    }
    case 'centered+momentum': {
      const m1 = xor(m!, g);
      const b1 = xor(b!, xor(v1, m1));
      return { params: xor(t, b1), meanSquare: v1, meanGrad: m1, momentum: b1 };
    }
  }
}

describe('CeilingKernel', () => {
  // 20 float32 elements = 80 bytes: one 64-byte iteration and one 16-byte one; 4 = the 16-byte loop only.
  // With 2 threads each buffer is split at a multiple of 16 bytes (80 = 32 + 48; 16 = 0 + 16: the helper takes all).
  for (const variant of VARIANTS) {
    for (const [dtype, n] of [
      ['float32', 20],
      ['float32', 4],
      ['float32', 1000],
      ['float64', 26],
    ] as const) {
      for (const threads of [1, 2] as const) it(`${variant}, ${dtype}, n=${n}, ${threads} thread(s): reads every input byte and writes each state buffer with a known function of them`, async () => {
        const kernel = await CeilingKernel.create(variant, dtype, n, threads);
        expect(kernel.threads).toBe(threads);
        const b = kernel.buffers;
        expect(kernel.bytes).toBe(n * (dtype === 'float32' ? 4 : 8));
        const t = randomBytes(b.params, 1);
        const g = randomBytes(b.grads, 2);
        const v = randomBytes(b.meanSquare, 3);
        const m = b.meanGrad === null ? null : randomBytes(b.meanGrad, 4);
        const mo = b.momentum === null ? null : randomBytes(b.momentum, 5);
        expect(b.meanGrad !== null).toBe(variant.startsWith('centered'));
        expect(b.momentum !== null).toBe(variant.endsWith('momentum'));
        kernel.step();
        const want = expected(variant, t, g, v, m, mo);
        expect(b.params).toEqual(want.params);
        expect(b.meanSquare).toEqual(want.meanSquare);
        expect(b.grads).toEqual(g); // read only
        if (m !== null) expect(b.meanGrad).toEqual(want.meanGrad);
        if (mo !== null) expect(b.momentum).toEqual(want.momentum);
        kernel.dispose();
      });
    }
  }

  it('writes nothing outside its buffers (the padding after each stays zero)', async () => {
    const kernel = await CeilingKernel.create('centered+momentum', 'float32', 20); // 80 bytes per buffer, 128-byte stride
    const views = [kernel.buffers.params, kernel.buffers.grads, kernel.buffers.meanSquare, kernel.buffers.meanGrad!, kernel.buffers.momentum!];
    views.forEach((view, i) => randomBytes(view, 10 + i));
    for (let s = 0; s < 3; s++) kernel.step();
    for (const view of views) {
      const after = new Uint8Array(view.buffer, view.byteOffset + view.byteLength, 128 - view.byteLength);
      expect(after.every((x) => x === 0)).toBe(true);
    }
  });

  it('rejects a size that is not whole 16-byte vectors', async () => {
    await expect(CeilingKernel.create('plain', 'float32', 3)).rejects.toThrow(/multiple of 16/);
  });
});

describe('ceilingWat', () => {
  /** Vector loads and stores per element vector in the 16-byte loop of each export. */
  function traffic(kind: string): { loads: number; stores: number } {
    const text = ceilingWat();
    const start = text.indexOf(`(export "${kind}")`);
    const body = text.slice(start, text.indexOf('(func', start + 1) >>> 0 || undefined);
    const tail = body.slice(body.indexOf('(block $done\n'));
    return { loads: tail.split('v128.load').length - 1, stores: tail.split('v128.store').length - 1 };
  }

  it('has the memory traffic of the update and no arithmetic: per vector, one load of each buffer and one store of each state buffer', () => {
    expect(traffic('plain')).toEqual({ loads: 3, stores: 2 });
    expect(traffic('momentum')).toEqual({ loads: 4, stores: 3 });
    expect(traffic('centered')).toEqual({ loads: 4, stores: 3 });
    expect(traffic('centeredMomentum')).toEqual({ loads: 5, stores: 4 });
    // loads + stores of 4 bytes per float32 element give bytesPerElement
    const bytes = (t: { loads: number; stores: number }): number => (t.loads + t.stores) * 4;
    expect(bytes(traffic('plain'))).toBe(bytesPerElement('plain', 'float32'));
    expect(bytes(traffic('centeredMomentum'))).toBe(bytesPerElement('centered+momentum', 'float32'));
    // The only vector operations are loads, stores and xor; no float instruction at all (i32.add only moves pointers).
    const vectorOps = new Set(ceilingWat().match(/\b(v128|[if](8|16|32|64)x\d+)\.\w+/g));
    expect([...vectorOps].sort()).toEqual(['v128.load', 'v128.store', 'v128.xor']);
    expect(ceilingWat()).not.toMatch(/\bf(32|64)\./);
  });
});
