import { describe, expect, it } from 'vitest';
import { bytesPerElement, caseKey, describeCase, formatSize, layoutShape, variantSettings } from './bench-case.js';

describe('bytesPerElement', () => {
  it('is the traffic of the update: read θ g v, write θ v = 20 bytes in float32, +8 momentum, +8 centered', () => {
    expect(bytesPerElement('plain', 'float32')).toBe(20);
    expect(bytesPerElement('momentum', 'float32')).toBe(28);
    expect(bytesPerElement('centered', 'float32')).toBe(28);
    expect(bytesPerElement('centered+momentum', 'float32')).toBe(36);
  });

  it('doubles in float64', () => {
    expect(bytesPerElement('plain', 'float64')).toBe(40);
    expect(bytesPerElement('centered+momentum', 'float64')).toBe(72);
  });
});

describe('variantSettings', () => {
  it('sets momentum 0.9 and centered where the variant names them', () => {
    expect(variantSettings('plain')).toEqual({ momentum: 0, centered: false });
    expect(variantSettings('momentum')).toEqual({ momentum: 0.9, centered: false });
    expect(variantSettings('centered')).toEqual({ momentum: 0, centered: true });
    expect(variantSettings('centered+momentum')).toEqual({ momentum: 0.9, centered: true });
  });
});

describe('layouts and labels', () => {
  it('splits 1e6 into 1,000 parameters of 1,000 for the 1000x1000 layout', () => {
    expect(layoutShape({ n: 1e6, layout: '1000x1000' })).toEqual({ count: 1000, size: 1000 });
    expect(layoutShape({ n: 12345, layout: 'single' })).toEqual({ count: 1, size: 12345 });
    expect(() => layoutShape({ n: 1e5, layout: '1000x1000' })).toThrow(RangeError);
  });

  it('writes sizes as powers of ten where they are', () => {
    expect(formatSize(1e3)).toBe('1e3');
    expect(formatSize(1e7)).toBe('1e7');
    expect(formatSize(2e5)).toBe('2e5');
    expect(formatSize(1234)).toBe('1234');
    expect(formatSize(64)).toBe('64');
  });

  it('describes and keys a case', () => {
    const c = { variant: 'momentum', dtype: 'float64', n: 1e5, layout: 'single' } as const;
    expect(describeCase(c)).toBe('float64 momentum n=1e5');
    expect(describeCase({ ...c, n: 1e6, layout: '1000x1000' })).toBe('float64 momentum n=1e6 1000x1000');
    expect(caseKey(c)).not.toBe(caseKey({ ...c, dtype: 'float32' }));
  });
});
