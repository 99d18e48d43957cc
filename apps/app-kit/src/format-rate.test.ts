import { describe, expect, it } from 'vitest';
import { formatRate } from './format-rate.js';

describe('formatRate', () => {
  it('writes elements/s in e-notation with 3 significant digits and no plus sign', () => {
    expect(formatRate(2.7e8)).toBe('2.70e8');
    expect(formatRate(1_234_567)).toBe('1.23e6');
    expect(formatRate(0.005)).toBe('5.00e-3');
    expect(formatRate(1e21)).toBe('1.00e21');
  });

  it('writes a dash for a missing or non-positive rate', () => {
    expect(formatRate(NaN)).toBe('—');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(-1)).toBe('—');
    expect(formatRate(Infinity)).toBe('—');
  });
});
