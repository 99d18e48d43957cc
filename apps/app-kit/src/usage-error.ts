/** A bad command line: the message says what was wrong; the app prints it with its usage and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
