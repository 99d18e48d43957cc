import { escapeControlCharacters } from './escape-control-characters.js';
import type { GoldenFileLimits } from './golden-file-limits.js';

/** The most characters of a field's path a message shows (a path may hold a key from the file). */
const SHOWN_FIELD_CHARACTERS = 200;

/** `field` as it is when short; else its first 200 characters (not splitting a surrogate pair) and its length. */
function clip(field: string): string {
  if (field.length <= SHOWN_FIELD_CHARACTERS) return field;
  const last = field.charCodeAt(SHOWN_FIELD_CHARACTERS - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? SHOWN_FIELD_CHARACTERS - 1 : SHOWN_FIELD_CHARACTERS;
  return `${field.slice(0, cut)}… (${field.length} characters)`;
}

/**
 * A golden-vector file that cannot be read, is over a limit, or does not follow `rmsprop-golden/1`. The
 * message names the file, the case (by name, or by index when it has none) and the field. It is one line
 * safe to print to a terminal: control and bidi formatting characters from the file (in a path, a key, a
 * quoted value) are shown as escapes (`\x1b`, `\u202e`), and a field is cut to its first 200 characters.
 * The properties keep the file, case and field as they were.
 */
export class GoldenFileError extends Error {
  readonly code = 'INVALID_GOLDEN_FILE';
  readonly file: string;
  /** The case's name or `cases[i]`; empty for problems with the file as a whole. */
  readonly caseName: string;
  /** The field, as a path inside the case (e.g. `grads[3][1]`) or the file (e.g. `format`). */
  readonly field: string;
  /** The limit the file is over (see `GoldenFileLimits`), when that is the problem. */
  readonly limit?: keyof GoldenFileLimits;

  constructor(file: string, caseName: string, field: string, problem: string, options?: { cause?: unknown; limit?: keyof GoldenFileLimits }) {
    const where = caseName === '' ? `${file}: ${clip(field)}` : `${file}: case "${caseName}": ${clip(field)}`;
    super(escapeControlCharacters(`${where} ${problem}`), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GoldenFileError';
    this.file = file;
    this.caseName = caseName;
    this.field = field;
    if (options?.limit !== undefined) this.limit = options.limit;
  }
}
