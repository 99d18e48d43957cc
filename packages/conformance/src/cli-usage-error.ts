/**
 * A command line the `rmsprop-conformance` CLI cannot run: an unknown option, an option without its value
 * or with one it does not take, an argument outside `--vectors`, a bad `--limit`. The CLI prints the
 * message, then the usage, and exits with status 2.
 */
export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';

  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
