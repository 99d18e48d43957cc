import { describe, expect, it } from 'vitest';
import { readCommandLine } from './read-command-line.js';
import { UsageError } from './usage-error.js';

function streams() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
}

describe('readCommandLine', () => {
  it('returns the options when they do not ask for help, writing nothing', () => {
    const { out, io } = streams();
    expect(readCommandLine(() => ({ help: false, n: 3 }), 'USAGE\n', io)).toEqual({ options: { help: false, n: 3 } });
    expect(out).toEqual({ stdout: '', stderr: '' });
  });

  it('writes the usage to stdout and stops with 0 for --help', () => {
    const { out, io } = streams();
    expect(readCommandLine(() => ({ help: true }), 'USAGE\n', io)).toEqual({ exitCode: 0 });
    expect(out).toEqual({ stdout: 'USAGE\n', stderr: '' });
  });

  it('writes a UsageError and the usage to stderr and stops with 2', () => {
    const { out, io } = streams();
    const parse = (): { help: boolean } => {
      throw new UsageError('unknown option "--x"');
    };
    expect(readCommandLine(parse, 'USAGE\n', io)).toEqual({ exitCode: 2 });
    expect(out).toEqual({ stdout: '', stderr: 'error: unknown option "--x"\n\nUSAGE\n' });
  });

  it('throws any other error on', () => {
    const { io } = streams();
    const parse = (): { help: boolean } => {
      throw new TypeError('bug');
    };
    expect(() => readCommandLine(parse, 'USAGE\n', io)).toThrow(TypeError);
  });
});
