import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule, readCommandLine, UsageError } from '@rmsprop/app-kit/cli';
import { assembleImplementations, IMPLEMENTATION_NAMES } from './assemble-implementations.js';
import { benchChartSvg } from './bench-chart.js';
import { benchJson } from './bench-json.js';
import { buildPlan, measureSettings } from './bench-plan.js';
import { parseCliOptions, USAGE, type CliOptions } from './cli-options.js';
import { formatGoals } from './format-goals.js';
import { formatImplementations, formatMethod, formatSkipped } from './format-report.js';
import { evaluateGoals } from './goals.js';
import type { BenchCase } from './bench-case.js';
import type { Implementation } from './implementation.js';
import { formatMachineInfo, machineInfo } from './machine-info.js';
import { formatPathTables } from './path-rows.js';
import { formatClock, ProgressBar, type ProgressStream } from './progress-bar.js';
import { formatResultTables } from './results-table.js';
import { runBench } from './run-bench.js';

export interface MainIo {
  readonly stdout: { write(text: string): unknown };
  /** Progress goes here (a single updating line on a terminal). */
  readonly stderr: ProgressStream;
  /** Directory relative --json and --out paths are resolved against. */
  readonly cwd?: string;
}

/** The chart's default place: apps/bench/out/bench.svg (git ignores it). */
export const DEFAULT_CHART = fileURLToPath(new URL('../out/bench.svg', import.meta.url));

