import { describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-usage-error.js';
import { parseCliArgs } from './parse-cli-args.js';

/** The message of the CliUsageError that parsing `argv` throws. */
function usageError(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as CliUsageError).message;
  }
  return expect.fail(`${JSON.stringify(argv)} parsed`);
}

describe('parseCliArgs', () => {
  it('no arguments: every backend, the shipped vectors, default limits, text', () => {
    expect(parseCliArgs([])).toEqual({ backends: [], vectors: [], limits: {}, json: false, help: false });
  });

  it('--name=VALUE is the same as --name VALUE for every option with a value', () => {
    expect(parseCliArgs(['--vectors=a.json'])).toEqual(parseCliArgs(['--vectors', 'a.json']));
    expect(parseCliArgs(['--backend=cpu'])).toEqual(parseCliArgs(['--backend', 'cpu']));
    expect(parseCliArgs(['--limit=maxSteps=5'])).toEqual(parseCliArgs(['--limit', 'maxSteps=5']));
    expect(parseCliArgs(['--vectors=a.json']).vectors).toEqual(['a.json']);
  });

  it('--vectors takes the files after it up to the next option, repeated or not', () => {
    expect(parseCliArgs(['--vectors', 'a.json', 'b.json', '--json']).vectors).toEqual(['a.json', 'b.json']);
    expect(parseCliArgs(['--vectors=a.json', 'b.json']).vectors).toEqual(['a.json', 'b.json']);
    expect(parseCliArgs(['--vectors', 'a.json', '--backend', 'cpu', '--vectors', 'c.json']).vectors).toEqual(['a.json', 'c.json']);
  });

  it('a file whose name starts with a dash: --vectors=-a.json, or after --', () => {
    expect(parseCliArgs(['--vectors=-a.json']).vectors).toEqual(['-a.json']);
    expect(parseCliArgs(['--vectors', 'a.json', '--', '-b.json', '--json']).vectors).toEqual(['a.json', '-b.json', '--json']);
    expect(usageError(['--vectors', '-a.json'])).toBe('--vectors needs at least one file; got "-a.json" (write a name that starts with - as --vectors=-a.json)');
  });

  it('--backend and --limit: repeated or comma-separated', () => {
    expect(parseCliArgs(['--backend', 'cpu,tfjs-cpu', '--backend=cpu-js']).backends).toEqual(['cpu', 'tfjs-cpu', 'cpu-js']);
    expect(parseCliArgs(['--limit', 'maxSteps=2,maxCases=1', '--limit=maxBytes=100']).limits).toEqual({ maxSteps: 2, maxCases: 1, maxBytes: 100 });
  });

  it('--json, --help and -h', () => {
    expect(parseCliArgs(['--json']).json).toBe(true);
    expect(parseCliArgs(['--help']).help).toBe(true);
    expect(parseCliArgs(['-h']).help).toBe(true);
  });

  it('an unknown option, short or long, is a usage error naming it', () => {
    expect(usageError(['--frobnicate'])).toBe('unknown argument "--frobnicate"');
    expect(usageError(['-x'])).toBe('unknown argument "-x"');
    expect(usageError(['--constructor'])).toBe('unknown argument "--constructor"');
    expect(usageError(['--vector', 'a.json'])).toBe('unknown argument "--vector"');
  });

  it('an argument that is not an option nor a file after --vectors is a usage error', () => {
    expect(usageError(['a.json'])).toBe('unexpected argument "a.json" (files to run go after --vectors)');
    expect(usageError(['--json', '--', 'a.json'])).toBe('unexpected argument "a.json" (files to run go after --vectors)');
  });

  it('an option missing its value, or given an empty one, is a usage error', () => {
    expect(usageError(['--backend'])).toBe('--backend needs a value (a backend name or all); got nothing');
    expect(usageError(['--backend', '--json'])).toBe('--backend needs a value (a backend name or all); got "--json"');
    expect(usageError(['--backend='])).toBe('--backend needs a value (a backend name or all); got ""');
    expect(usageError(['--backend', ','])).toBe('--backend needs a value (a backend name or all); got ","');
    expect(usageError(['--limit'])).toBe('--limit needs a value (NAME=N); got nothing');
    expect(usageError(['--limit', '--json'])).toBe('--limit needs a value (NAME=N); got "--json"');
    expect(usageError(['--vectors'])).toBe('--vectors needs at least one file; got nothing');
    expect(usageError(['--vectors', '--json'])).toBe('--vectors needs at least one file; got "--json"');
    expect(usageError(['--vectors='])).toBe('--vectors needs at least one file; got ""');
  });

  it('a value given to an option that takes none is a usage error', () => {
    expect(usageError(['--json=yes'])).toBe('--json takes no value; got "yes"');
    expect(usageError(['--help=1'])).toBe('--help takes no value; got "1"');
  });

  it('a bad --limit names the pair and the limits', () => {
    expect(usageError(['--limit', 'maxSteps'])).toBe('--limit takes NAME=N (N a positive integer); got "maxSteps"');
    expect(usageError(['--limit', 'maxSteps=0'])).toBe('--limit maxSteps must be a positive integer; got "0"');
    expect(usageError(['--limit', 'maxStep=10'])).toBe('--limit "maxStep" is not a limit; the limits are maxBytes, maxCases, maxSteps, maxNumbers');
  });
});
