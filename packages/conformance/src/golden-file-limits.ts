import { ArgumentError } from '@rmsprop/core';

/**
 * How large a golden-vector file may be. A file over a limit is refused with a `GoldenFileError` naming
 * the limit, the value and where, before the memory it would take is allocated: a file is data from
 * anyone, and without limits one case of 8,000,000 empty steps (48 MB of JSON) grew the heap to its limit
 * and aborted the process. Each is per file; under them the memory a file takes grows with its numbers.
 */
export interface GoldenFileLimits {
  /** The most bytes of a file's text (UTF-8), checked before it is parsed as JSON. */
  readonly maxBytes: number;
  /** The most cases in a file. */
  readonly maxCases: number;
  /** The most steps in a file, all its cases together (a case has one step per row of `grads`). */
  readonly maxSteps: number;
  /**
   * The most numbers in a file, all the arrays of all its cases together: params, each step's grads and
   * expected, the schedule and the final state.
   */
  readonly maxNumbers: number;
}

/**
 * The default limits. The largest committed file (vectors/pytorch.json) has 467,663 bytes, 52 cases, 346
 * steps and 22,398 numbers; each default is at least 35 times that. Text with more arrays and objects than
 * 2 + 11 per case + 2 per step is refused before `JSON.parse` too (an empty array costs 3 bytes of text
 * and about 14 bytes of heap). Measured in Node 20 (peak RSS of the whole process, reading one file): the
 * most the limits allow, 16 MiB of zeros (8.4 million numbers), 216 MiB in 1.1 s; 100,000 empty steps,
 * 123 MiB; 16 MiB of empty steps refused in 0.2 s at 82 MiB; 48 MB of them refused from the file's size in
 * 8 ms (without limits: 73 s, then an abort at the heap limit, 4.4 GiB).
 */
export const GOLDEN_FILE_LIMITS: Readonly<GoldenFileLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxCases: 10_000,
  maxSteps: 100_000,
  maxNumbers: 10_000_000,
});

const NAMES = Object.keys(GOLDEN_FILE_LIMITS) as (keyof GoldenFileLimits)[];

/** Whether `name` is the name of a limit (`maxBytes`, `maxCases`, `maxSteps`, `maxNumbers`). */
export function isGoldenFileLimit(name: string): name is keyof GoldenFileLimits {
  return (NAMES as string[]).includes(name);
}

/**
 * The limits with `limits` over the defaults ({@link GOLDEN_FILE_LIMITS}). Each limit given must be a
 * positive integer (`Number.MAX_SAFE_INTEGER` for practically none); anything else, or an unknown name,
 * throws an `ArgumentError` naming `limits.<name>`.
 */
export function resolveGoldenFileLimits(limits: Partial<GoldenFileLimits> = {}): Readonly<GoldenFileLimits> {
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    throw new ArgumentError('limits', limits, `an object of limits (${NAMES.join(', ')})`);
  }
  const resolved: Record<keyof GoldenFileLimits, number> = { ...GOLDEN_FILE_LIMITS };
  for (const [name, value] of Object.entries(limits)) {
    if (!isGoldenFileLimit(name)) throw new ArgumentError(`limits.${name}`, value, `one of the limits ${NAMES.join(', ')}`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new ArgumentError(`limits.${name}`, value, `a positive integer (the default is ${GOLDEN_FILE_LIMITS[name]})`);
    }
    resolved[name] = value;
  }
  return resolved;
}

