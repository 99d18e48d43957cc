import { describeValue } from './errors.js';

/** The most characters of a reason {@link describeReason} keeps. */
export const REASON_MAX_LENGTH = 500;

/**
 * Renders why something failed, for a message: an Error's `message`, a string as it is, anything else with
 * `String()` (or `describeValue` where that throws). Text over {@link REASON_MAX_LENGTH} characters is cut,
 * saying how many were left out, so a huge message from someone else's code cannot swell ours. Never throws.
 */
export function describeReason(reason: unknown): string {
  let text: string;
  try {
    text = reason instanceof Error ? String(reason.message) : String(reason);
  } catch {
    try {
      text = describeValue(reason);
    } catch {
      text = 'a value that cannot be described';
    }
  }
  if (text.length <= REASON_MAX_LENGTH) return text;
  // Do not split a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text[REASON_MAX_LENGTH - 1]) ? REASON_MAX_LENGTH - 1 : REASON_MAX_LENGTH;
  return `${text.slice(0, cut)}… (${text.length - cut} more characters)`;
}
