import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.js';

describe('formatDuration', () => {
  it('writes milliseconds below a second and seconds with 2 decimals above', () => {
    expect([0.4, 1, 850.4, 999.4, 2410, 1000].map(formatDuration)).toEqual(['< 1 ms', '1 ms', '850 ms', '999 ms', '2.41 s', '1.00 s']);
  });

  it('never prints "1000 ms"', () => {
    expect(formatDuration(999.7)).toBe('1.00 s');
  });
});
