import { parseArgs } from 'node:util';
import { CliUsageError } from './cli-usage-error.js';
import { GOLDEN_FILE_LIMITS, isGoldenFileLimit, type GoldenFileLimits } from './golden-file-limits.js';

/** What the `rmsprop-conformance` command line asks for. */
export interface CliArgs {
  /** Backend names from `--backend` (empty: all, as is a name `all`). */
  readonly backends: string[];
  /** The files from `--vectors`, as given (empty: the vectors shipped with the package). */
  readonly vectors: string[];
  /** The limits from `--limit`, over the defaults. */
  readonly limits: Partial<GoldenFileLimits>;
  readonly json: boolean;
  readonly help: boolean;
}

/** The options, for `util.parseArgs`. */
const OPTIONS = {
  backend: { type: 'string', multiple: true },
  vectors: { type: 'string', multiple: true },
  limit: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** What an option with a value needs, for the message when it has none. */
const NEEDS: Readonly<Record<'backend' | 'vectors' | 'limit', string>> = {
  backend: 'a value (a backend name or all)',
  vectors: 'at least one file',
  limit: 'a value (NAME=N)',
};

const LIMIT_NAMES = Object.keys(GOLDEN_FILE_LIMITS).join(', ');

function isOption(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

/** `--limit` values: NAME=N pairs, comma-separated. */
function parseLimits(value: string, into: Partial<Record<keyof GoldenFileLimits, number>>): void {
  for (const pair of value.split(',')) {
    const match = /^([A-Za-z]+)=([0-9]+)$/.exec(pair);
    if (match === null) throw new CliUsageError(`--limit takes NAME=N (N a positive integer); got ${JSON.stringify(pair)}`);
    const [, name, digits] = match;
    if (!isGoldenFileLimit(name)) throw new CliUsageError(`--limit ${JSON.stringify(name)} is not a limit; the limits are ${LIMIT_NAMES}`);
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n < 1) throw new CliUsageError(`--limit ${name} must be a positive integer; got ${JSON.stringify(digits)}`);
    into[name] = n;
  }
}

/**
 * Reads the CLI's arguments with Node's `util.parseArgs`, so that the usual forms work: `--name VALUE` and
 * `--name=VALUE` for `--backend`, `--vectors` and `--limit`; `-h` for `--help`; `--` before arguments
 * that start with a dash. `--backend` and `--limit` may be repeated or take comma-separated values;
 * `--vectors` takes the files after it up to the next option (and those after `--`).
 *
 * Throws {@link CliUsageError} for an unknown option, an option with a value missing (or empty, or
 * starting with a dash: write `--vectors=-a.json`), a value given to `--json` or `--help`, an argument
 * that is not after `--vectors`, or a bad `--limit`.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  // parseArgs reads the forms; strict is off so that its tokens, checked below, give messages that name
  // what the CLI expects (in strict mode it throws its own, with no field to tell which option).
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const backends: string[] = [];
  const vectors: string[] = [];
  const limits: Partial<Record<keyof GoldenFileLimits, number>> = {};
  let json = false;
  let help = false;
  let afterVectors = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!afterVectors) throw new CliUsageError(`unexpected argument ${JSON.stringify(token.value)} (files to run go after --vectors)`);
      vectors.push(token.value);
      continue;
    }
    const { name, rawName, value, inlineValue } = token;
    if (!isOption(name)) throw new CliUsageError(`unknown argument ${JSON.stringify(rawName)}`);
    afterVectors = name === 'vectors';
    if (name === 'json' || name === 'help') {
      if (value !== undefined) throw new CliUsageError(`--${name} takes no value; got ${JSON.stringify(value)}`);
      if (name === 'json') json = true;
      else help = true;
      continue;
    }
    // Not strict, parseArgs takes the next argument as the value even where it is an option (strict mode
    // calls that ambiguous and refuses it); "-" alone is a value.
    const missing = value === undefined || value === '' || (inlineValue !== true && value.length > 1 && value.startsWith('-'));
    const values = value?.split(',').filter(Boolean) ?? [];
    if (missing || (name !== 'vectors' && values.length === 0)) {
      const hint = name === 'vectors' && value !== undefined && !value.startsWith('--') && value.length > 1 ? ` (write a name that starts with - as --vectors=${value})` : '';
      throw new CliUsageError(`--${name} needs ${NEEDS[name]}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}${hint}`);
    }
    if (name === 'vectors') vectors.push(value);
    else if (name === 'backend') backends.push(...values);
    else parseLimits(value, limits);
  }
  return { backends, vectors, limits, json, help };
}
