import { describeValue } from '@rmsprop/core';

/**
 * An error an engine or Node threw, for a message or a reason: `Name: message`, with Node's `[CODE]` where it
 * has one (`Error [ERR_ACCESS_DENIED]: …`); anything else thrown as `describeValue` renders it.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return describeValue(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
}
