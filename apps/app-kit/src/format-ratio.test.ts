import { describe, expect, it } from 'vitest';
import { formatRate, formatRatio } from './format-number.js';

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

describe('formatRate', () => {
  it('writes elements/s in e-notation with 3 significant digits and no plus sign', () => {
    expect(formatRate(2.7e8)).toBe('2.70e8');
    expect(formatRate(1_234_567)).toBe('1.23e6');
  });

  it('writes a dash for a missing or non-positive rate', () => {
    expect(formatRate(NaN)).toBe('—');
    expect(formatRate(0)).toBe('—');
  });
});
