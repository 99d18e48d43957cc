import { parseCommandLine, UsageError, type OptionSpec } from '@rmsprop/app-kit/cli';

/** What the command line asks for. */
export interface CliOptions {
  /** Total training steps, split evenly over the phases. */
  readonly steps: number;
  /** Where to write the SVG chart; undefined means apps/demo/out/loss-curves.svg. */
  readonly out: string | undefined;
  readonly help: boolean;
}

export const DEFAULT_STEPS = 4000;

export const USAGE = `Usage: pnpm demo [-- options]   (or, in apps/demo: node dist/main.js [options])

Trains SGD, AdaGrad and RMSProp on a badly scaled linear regression whose feature scales change, prints
which RMSProp backend was chosen and why and a table of results, and writes an SVG chart of the loss curves.

Options:
  --steps N    total training steps, split evenly over the 4 phases (default ${DEFAULT_STEPS}; at least 4)
  --out FILE   where to write the SVG chart (default apps/demo/out/loss-curves.svg)
  --help, -h   show this help and exit
`;

/** "--steps N": a whole number of at least 4, written plainly (no 1e3, 0x10 or 12.0). */
function parseSteps(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 4) {
    throw new UsageError(`--steps must be a whole number ≥ 4 (one step per phase at least), got "${text}"`);
  }
  return n;
}

function parseOut(text: string): string {
  if (text.length === 0) throw new UsageError('--out needs a file name');
  return text;
}

/** The demo's options, for parseCommandLine. */
const OPTIONS = {
  steps: { type: 'string', default: DEFAULT_STEPS, parse: parseSteps },
  out: { type: 'string', default: undefined as string | undefined, parse: parseOut },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

/** Parse argv (without the node and script paths). Accepts "--steps N" and "--steps=N". Throws UsageError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  return parseCommandLine(argv, OPTIONS);
}
