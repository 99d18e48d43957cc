import { UsageError } from '@rmsprop/app-kit/cli';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS, parseCliOptions, USAGE } from './cli-options.js';

/** The UsageError that parsing `argv` throws. */
function usageError(argv: string[]): UsageError {
  try {
    parseCliOptions(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parseCliOptions(${JSON.stringify(argv)}) did not throw`);
}

describe('parseCliOptions', () => {
  it('defaults to 4000 steps, the default chart path and no help', () => {
    expect(DEFAULT_STEPS).toBe(4000);
    expect(parseCliOptions([])).toEqual({ steps: 4000, out: undefined, help: false });
  });

  it('parses --steps N and --steps=N', () => {
    expect(parseCliOptions(['--steps', '400']).steps).toBe(400);
    expect(parseCliOptions(['--steps=12']).steps).toBe(12);
    expect(parseCliOptions(['--steps', '4']).steps).toBe(4);
    // The last one wins.
    expect(parseCliOptions(['--steps', '8', '--steps', '16']).steps).toBe(16);
  });

  it('parses --out FILE and --out=FILE', () => {
    expect(parseCliOptions(['--out', 'chart.svg']).out).toBe('chart.svg');
    expect(parseCliOptions(['--out=/tmp/a b.svg']).out).toBe('/tmp/a b.svg');
    // A value may start with a single dash (a file name), only "--" starts an option.
    expect(parseCliOptions(['--out', '-chart.svg']).out).toBe('-chart.svg');
  });

  it('parses --help and -h, alone or with other flags', () => {
    expect(parseCliOptions(['--help']).help).toBe(true);
    expect(parseCliOptions(['-h']).help).toBe(true);
    expect(parseCliOptions(['--steps', '8', '--help'])).toEqual({ steps: 8, out: undefined, help: true });
  });

  it('ignores a bare "--" that pnpm passes through', () => {
    expect(parseCliOptions(['--', '--steps', '8', '--out', 'x.svg'])).toEqual({ steps: 8, out: 'x.svg', help: false });
  });

  it('rejects an unknown flag or a stray argument, naming it', () => {
    expect(usageError(['--bogus']).message).toBe('unknown option "--bogus"');
    expect(usageError(['chart.svg']).message).toContain('"chart.svg"');
  });

  it('rejects --steps that is not a whole number ≥ 4, naming the flag and the value', () => {
    for (const bad of ['12.5', 'abc', '3', '0', '-5', '1e3', '0x10', '', '99999999999999999999']) {
      const message = usageError([`--steps=${bad}`]).message;
      expect(message).toContain('--steps');
      expect(message).toContain(`"${bad}"`);
    }
    const separate = usageError(['--steps', '12.5']).message;
    expect(separate).toMatch(/^--steps .*"12\.5"$/);
  });

  it('rejects a flag whose value is missing', () => {
    expect(usageError(['--steps']).message).toBe('--steps needs a value');
    expect(usageError(['--steps', '--out', 'x.svg']).message).toBe('--steps needs a value');
    expect(usageError(['--out']).message).toBe('--out needs a value');
    expect(usageError(['--out=']).message).toBe('--out needs a file name');
  });

  it('rejects a value given to --help', () => {
    expect(usageError(['--help=yes']).message).toContain('"--help=yes"');
  });

  it('has a usage text that lists every flag and the default', () => {
    for (const flag of ['--steps N', '--out FILE', '--help', '-h', 'pnpm demo']) expect(USAGE).toContain(flag);
    expect(USAGE).toContain(`default ${DEFAULT_STEPS}`);
    expect(USAGE).toContain('apps/demo/out/loss-curves.svg');
  });
});
