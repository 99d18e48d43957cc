import { describe, expect, it } from 'vitest';
import { formatRate } from './format-rate.js';

describe('formatRate', () => {
  it('writes elements/s in e-notation with 3 significant digits and no plus sign', () => {
    expect([2.7e8, 1_234_567, 0.005, 1e21].map(formatRate)).toEqual(['2.70e8', '1.23e6', '5.00e-3', '1.00e21']);
  });

  it('writes a dash for a missing or non-positive rate', () => {
    expect([NaN, 0, -1, Infinity].map(formatRate)).toEqual(['—', '—', '—', '—']);
  });
});
