import { parseCommandLine, UsageError, type OptionSpec } from '@rmsprop/app-kit/cli';
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

const NON_FINITE_POLICIES: readonly NonFiniteGradientPolicy[] = ['propagate', 'skip', 'error'];

export const USAGE = `Usage: pnpm bench [options]   (or, in apps/bench: node --expose-gc dist/main.js [options])

Measures RMSProp steps per second (as elements/s) of the CPU backend and its peers over N = 1e3 … 1e7,
against a memory ceiling measured in the same run; prints tables, the speed goals (met / NOT met, from
this run's ratios) and the machine, and writes an SVG chart.

Options:
  --quick               fewer sizes, variants and rounds (under two minutes)
  --json FILE           write { machine, rows: [...], goals, ... } to FILE
  --out FILE            the SVG chart (default apps/bench/out/bench.svg)
  --only A,B            run only these implementations (ceiling, ceiling-2t, sqrt-div, rmsprop-cpu, rmsprop-cpu-js, rmsprop-cpu-2t,
                        rmsprop-tfjs-cpu, rmsprop-tfjs-wasm, js-loop, allocating-js, tfjs-cpu, tfjs-wasm, pytorch)
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

function fileName(text: string, option: string): string {
  if (text.length === 0) throw new UsageError(`${option} needs a file name`);
  return text;
}

/** The bench's options, for parseCommandLine: each value checked as it is read. */
const OPTIONS = {
  quick: { type: 'boolean' },
  json: { type: 'string', default: undefined as string | undefined, parse: fileName },
  out: { type: 'string', default: undefined as string | undefined, parse: fileName },
  only: { type: 'string', default: undefined as readonly string[] | undefined, parse: list },
  skip: { type: 'string', default: [] as readonly string[], parse: list },
  sizes: { type: 'string', default: undefined as readonly number[] | undefined, parse: (text, option) => list(text, option).map((s) => wholeNumber(s, option, 4)) },
  variants: { type: 'string', default: undefined as readonly Variant[] | undefined, parse: (text, option) => oneOf(list(text, option), VARIANTS, option) },
  dtypes: { type: 'string', default: undefined as readonly BenchDType[] | undefined, parse: (text, option) => oneOf(list(text, option), BENCH_DTYPES, option) },
  layouts: { type: 'string', default: undefined as readonly Layout[] | undefined, parse: (text, option) => oneOf(list(text, option), LAYOUTS, option) },
  rounds: { type: 'string', default: undefined as number | undefined, parse: (text, option) => wholeNumber(text, option, 1) },
  targetMs: { type: 'string', default: undefined as number | undefined, parse: (text, option) => wholeNumber(text, option, 1) },
  warmupMs: { type: 'string', default: undefined as number | undefined, parse: (text, option) => wholeNumber(text, option, 0) },
  allocSteps: { type: 'string', default: DEFAULT_ALLOC_STEPS as number, parse: (text, option) => wholeNumber(text, option, 0) },
  python: {
    type: 'string',
    default: DEFAULT_PYTHON as string,
    parse: (text, option) => {
      if (text.length === 0) throw new UsageError(`${option} needs a path`);
      return text;
    },
  },
  nonFinite: { type: 'string', default: 'propagate' as NonFiniteGradientPolicy, parse: (text, option) => oneOf([text], NON_FINITE_POLICIES, option)[0] },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

/** Parse argv (without the node and script paths). Accepts "--name value" and "--name=value". Throws UsageError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  return parseCommandLine(argv, OPTIONS);
}
