import { isMainModule, readCommandLine } from '@rmsprop/app-kit/cli';
import { parseCliOptions, USAGE } from './cli-options.js';
import { runDemo } from './run-demo.js';
import type { ProgressStream } from './progress-line.js';

export interface MainIo {
  readonly stdout: ProgressStream;
  readonly stderr: { write(text: string): unknown };
  /** Directory a relative --out is resolved against. */
  readonly cwd?: string;
}

/**
 * The demo's command line: parse the flags, run the demo, and return the exit code (0 ok, 1 failure,
 * 2 bad usage) instead of exiting, so tests can call it.
 */
export async function main(argv: readonly string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const commandLine = readCommandLine(() => parseCliOptions(argv), USAGE, io);
  if (commandLine.exitCode !== undefined) return commandLine.exitCode;
  const { options } = commandLine;
  // `pnpm demo --out x.svg` runs this script from apps/demo; pnpm puts the directory it was started in
  // into INIT_CWD, which is where the user means x.svg to go.
  const cwd = io.cwd ?? process.env.INIT_CWD ?? process.cwd();
  try {
    await runDemo({ steps: options.steps, out: options.out }, { stdout: io.stdout, cwd });
    return 0;
  } catch (error) {
    io.stderr.write(`\nerror: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
