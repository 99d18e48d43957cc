#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RMSPropBackend } from '@rmsprop/core';
import { CONFORMANCE_BACKENDS, SPEC_SKIPS, SPEC_TOLERANCE } from './backend-table.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from './escape-control-characters.js';
import { formatMatrix, matrixJson, summaryLine } from './format-matrix.js';
import { GoldenFileError } from './golden-file-error.js';
import { GOLDEN_FILE_LIMITS, isGoldenFileLimit, type GoldenFileLimits } from './golden-file-limits.js';
import { backendImplementation, referenceImplementation } from './implementations.js';
import { loadBackendFactory } from './load-backend.js';
import { committedVectorFiles, readGoldenFiles } from './load-golden-files.js';
import { assembleRun, runColumn, type ConformanceCell } from './run-conformance.js';

const LIMIT_NAMES = Object.keys(GOLDEN_FILE_LIMITS).join(', ');

export const USAGE = `Usage: rmsprop-conformance [--backend NAME|all] [--vectors FILE ...] [--limit NAME=N] [--json]

Runs golden vectors (format rmsprop-golden/1, docs/conformance.md) on the RMSProp backends available in
Node, and on the spec's float64 reference, and prints a matrix case × implementation with the max abs
and relative error (and ulps for float32).

  --backend NAME|all   a backend from the table (${CONFORMANCE_BACKENDS.map((b) => b.name).join(', ')}), or all of those
                       installed here (default: all); repeat or separate with commas for several
  --vectors FILE ...   the golden-vector files to run (default: the vectors shipped with this package)
  --limit NAME=N       raise or lower a limit on each file (${LIMIT_NAMES}); defaults:
                       ${Object.entries(GOLDEN_FILE_LIMITS).map(([name, value]) => `${name}=${value}`).join(', ')};
                       repeat or separate with commas for several
  --json               print the matrix as JSON instead of text
  --help               this text

Exit status: 0 every case passed, 1 a case failed, 2 bad usage or an unreadable, malformed or too large file.

Backends are imported from the node_modules of the directory it runs in: run it only where you trust the
installed packages. Names, paths and messages from the files are printed with control characters escaped.
`;

interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
}

class UsageError extends Error {}

