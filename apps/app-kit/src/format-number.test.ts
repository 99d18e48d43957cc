import { describe, expect, it } from 'vitest';
import { formatExponential, formatNumber } from './format-number.js';

describe('formatNumber', () => {
  const format = (values: number[]): string[] => values.map((v) => formatNumber(v));

  it('writes numbers from 0.001 to below 100000 plainly, in 3 significant digits', () => {
    expect(format([0.0178, 0.017834, 560, 3.16227766, 0.001, 12345, -2.5, 10])).toEqual(['0.0178', '0.0178', '560', '3.16', '0.001', '12300', '-2.5', '10']);
  });

  it('uses e-notation without trailing zeros outside that range', () => {
    expect(format([6.5e-4, 1e-4, 0.00012345, -6.5e-4, 123456, 1e300])).toEqual(['6.5e-4', '1e-4', '1.23e-4', '-6.5e-4', '1.23e5', '1e300']);
  });

  it('chooses the notation after rounding, so the boundaries read the same from either side', () => {
    expect(formatNumber(99_999.9)).toBe('1e5');
    expect(formatNumber(100_000)).toBe('1e5');
    expect(formatNumber(0.00099999)).toBe('0.001');
    expect(formatNumber(0.000999)).toBe('9.99e-4');
  });

  it('honours the digits argument', () => {
    expect(formatNumber(Math.PI, 5)).toBe('3.1416');
    expect(formatNumber(0.0091734, 2)).toBe('0.0092');
    expect(formatNumber(1 / 0.0091734, 2)).toBe('110');
    expect(formatNumber(6.5432e-7, 2)).toBe('6.5e-7');
  });

  it('spells out zero, NaN and the infinities', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatNumber(-Infinity)).toBe('-∞');
  });
});

describe('formatExponential', () => {
  it('always uses e-notation with the digits asked for and a plain exponent', () => {
    expect(formatExponential(6.5234e-4)).toBe('6.52e-4');
    expect(formatExponential(1)).toBe('1.00e0');
    expect(formatExponential(12345)).toBe('1.23e4');
    expect(formatExponential(0.0192, 2)).toBe('1.9e-2');
    expect(formatExponential(-0.0192, 2)).toBe('-1.9e-2');
    expect(formatExponential(4.6e-5, 2)).toBe('4.6e-5');
    expect(formatExponential(7, 1)).toBe('7e0');
  });

  it('passes NaN and the infinities to formatNumber', () => {
    expect(formatExponential(Number.NaN)).toBe('NaN');
    expect(formatExponential(Infinity)).toBe('∞');
  });
});
