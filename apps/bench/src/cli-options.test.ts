import { UsageError } from '@rmsprop/app-kit/cli';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOC_STEPS, parseCliOptions } from './cli-options.js';

describe('parseCliOptions', () => {
  it('defaults to the full run, propagate, /usr/bin/python3 and a 10,000-step allocation check', () => {
    expect(parseCliOptions([])).toMatchObject({
      quick: false,
      json: undefined,
      out: undefined,
      only: undefined,
      skip: [],
      sizes: undefined,
      allocSteps: DEFAULT_ALLOC_STEPS,
      python: '/usr/bin/python3',
      nonFinite: 'propagate',
      help: false,
    });
    expect(DEFAULT_ALLOC_STEPS).toBe(10_000);
  });

  it('reads every option, as "--name value" or "--name=value", and ignores a bare "--" from pnpm', () => {
    const o = parseCliOptions([
      '--',
      '--quick',
      '--json',
      'out.json',
      '--out=chart.svg',
      '--only',
      'ceiling,rmsprop-cpu',
      '--skip=pytorch',
      '--sizes',
      '1e3,100000',
      '--variants',
      'plain,centered+momentum',
      '--dtypes=float64',
      '--layouts',
      '1000x1000',
      '--rounds',
      '7',
      '--target-ms',
      '20',
      '--warmup-ms=0',
      '--alloc-steps',
      '0',
      '--python',
      '/opt/python',
      '--non-finite',
      'error',
    ]);
    expect(o).toMatchObject({
      quick: true,
      json: 'out.json',
      out: 'chart.svg',
      only: ['ceiling', 'rmsprop-cpu'],
      skip: ['pytorch'],
      sizes: [1000, 100000],
      variants: ['plain', 'centered+momentum'],
      dtypes: ['float64'],
      layouts: ['1000x1000'],
      rounds: 7,
      targetMs: 20,
      warmupMs: 0,
      allocSteps: 0,
      python: '/opt/python',
      nonFinite: 'error',
    });
  });

  it('rejects unknown options, missing and bad values, and values on flags', () => {
    expect(() => parseCliOptions(['--fast'])).toThrow(UsageError);
    expect(() => parseCliOptions(['--json'])).toThrow(/--json needs a value/);
    expect(() => parseCliOptions(['--sizes', '1e3,abc'])).toThrow(/--sizes must be a whole number/);
    expect(() => parseCliOptions(['--sizes', '2'])).toThrow(/≥ 4/);
    expect(() => parseCliOptions(['--rounds', '0'])).toThrow(/≥ 1/);
    expect(() => parseCliOptions(['--variants', 'nesterov'])).toThrow(/unknown "nesterov"/);
    expect(() => parseCliOptions(['--non-finite', 'ignore'])).toThrow(/unknown "ignore"/);
    expect(() => parseCliOptions(['--quick=yes'])).toThrow(/takes no value/);
    expect(() => parseCliOptions(['--only', ','])).toThrow(/comma-separated list/);
  });

  it('asks for help with --help or -h', () => {
    expect(parseCliOptions(['-h']).help).toBe(true);
    expect(parseCliOptions(['--help']).help).toBe(true);
  });
});
