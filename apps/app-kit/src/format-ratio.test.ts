import { describe, expect, it } from 'vitest';
import { formatRatio } from './format-ratio.js';

describe('formatRatio', () => {
  it('keeps two decimals below 10, one below 100, none above', () => {
    expect([0.8432, 6.125, 35.21, 352.4].map(formatRatio)).toEqual(['0.84', '6.13', '35.2', '352']);
  });

  it('writes a dash for a ratio that could not be taken', () => {
    expect([NaN, Infinity].map(formatRatio)).toEqual(['—', '—']);
  });
});
