import { describe, expect, it } from 'vitest';
import { REASON_MAX_LENGTH, describeReason } from './describe-reason.js';

describe('describeReason', () => {
  it("renders an Error's message, a string as it is, and anything else with String()", () => {
    expect(describeReason(new TypeError('boom'))).toBe('boom');
    expect(describeReason('no SIMD')).toBe('no SIMD');
    expect(describeReason(42)).toBe('42');
    expect(describeReason(undefined)).toBe('undefined');
    expect(describeReason({ toString: () => 'custom' })).toBe('custom');
  });

  it('falls back to describeValue where String() or the message getter throws, and never throws itself', () => {
    expect(describeReason(Object.create(null))).toBe('Object');
    const error = Object.defineProperty(new Error(), 'message', {
      get() {
        throw new Error('no message');
      },
    });
    expect(describeReason(error)).toBe('Error');
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(typeof describeReason(hostile)).toBe('string');
  });

  it(`cuts text over ${REASON_MAX_LENGTH} characters, saying how many were left out, without splitting a surrogate pair`, () => {
    expect(describeReason('x'.repeat(REASON_MAX_LENGTH))).toBe('x'.repeat(REASON_MAX_LENGTH));
    expect(describeReason(new Error('y'.repeat(REASON_MAX_LENGTH + 3)))).toBe(`${'y'.repeat(REASON_MAX_LENGTH)}… (3 more characters)`);
    const emoji = `${'z'.repeat(REASON_MAX_LENGTH - 1)}😀tail`;
    expect(describeReason(emoji)).toBe(`${'z'.repeat(REASON_MAX_LENGTH - 1)}… (6 more characters)`);
  });
});
