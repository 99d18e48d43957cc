/** Assertions on thrown errors: the class, the stable code and the message. */
import { RMSPropError } from '@rmsprop/core';
import { expect } from 'vitest';

/** The error `fn` throws; fails the test when it returns normally. */
export function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error to be thrown');
}

/** Asserts that `fn` throws an instance of `type` (an RMSPropError) with `code` and a message matching `message`. */
export function expectError<T extends RMSPropError>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => T,
  code: string,
  message: RegExp,
): T {
  const error = catchError(fn);
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(RMSPropError);
  expect((error as T).code).toBe(code);
  expect(error.message).toMatch(message);
  return error as T;
}
