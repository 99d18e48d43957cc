/**
 * A golden-vector file that cannot be read or does not follow `rmsprop-golden/1`. The message names the
 * file, the case (by name, or by index when it has none) and the field.
 */
export class GoldenFileError extends Error {
  readonly code = 'INVALID_GOLDEN_FILE';
  readonly file: string;
  /** The case's name or `cases[i]`; empty for problems with the file as a whole. */
  readonly caseName: string;
  /** The field, as a path inside the case (e.g. `grads[3][1]`) or the file (e.g. `format`). */
  readonly field: string;

  constructor(file: string, caseName: string, field: string, problem: string, options?: { cause?: unknown }) {
    const where = caseName === '' ? `${file}: ${field}` : `${file}: case "${caseName}": ${field}`;
    super(`${where} ${problem}`, options);
    this.name = 'GoldenFileError';
    this.file = file;
    this.caseName = caseName;
    this.field = field;
  }
}
