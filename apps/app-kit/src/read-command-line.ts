import { UsageError } from './usage-error.js';

/** Where `readCommandLine` writes: process.stdout and process.stderr, or a test's buffers. */
export interface UsageStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The options to run with, or the exit code to stop with (0 after --help, 2 after a bad command line). */
export type CommandLine<T> = { readonly options: T; readonly exitCode?: undefined } | { readonly options?: undefined; readonly exitCode: 0 | 2 };

/**
 * The help and error behaviour the apps share: runs `parse` (which throws UsageError for a bad command line);
 * on a UsageError writes "error: MESSAGE", a blank line and the usage to stderr (exit code 2); when the
 * options ask for help writes the usage to stdout (exit code 0); otherwise returns the options. Any other
 * error is thrown on.
 */
export function readCommandLine<T extends { readonly help: boolean }>(parse: () => T, usage: string, io: UsageStreams): CommandLine<T> {
  let options: T;
  try {
    options = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (options.help) {
    io.stdout.write(usage);
    return { exitCode: 0 };
  }
  return { options };
}
