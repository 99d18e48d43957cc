import { describe, expect, it } from 'vitest';
import { optionFlag, parseCommandLine, type OptionSpec } from './parse-command-line.js';
import { UsageError } from './usage-error.js';

function count(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} must be a whole number, got "${text}"`);
  return Number(text);
}

const spec = {
  steps: { type: 'string', default: 10, parse: count },
  out: { type: 'string', default: undefined as string | undefined, parse: (text: string) => text },
  targetMs: { type: 'string', default: 150, parse: count },
  quick: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Record<string, OptionSpec>;

const parse = (argv: string[]) => parseCommandLine(argv, spec);

/** Parsing `argv` throws a UsageError with exactly this message. */
const rejects = (argv: string[], message: string): void => expect(() => parse(argv)).toThrow(new UsageError(message));

describe('parseCommandLine', () => {
  it('gives the defaults and false for the flags when nothing is given', () => {
    expect(parse([])).toEqual({ steps: 10, out: undefined, targetMs: 150, quick: false, help: false });
  });

  it('reads "--name value" and "--name=value", parsing the text, and kebab-case flags for camelCase keys', () => {
    expect(parse(['--steps', '400', '--out=a b.svg', '--target-ms', '20', '--quick'])).toEqual({ steps: 400, out: 'a b.svg', targetMs: 20, quick: true, help: false });
    expect(optionFlag('targetMs')).toBe('target-ms');
    expect(optionFlag('steps')).toBe('steps');
  });

  it('lets the last of a repeated option win', () => {
    expect(parse(['--steps', '8', '--steps', '16']).steps).toBe(16);
  });

  it('takes a value that starts with a single dash', () => {
    expect(parse(['--out', '-chart.svg']).out).toBe('-chart.svg');
    expect(parse(['--out', '-']).out).toBe('-');
  });

  it('reads the short alias, alone or with other flags', () => {
    expect(parse(['-h']).help).toBe(true);
    expect(parse(['--steps', '8', '--help'])).toMatchObject({ steps: 8, help: true });
  });

  it('ignores a bare "--" (pnpm passes one through) and still reads the options after it', () => {
    expect(parse(['--', '--steps', '8', '--out', 'x.svg'])).toMatchObject({ steps: 8, out: 'x.svg' });
    expect(parse(['--quick', '--', '--', '--steps=3', '--'])).toMatchObject({ steps: 3, quick: true });
  });

  it('rejects an unknown option or a stray argument, naming it as typed', () => {
    rejects(['--bogus'], 'unknown option "--bogus"');
    rejects(['--bogus=1'], 'unknown option "--bogus=1"');
    rejects(['chart.svg'], 'unknown option "chart.svg"');
    rejects(['-x'], 'unknown option "-x"');
    rejects(['-hx'], 'unknown option "-hx"');
    rejects(['--=x'], 'unknown option "--=x"');
    rejects(['--constructor'], 'unknown option "--constructor"');
    rejects(['--', 'stray'], 'unknown option "stray"');
  });

  it('rejects a value option without its value', () => {
    rejects(['--steps'], '--steps needs a value');
    rejects(['--steps', '--out', 'x.svg'], '--steps needs a value');
    rejects(['--steps', '--', '8'], '--steps needs a value');
    rejects(['--target-ms'], '--target-ms needs a value');
  });

  it('passes an empty inline value to parse', () => {
    expect(parse(['--out=']).out).toBe('');
    rejects(['--steps='], '--steps must be a whole number, got ""');
  });

  it('rejects a value given to a flag', () => {
    rejects(['--help=yes'], '--help takes no value, got "--help=yes"');
    rejects(['--quick='], '--quick takes no value, got "--quick="');
  });

  it('reports the first problem in the order given', () => {
    rejects(['--steps', 'abc', '--bogus'], '--steps must be a whole number, got "abc"');
    rejects(['--bogus', '--steps', 'abc'], 'unknown option "--bogus"');
  });

  it('throws on errors that are not UsageErrors unchanged', () => {
    const failing = { n: { type: 'string', default: 0, parse: () => { throw new TypeError('boom'); } } } as const satisfies Record<string, OptionSpec>;
    expect(() => parseCommandLine(['--n', '1'], failing)).toThrow(TypeError);
  });
});

describe('UsageError', () => {
  it('is an Error named UsageError', () => {
    expect(new UsageError('x').name).toBe('UsageError');
    expect(new UsageError('x')).toBeInstanceOf(Error);
    expect(new UsageError('x').message).toBe('x');
  });
});