function checkNames(options: CliOptions): void {
  const known = IMPLEMENTATION_NAMES as readonly string[];
  for (const name of [...(options.only ?? []), ...options.skip]) {
    if (!known.includes(name)) throw new UsageError(`unknown implementation "${name}"; expected ${known.join(', ')}`);
  }
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * The bench's command line: parse the flags, run the plan, print the tables, the goals and the machine,
 * write the chart (and the JSON), and return the exit code (0 ok, 1 failure, 2 bad usage) so tests can
 * call it. Goals that are not met do not fail the run: the numbers are the output.
 */
export async function main(argv: readonly string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const parse = (): CliOptions => {
    const options = parseCliOptions(argv);
    checkNames(options);
    return options;
  };
  const commandLine = readCommandLine(parse, USAGE, io);
  if (commandLine.exitCode !== undefined) return commandLine.exitCode;
  const { options } = commandLine;
  // `pnpm bench --json x.json` runs this script from apps/bench; pnpm puts the directory it was started in
  // into INIT_CWD, which is where the user means x.json to go.
  const cwd = io.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const print = (text: string): void => void io.stdout.write(`${text}\n`);
  const started = performance.now();
  let implementations: Implementation[] = [];
  try {
    const settings = measureSettings(options.quick, {
      ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
      ...(options.targetMs === undefined ? {} : { targetSeconds: options.targetMs / 1000 }),
      ...(options.warmupMs === undefined ? {} : { warmupSeconds: options.warmupMs / 1000 }),
    });
    const plan = buildPlan({ quick: options.quick, sizes: options.sizes, variants: options.variants, dtypes: options.dtypes, layouts: options.layouts });
    const progress = new ProgressBar(io.stderr);
    progress.update(0, 1, 'probing implementations (CPU backend, tfjs, torch)');
    const assembled = await assembleImplementations({ only: options.only, skip: options.skip, python: options.python, nonFinite: options.nonFinite });
    implementations = assembled.implementations;
    const facts = Object.assign({}, ...implementations.map((i) => i.facts?.() ?? {})) as Record<string, string | number | boolean>;
    const startMachine = machineInfo(facts);
    progress.clear();
    print(`rmsprop bench${options.quick ? ' --quick' : ''}: ${plan.length} cases, ${implementations.length} implementations`);
    print(formatMachineInfo(startMachine));
    print('');
    print(formatImplementations(implementations, assembled.unavailable));
    print('');
    print(formatMethod(settings, options.quick));
    print('');

    const result = await runBench({ plan, settings, implementations, allocSteps: options.allocSteps, nonFinite: options.nonFinite, progress });
    const order = implementations.map((i) => i.name);
    const skipped = [...assembled.unavailable.map((u) => ({ implementation: u.name, reason: u.reason })), ...result.skipped];
    const missingReason = (implementation: string, c: BenchCase): string | undefined => {
      const unavailable = assembled.unavailable.find((u) => u.name === implementation);
      if (unavailable !== undefined) return unavailable.reason;
      const s = result.skipped.find(
        (k) => k.implementation === implementation && k.case !== undefined && k.case.variant === c.variant && k.case.dtype === c.dtype && k.case.n === c.n && k.case.layout === c.layout,
      );
      if (s !== undefined) return s.reason;
      if (!order.includes(implementation)) return 'not selected';
      return undefined;
    };
    const goals = evaluateGoals({ rows: result.rows, missingReason, allocation: result.allocation, allocationMissing: result.allocationMissing });

    print(formatResultTables(result.rows, order));
    const pathsText = formatPathTables(result.rows);
    if (pathsText !== '') print(`\nRMSPropOptimizer.step as users call it (each path row ÷ the careful path rmsprop-cpu and ÷ pytorch, same rounds):\n\n${pathsText}`);
    const skippedText = formatSkipped(result.skipped);
    if (skippedText !== '') print(`\n${skippedText}`);
    print('');
    const a = result.allocation;
    print(
      a === undefined
        ? `zero-allocation check: ${result.allocationMissing ?? 'did not run'}`
        : `zero-allocation check (rmsprop-cpu, float32 plain, n=${a.n}, ${a.steps} steps in ${a.seconds.toFixed(2)} s after as many untimed, ` +
            'in this process after every case, so the backend has already run each variant and dtype of the plan): ' +
            `${a.collections} garbage collections and young generation ${signedKiB(a.youngGrowthBytes)} during the steps, ` +
            `heap ${signedKiB(a.heapUsedDeltaBytes)} after a full GC, ${a.minorPageFaults} minor page faults` +
            (a.attempts > 1
              ? ` (try ${a.attempts}; the earlier tries grew the young generation by ${(a.earlierYoungGrowthBytes ?? []).map(signedKiB).join(', ')} ` +
                'or saw a collection: V8 recompiling code it had deoptimized, or its memory reducer)'
              : ''),
    );
    print('');
    print('goals, from this run’s ratios:');
    print(formatGoals(goals));

    const endMachine = machineInfo(facts);
    const chartPath = options.out === undefined ? DEFAULT_CHART : resolve(cwd, options.out);
    const subtitle = `${String(endMachine.cpuModel)}, Node ${String(endMachine.node)}; medians of ${settings.rounds} interleaved rounds`;
    writeFile(chartPath, benchChartSvg(result.rows, order, subtitle));
    print('');
    print(`chart: ${chartPath}`);
    if (options.json !== undefined) {
      const jsonPath = resolve(cwd, options.json);
      const implementationsText = Object.fromEntries(implementations.map((i) => [i.name, i.describe()]));
      const doc = benchJson({ machine: endMachine, rows: result.rows, goals, allocation: result.allocation, skipped, settings: { ...settings, quick: options.quick }, implementations: implementationsText });
      writeFile(jsonPath, `${JSON.stringify(doc, null, 2)}\n`);
      print(`json: ${jsonPath}`);
    }
    print(`elapsed: ${formatClock((performance.now() - started) / 1000)} (measuring ${formatClock(result.seconds)})`);
    return 0;
  } catch (error) {
    io.stderr.write(`\nerror: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    for (const impl of implementations) await impl.close?.();
  }
}

function signedKiB(bytes: number): string {
  return `${bytes >= 0 ? '+' : '−'}${(Math.abs(bytes) / 1024).toFixed(1)} KiB`;
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
