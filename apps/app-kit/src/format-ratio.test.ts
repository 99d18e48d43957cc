import { describe, expect, it } from 'vitest';
import { formatRatio } from './format-ratio.js';

describe('formatRatio', () => {
  it('keeps two decimals below 10, one below 100, none above', () => {
    expect(formatRatio(0.8432)).toBe('0.84');
    expect(formatRatio(6.125)).toBe('6.13');
    expect(formatRatio(35.21)).toBe('35.2');
    expect(formatRatio(352.4)).toBe('352');
  });

  it('writes a dash for a ratio that could not be taken', () => {
    expect(formatRatio(NaN)).toBe('—');
    expect(formatRatio(Infinity)).toBe('—');
  });
});
