import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCliOptions, USAGE, UsageError } from './cli-options.js';
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
  let options;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
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

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = await main(process.argv.slice(2));
