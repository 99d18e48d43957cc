import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it('writes milliseconds below a second and seconds with 2 decimals above', () => {
    expect(formatDuration(0.4)).toBe('< 1 ms');
    expect(formatDuration(1)).toBe('1 ms');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(2410)).toBe('2.41 s');
    expect(formatDuration(1000)).toBe('1.00 s');
  });

  it('never prints "1000 ms"', () => {
    expect(formatDuration(999.7)).toBe('1.00 s');
  });
});
