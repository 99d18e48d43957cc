import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it("names the error, Node's code where it has one, and the message", () => {
    expect(describeError(new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'))).toBe(
      'RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded',
    );
    const denied = Object.assign(new Error('Access to this API has been restricted'), { code: 'ERR_ACCESS_DENIED' });
    expect(describeError(denied)).toBe('Error [ERR_ACCESS_DENIED]: Access to this API has been restricted');
  });

  it('renders anything else thrown as describeValue does (short, never its contents)', () => {
    expect(describeError('x'.repeat(500))).toMatch(/^"x{100}"… \(500 characters\)$/);
    expect(describeError(undefined)).toBe('undefined');
    expect(describeError({ secret: 1 })).toBe('Object');
  });
});