/** `--limit` values: NAME=N pairs, comma-separated. */
function parseLimits(value: string, into: Partial<Record<keyof GoldenFileLimits, number>>): void {
  for (const pair of value.split(',')) {
    const match = /^([A-Za-z]+)=([0-9]+)$/.exec(pair);
    if (match === null) throw new UsageError(`--limit takes NAME=N (N a positive integer); got ${JSON.stringify(pair)}`);
    const [, name, digits] = match;
    if (!isGoldenFileLimit(name)) throw new UsageError(`--limit ${JSON.stringify(name)} is not a limit; the limits are ${LIMIT_NAMES}`);
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--limit ${name} must be a positive integer; got ${JSON.stringify(digits)}`);
    into[name] = n;
  }
}

function parseArgs(argv: readonly string[]): {
  backends: string[];
  vectors: string[];
  limits: Partial<GoldenFileLimits>;
  json: boolean;
  help: boolean;
} {
  const backends: string[] = [];
  const vectors: string[] = [];
  const limits: Partial<Record<keyof GoldenFileLimits, number>> = {};
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--json') json = true;
    else if (arg === '--backend' || arg.startsWith('--backend=')) {
      const value = arg.startsWith('--backend=') ? arg.slice('--backend='.length) : argv[++i];
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`--backend needs a value (a backend name or all); got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      backends.push(...value.split(',').filter(Boolean));
    } else if (arg === '--limit' || arg.startsWith('--limit=')) {
      const value = arg.startsWith('--limit=') ? arg.slice('--limit='.length) : argv[++i];
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`--limit needs a value (NAME=N); got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
      parseLimits(value, limits);
    } else if (arg === '--vectors') {
      let n = 0;
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        vectors.push(argv[++i]);
        n++;
      }
      if (n === 0) throw new UsageError('--vectors needs at least one file');
    } else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  return { backends, vectors, limits, json, help };
}

/**
 * The CLI, returning its exit status (tests call it directly). Everything it prints goes through one
 * escaping step: text with control and bidi formatting characters shown as escapes (newlines kept), JSON
 * with those `JSON.stringify` leaves raw written as \uXXXX; so a file cannot drive the terminal.
 */
export async function main(argv: readonly string[], terminal: Io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const shown = (text: string): string => escapeControlCharacters(text, { keepNewlines: true });
  const io = {
    stdout: { write: (text: string) => terminal.stdout.write(shown(text)) },
    stdoutJson: { write: (json: string) => terminal.stdout.write(escapeJsonControlCharacters(json)) },
    stderr: { write: (text: string) => terminal.stderr.write(shown(text)) },
    cwd: terminal.cwd,
  };
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const wanted = args.backends.length === 0 || args.backends.includes('all') ? null : args.backends;
  for (const name of wanted ?? []) {
    if (!CONFORMANCE_BACKENDS.some((b) => b.name === name)) {
      io.stderr.write(`error: --backend ${JSON.stringify(name)} is not in the table; known: ${CONFORMANCE_BACKENDS.map((b) => b.name).join(', ')}, all\n`);
      return 2;
    }
  }

  let cases;
  try {
    cases = readGoldenFiles(args.vectors.length > 0 ? args.vectors.map((f) => resolve(io.cwd, f)) : committedVectorFiles(), args.limits);
  } catch (error) {
    if (!(error instanceof GoldenFileError)) throw error;
    // A limit's message ends "(limit NAME)": say there how to raise it.
    const limit = error.limit === undefined ? undefined : `(limit ${error.limit})`;
    const message = limit !== undefined && error.message.endsWith(limit) ? `${error.message.slice(0, -1)}; raise it with --limit ${error.limit}=N)` : error.message;
    io.stderr.write(`error: ${message}\n`);
    return 2;
  }

  // One column at a time: each backend is created, run on every case and disposed before the next starts
  // (tfjs backends share tfjs's global active backend, so two must not be live at once).
  const spec = referenceImplementation(SPEC_TOLERANCE, SPEC_SKIPS);
  const names: string[] = [spec.name];
  const columns: ConformanceCell[][] = [runColumn(spec, cases)];
  const notes: string[] = [];
  for (const entry of CONFORMANCE_BACKENDS) {
    if (wanted !== null && !wanted.includes(entry.name)) continue;
    const reason = !entry.runtimes.includes('node') ? `runs in ${entry.runtimes.join(', ')}, not in Node` : undefined;
    const loaded = reason === undefined ? await loadBackendFactory(entry, io.cwd) : { unavailable: reason };
    if ('unavailable' in loaded) {
      if (wanted !== null) {
        io.stderr.write(`error: backend ${entry.name} is not available: ${loaded.unavailable}\n`);
        return 2;
      }
      notes.push(`${entry.name}: not run (${loaded.unavailable})`);
      continue;
    }
    let backend: RMSPropBackend;
    try {
      backend = await loaded.factory();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (wanted !== null) {
        io.stderr.write(`error: backend ${entry.name} failed to start: ${message}\n`);
        return 2;
      }
      notes.push(`${entry.name}: not run (failed to start: ${message})`);
      continue;
    }
    try {
      names.push(entry.name);
      columns.push(runColumn(backendImplementation(entry, backend), cases));
    } finally {
      backend.dispose();
    }
  }

  {
    const run = assembleRun(names, columns, cases);
    if (args.json) io.stdoutJson.write(`${JSON.stringify({ ...(matrixJson(run) as object), notes }, null, 2)}\n`);
    else {
      const text = formatMatrix(run);
      io.stdout.write(notes.length > 0 ? text.replace(/\n(conformance: [^\n]*\n)$/, `\n${notes.map((n) => `Backends: ${escapeControlCharacters(n)}`).join('\n')}\n\n$1`) : text);
    }
    if (args.json) io.stderr.write(`${summaryLine(run)}\n`);
    return run.failed > 0 ? 1 : 0;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) process.exitCode = await main(process.argv.slice(2));
