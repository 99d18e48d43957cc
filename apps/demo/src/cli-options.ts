/** What the command line asks for. */
export interface CliOptions {
  /** Total training steps, split evenly over the phases. */
  readonly steps: number;
  /** Where to write the SVG chart; undefined means apps/demo/out/loss-curves.svg. */
  readonly out: string | undefined;
  readonly help: boolean;
}

export const DEFAULT_STEPS = 4000;

/** A bad command line: the message says what was wrong; main prints it with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: pnpm demo [-- options]   (or, in apps/demo: node dist/main.js [options])

Trains SGD, AdaGrad and RMSProp on a badly scaled linear regression whose feature scales change, prints
which RMSProp backend was chosen and why and a table of results, and writes an SVG chart of the loss curves.

Options:
  --steps N    total training steps, split evenly over the 4 phases (default ${DEFAULT_STEPS}; at least 4)
  --out FILE   where to write the SVG chart (default apps/demo/out/loss-curves.svg)
  --help, -h   show this help and exit
`;

/** Parse argv (without the node and script paths). Accepts "--steps N" and "--steps=N". Throws UsageError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let steps = DEFAULT_STEPS;
  let out: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case '--help':
      case '-h':
        if (inline !== undefined) throw new UsageError(`${name} takes no value, got "${arg}"`);
        help = true;
        break;
      case '--steps': {
        const text = value();
        const n = Number(text);
        if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 4) {
          throw new UsageError(`--steps must be a whole number ≥ 4 (one step per phase at least), got "${text}"`);
        }
        steps = n;
        break;
      }
      case '--out': {
        const text = value();
        if (text.length === 0) throw new UsageError('--out needs a file name');
        out = text;
        break;
      }
      case '--':
        // pnpm passes a literal "--" through in some setups: ignore it (but not "--=x").
        if (inline !== undefined) throw new UsageError(`unknown option "${arg}"`);
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return { steps, out, help };
}
