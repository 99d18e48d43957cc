import type { NonFiniteGradientPolicy } from '@rmsprop/core';
import { BENCH_DTYPES, LAYOUTS, VARIANTS, type BenchDType, type Layout, type Variant } from './bench-case.js';
import { DEFAULT_PYTHON } from './pytorch-peer.js';

/** What the command line asks for. */
export interface CliOptions {
  readonly quick: boolean;
  /** Where to write the --json document (undefined: none). */
  readonly json: string | undefined;
  /** Where to write the SVG chart (undefined: apps/bench/out/bench.svg). */
  readonly out: string | undefined;
  /** Run only these implementations (undefined: all available). */
  readonly only: readonly string[] | undefined;
  readonly skip: readonly string[];
  readonly sizes: readonly number[] | undefined;
  readonly variants: readonly Variant[] | undefined;
  readonly dtypes: readonly BenchDType[] | undefined;
  readonly layouts: readonly Layout[] | undefined;
  readonly rounds: number | undefined;
  readonly targetMs: number | undefined;
  readonly warmupMs: number | undefined;
  /** Steps of the zero-allocation check (0: skip it). */
  readonly allocSteps: number;
  readonly python: string;
  readonly nonFinite: NonFiniteGradientPolicy;
  readonly help: boolean;
}

export const DEFAULT_ALLOC_STEPS = 10_000;

/** A bad command line: the message says what was wrong; main prints it with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: pnpm bench [options]   (or, in apps/bench: node --expose-gc dist/main.js [options])

Measures RMSProp steps per second (as elements/s) of the CPU backend and its peers over N = 1e3 … 1e7,
against a memory ceiling measured in the same run; prints tables, the issue-7 goals (met / NOT met, from
this run's ratios) and the machine, and writes an SVG chart.

Options:
  --quick               fewer sizes, variants and rounds (under two minutes)
  --json FILE           write { machine, rows: [...], goals, ... } to FILE
  --out FILE            the SVG chart (default apps/bench/out/bench.svg)
  --only A,B            run only these implementations (ceiling, ceiling-2t, sqrt-div, rmsprop-cpu, rmsprop-cpu-js, rmsprop-cpu-2t,
                        rmsprop-tfjs-cpu, rmsprop-tfjs-wasm, js-loop, seed-style, tfjs-cpu, tfjs-wasm, pytorch)
  --skip A,B            leave these implementations out
  --sizes 1e3,1e5       element counts (replaces the plan's sizes)
  --variants LIST       plain, momentum, centered, centered+momentum
  --dtypes LIST         float32, float64
  --layouts LIST        single, 1000x1000
  --rounds N            rounds after warm-up (default 5; 3 with --quick)
  --target-ms MS        length of one timed sample (default 150; 100 with --quick)
  --warmup-ms MS        warm-up per implementation and case (default 200; 50 with --quick)
  --alloc-steps N       steps of the zero-allocation check at n=1e5 (default ${DEFAULT_ALLOC_STEPS}; 0 skips it)
  --python PATH         the Python for the pytorch peer (default ${DEFAULT_PYTHON})
  --non-finite POLICY   rmsprop-cpu's nonFiniteGradients: propagate (default: no scan of g), skip or error
  --help, -h            show this help and exit
`;

function list(text: string, name: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`${name} needs a comma-separated list`);
  return items;
}

function oneOf<T extends string>(items: string[], allowed: readonly T[], name: string): T[] {
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new UsageError(`${name}: unknown "${item}"; expected ${allowed.join(', ')}`);
  }
  return items as T[];
}

function wholeNumber(text: string, name: string, min: number): number {
  const n = Number(text);
  if (!/^\d+(\.\d*)?(e\d+)?$/i.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${name} must be a whole number ≥ ${min}, got "${text}"`);
  }
  return n;
}

/** Parse argv (without the node and script paths). Accepts "--name value" and "--name=value". Throws UsageError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const o = {
    quick: false,
    json: undefined as string | undefined,
    out: undefined as string | undefined,
    only: undefined as string[] | undefined,
    skip: [] as string[],
    sizes: undefined as number[] | undefined,
    variants: undefined as Variant[] | undefined,
    dtypes: undefined as BenchDType[] | undefined,
    layouts: undefined as Layout[] | undefined,
    rounds: undefined as number | undefined,
    targetMs: undefined as number | undefined,
    warmupMs: undefined as number | undefined,
    allocSteps: DEFAULT_ALLOC_STEPS,
    python: DEFAULT_PYTHON,
    nonFinite: 'propagate' as NonFiniteGradientPolicy,
    help: false,
  };
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
    const flag = (): void => {
      if (inline !== undefined) throw new UsageError(`${name} takes no value, got "${arg}"`);
    };
    switch (name) {
      case '--help':
      case '-h':
        flag();
        o.help = true;
        break;
      case '--quick':
        flag();
        o.quick = true;
        break;
      case '--json':
      case '--out': {
        const text = value();
        if (text.length === 0) throw new UsageError(`${name} needs a file name`);
        if (name === '--json') o.json = text;
        else o.out = text;
        break;
      }
      case '--only':
        o.only = list(value(), name);
        break;
      case '--skip':
        o.skip = list(value(), name);
        break;
      case '--sizes':
        o.sizes = list(value(), name).map((s) => wholeNumber(s, '--sizes', 4));
        break;
      case '--variants':
        o.variants = oneOf(list(value(), name), VARIANTS, name);
        break;
      case '--dtypes':
        o.dtypes = oneOf(list(value(), name), BENCH_DTYPES, name);
        break;
      case '--layouts':
        o.layouts = oneOf(list(value(), name), LAYOUTS, name);
        break;
      case '--rounds':
        o.rounds = wholeNumber(value(), name, 1);
        break;
      case '--target-ms':
        o.targetMs = wholeNumber(value(), name, 1);
        break;
      case '--warmup-ms':
        o.warmupMs = wholeNumber(value(), name, 0);
        break;
      case '--alloc-steps':
        o.allocSteps = wholeNumber(value(), name, 0);
        break;
      case '--python': {
        const text = value();
        if (text.length === 0) throw new UsageError('--python needs a path');
        o.python = text;
        break;
      }
      case '--non-finite':
        o.nonFinite = oneOf([value()], ['propagate', 'skip', 'error'] as const, name)[0];
        break;
      case '--':
        // pnpm passes a literal "--" through in some setups: ignore it (but not "--=x").
        if (inline !== undefined) throw new UsageError(`unknown option "${arg}"`);
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return o;
}
