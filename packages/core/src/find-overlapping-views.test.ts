/** findOverlappingViews: which views of memory overlap, found by sorting, not pairwise. */
import { describe, expect, it } from 'vitest';
import { findOverlappingViews, type MemoryView } from './find-overlapping-views.js';

describe('findOverlappingViews', () => {
  const a = new ArrayBuffer(64);
  const b = new ArrayBuffer(64);

  it('finds the same array twice, and overlapping views of one buffer, as [earlier, later]', () => {
    const w = new Float32Array(a, 0, 4);
    expect(findOverlappingViews([w, w])).toEqual([0, 1]);
    expect(findOverlappingViews([new Float32Array(b), new Float64Array(a, 8, 2), new Float32Array(a, 4, 2)])).toEqual([1, 2]);
    expect(findOverlappingViews([new Float64Array(a, 0, 8), new Float32Array(a, 60, 1)])).toEqual([0, 1]); // one inside another
    // Past a view that reaches further than the one before it.
    expect(findOverlappingViews([new Float32Array(a, 0, 16), new Float32Array(a, 4, 1), new Float32Array(a, 8, 1)])).toEqual([0, 1]);
    expect(findOverlappingViews([new Float32Array(a, 8, 1), new Float32Array(a, 0, 16)])).toEqual([0, 1]);
  });

  it('finds none where views only touch, are empty, or are of different buffers', () => {
    expect(findOverlappingViews([])).toBeNull();
    expect(findOverlappingViews([new Float32Array(a, 0, 4), new Float32Array(a, 16, 4), new Float64Array(a, 32, 4)])).toBeNull();
    expect(findOverlappingViews([new Float32Array(a, 8, 0), new Float32Array(a, 8, 0), new Float32Array(a, 4, 2).subarray(1, 1)])).toBeNull();
    expect(findOverlappingViews([new Float32Array(a), new Float32Array(b)])).toBeNull();
    expect(findOverlappingViews([new Float32Array(4), new Float32Array(4)])).toBeNull();
  });

  it('takes O(n log n) steps for 100,000 views of one buffer in shuffled order (a pairwise check takes 5·10⁹)', () => {
    const n = 100_000;
    let reads = 0;
    const buffer = new ArrayBuffer(8);
    const view = (start: number, length: number): MemoryView => ({
      buffer,
      get byteOffset() {
        reads++;
        return start;
      },
      byteLength: length,
    });
    const starts = Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation (7919 is prime, n is not its multiple)
    const views = starts.map((s) => view(s * 8, 8));
    expect(findOverlappingViews(views)).toBeNull();
    expect(reads).toBeLessThan(4 * n * Math.log2(n));
    views.push(view(8 * 500 + 4, 8)); // overlaps the view at 500 and the one at 501
    reads = 0;
    expect(findOverlappingViews(views)).toEqual([starts.indexOf(500), n]);
    expect(reads).toBeLessThan(4 * n * Math.log2(n));
  });
});
