import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** An option without a value (`--quick`): true when given. */
export interface FlagOption {
  readonly type: 'boolean';
  /** A one-letter alias (`h` for `-h`). */
  readonly short?: string;
}

/** An option with a value, given as `--name value` or `--name=value`. */
export interface ValueOption<T> {
  readonly type: 'string';
  readonly short?: string;
  /** The value when the option is not given. */
  readonly default: T;
  /** Turns the text into the value; throws UsageError (naming `option`, e.g. "--steps") when the text is bad. */
  readonly parse: (text: string, option: string) => T;
}

export type OptionSpec = FlagOption | ValueOption<unknown>;

/** What `parseCommandLine` returns for a spec: a boolean per flag, the parsed value (or default) per value option. */
export type ParsedOptions<S extends Readonly<Record<string, OptionSpec>>> = {
  -readonly [K in keyof S]: S[K] extends ValueOption<infer T> ? T : boolean;
};

/** The flag of an option key: `targetMs` is given as `--target-ms`. */
export function optionFlag(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parses argv (without the node and script paths) with node:util's parseArgs, in order, so the first problem
 * is the one reported; throws UsageError naming it:
 * - an unknown option or a stray argument: `unknown option "ARG"` (ARG as typed);
 * - a value option at the end, or followed by something starting with "--": `--name needs a value`
 *   (a value may start with a single dash: `--out -chart.svg`);
 * - a value given to a flag: `--name takes no value, got "--name=x"`;
 * - whatever a value option's `parse` throws.
 * A bare "--" is ignored (pnpm passes one through in some setups), and options after it are still read.
 * When an option is given more than once, the last one wins. Keys are camelCase; their flags kebab-case.
 */
export function parseCommandLine<const S extends Readonly<Record<string, OptionSpec>>>(argv: readonly string[], spec: S): ParsedOptions<S> {
  const byFlag = new Map(Object.keys(spec).map((key) => [optionFlag(key), key]));
  const parseArgsOptions = Object.fromEntries(
    Object.entries(spec).map(([key, option]) => [optionFlag(key), option.short === undefined ? { type: option.type } : { type: option.type, short: option.short }]),
  );
  const result: Record<string, unknown> = Object.fromEntries(Object.entries(spec).map(([key, option]) => [key, option.type === 'boolean' ? false : option.default]));
  // parseArgs reads everything after a "--" as positionals: read each stretch between them on its own.
  let start = 0;
  while (start <= argv.length) {
    let end = argv.indexOf('--', start);
    if (end < 0) end = argv.length;
    const args = argv.slice(start, end);
    const { tokens } = parseArgs({ args, options: parseArgsOptions, strict: false, allowPositionals: true, tokens: true });
    for (const token of tokens) {
      const arg = args[token.index];
      const key = token.kind === 'option' ? byFlag.get(token.name) : undefined;
      if (token.kind !== 'option' || key === undefined) throw new UsageError(`unknown option "${arg}"`);
      const option = spec[key];
      if (option.type === 'boolean') {
        if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, got "${arg}"`);
        result[key] = true;
      } else {
        if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) throw new UsageError(`${token.rawName} needs a value`);
        result[key] = option.parse(token.value, token.rawName);
      }
    }
    start = end + 1;
  }
  return result as ParsedOptions<S>;
}
