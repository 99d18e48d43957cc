import { ArgumentError } from '@rmsprop/core';
import { countJsonContainers } from './count-json-containers.js';
import type { GoldenCase } from './golden-case.js';
import { GoldenFileError } from './golden-file-error.js';
import { resolveGoldenFileLimits, type GoldenFileLimits } from './golden-file-limits.js';
import { parseGoldenFile } from './parse-golden-file.js';

/** The length of `text` in UTF-8 (a lone surrogate counts 3 bytes, as U+FFFD, which is what it becomes). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Parse and check the text of a golden-vector file (for a service handed one: the text is measured before
 * it is parsed). Text longer than `limits.maxBytes` in UTF-8, or with more arrays and objects than a file
 * within `limits.maxCases` and `limits.maxSteps` can have, is refused without parsing it; text that is not
 * JSON is refused naming `(json)`; the rest is {@link parseGoldenFile} with the same limits. Every problem
 * throws a {@link GoldenFileError}; bad `limits` throw an `ArgumentError`.
 */
export function parseGoldenJson(text: string, file: string, limits?: Partial<GoldenFileLimits>): GoldenCase[] {
  const resolved = resolveGoldenFileLimits(limits);
  if (typeof text !== 'string') throw new ArgumentError('text', text, 'the text of a golden-vector file (a string)');
  // A UTF-16 code unit is at least one byte in UTF-8, so a longer text is over without counting.
  const bytes = text.length > resolved.maxBytes ? undefined : utf8Length(text);
  if (bytes === undefined || bytes > resolved.maxBytes) {
    const size = bytes === undefined ? `at least ${text.length}` : String(bytes);
    throw new GoldenFileError(file, '', '(file)', `is ${size} bytes; at most ${resolved.maxBytes} are allowed (limit maxBytes)`, { limit: 'maxBytes' });
  }
  return parseJsonText(text, file, resolved);
}

/**
 * The most arrays and objects a file within `limits` has: the root and its cases array, 11 per case (the
 * case, its config, params, grads, expected, schedule, finalState and its 3 buffers, tolerance) and 2 per
 * step (a row of grads and one of expected).
 */
function maxContainers(limits: Readonly<GoldenFileLimits>): number {
  return 2 + 11 * limits.maxCases + 2 * limits.maxSteps;
}

/**
 * `JSON.parse` of a file's text already measured, then {@link parseGoldenFile} (shared with
 * `readGoldenFile`). Text with more arrays and objects than a file within `limits` can have is refused
 * before it is parsed: `JSON.parse` would spend about 14 bytes of heap on each byte of `[],[],…`.
 */
export function parseJsonText(text: string, file: string, limits: Readonly<GoldenFileLimits>): GoldenCase[] {
  const containers = countJsonContainers(text);
  const allowed = maxContainers(limits);
  if (containers > allowed) {
    throw new GoldenFileError(
      file,
      '',
      '(json)',
      `has ${containers} arrays and objects, more than 2 + 11 per case + 2 per step; at most ${allowed} are allowed in a file (limit maxSteps)`,
      { limit: 'maxSteps' },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GoldenFileError(file, '', '(json)', `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseGoldenFile(json, file, limits);
}
