#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RMSPropBackend } from '@rmsprop/core';
import { CONFORMANCE_BACKENDS, SPEC_SKIPS, SPEC_TOLERANCE } from './backend-table.js';
import { CliUsageError } from './cli-usage-error.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from './escape-control-characters.js';
import { formatMatrix, matrixJson, summaryLine } from './format-matrix.js';
import { GoldenFileError } from './golden-file-error.js';
import { GOLDEN_FILE_LIMITS } from './golden-file-limits.js';
import { backendImplementation, referenceImplementation } from './implementations.js';
import { loadBackendFactory } from './load-backend.js';
import { committedVectorFiles, readGoldenFiles } from './load-golden-files.js';
import { parseCliArgs } from './parse-cli-args.js';
import { assembleRun, runColumn, type ConformanceCell } from './run-conformance.js';
import { withoutTfjsNodeBanner } from './without-tfjs-node-banner.js';

const LIMIT_NAMES = Object.keys(GOLDEN_FILE_LIMITS).join(', ');

/**
 * Where the format and the rest of the CLI's documentation are. The npm package does not ship docs/, so the
 * link is absolute (to the branch the packages are published from).
 */
export const CONFORMANCE_DOCS_URL = 'https://github.com/rmsprop/rmsprop/blob/main/docs/conformance.md';

/** The CLI's usage text (`--help`; also printed after a usage error). */
export const USAGE = `Usage: rmsprop-conformance [--backend NAME|all] [--vectors FILE ...] [--limit NAME=N] [--json]

Runs golden vectors (format rmsprop-golden/1) on the RMSProp backends available in Node, and on the
spec's float64 reference, and prints a matrix case × implementation with the max abs and relative error
(and ulps for float32), then each failure's first value out of tolerance ("got" the implementation's
value, "expected" the file's).

  --backend NAME|all   a backend from the table (${CONFORMANCE_BACKENDS.map((b) => b.name).join(', ')}), or all of those
                       installed here (default: all); repeat or separate with commas for several
  --vectors FILE ...   the golden-vector files to run: those after it up to the next option (default: the
                       vectors shipped with this package); a name starting with - as --vectors=-a.json
  --limit NAME=N       raise or lower a limit on each file (${LIMIT_NAMES}); defaults:
                       ${Object.entries(GOLDEN_FILE_LIMITS).map(([name, value]) => `${name}=${value}`).join(', ')};
                       repeat or separate with commas for several
  --json               print the matrix as JSON instead of text
  -h, --help           this text

An option's value may also be written --name=VALUE (--backend=cpu, --vectors=mine.json, --limit=maxSteps=500000).

Exit status: 0 every case passed, 1 a case failed, 2 bad usage or an unreadable, malformed or too large file.

Backends are imported from the node_modules of the directory it runs in: run it only where you trust the
installed packages. Names, paths and messages from the files are printed with control characters escaped.

The format, where the shipped vectors come from, each backend's tolerance and why:
${CONFORMANCE_DOCS_URL}
`;

interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
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
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
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
      backend = await withoutTfjsNodeBanner(entry, io.cwd, loaded.factory);
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
