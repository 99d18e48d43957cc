import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDuration, formatExponential, formatNumber, textTable } from '@rmsprop/app-kit';
import { AdaGrad } from './adagrad.js';
import { BadlyScaledRegression } from './badly-scaled-regression.js';
import type { DemoOptimizer } from './demo-optimizer.js';
import { lossChartSvg } from './loss-chart-svg.js';
import { PhaseSchedule } from './phase-schedule.js';
import { ProgressLine, type ProgressStream } from './progress-line.js';
import { summarizeResults } from './result-summary.js';
import { preferredDtype, RMSPropAdapter } from './rmsprop-adapter.js';
import { selectBackend } from './select-backend.js';
import { Sgd } from './sgd.js';
import { train, type TrainingRun } from './train.js';
import { learningRateGrid, tuneLearningRate } from './tune-learning-rate.js';
import { wrapParagraph } from './wrap-paragraph.js';

/** The default chart path: apps/demo/out/loss-curves.svg, wherever the demo is run from. */
export const DEFAULT_CHART_PATH = fileURLToPath(new URL('../out/loss-curves.svg', import.meta.url));

/** The loss each optimizer must reach in every phase. */
export const TARGET_LOSS = 1e-3;

export interface DemoOptions {
  /** Total steps over all phases. */
  readonly steps: number;
  /** Chart path; relative paths are resolved against `cwd`. Default {@link DEFAULT_CHART_PATH}. */
  readonly out?: string;
}

export interface DemoIo {
  readonly stdout: ProgressStream;
  /** Directory that a relative --out is resolved against (default process.cwd()). */
  readonly cwd?: string;
}

export interface DemoResult {
  readonly backend: string;
  readonly dtype: string;
  /** SGD, AdaGrad and RMSProp, each its best run on the grid. */
  readonly runs: readonly TrainingRun[];
  readonly chartPath: string;
  readonly target: number;
}

const COLORS: Record<string, string> = { SGD: '#e69f00', AdaGrad: '#cc79a7', RMSProp: '#0072b2' };

/** Train SGD, AdaGrad and RMSProp on the badly scaled regression, print the story and the results, write the chart. */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<DemoResult> {
  const print = (text = ''): void => void io.stdout.write(`${text}\n`);
  const problem = new BadlyScaledRegression();
  const { features, examples } = problem;
  const phaseCount = problem.phases.length;
  const schedule = new PhaseSchedule(options.steps, phaseCount);
  const o = problem.options;
  const target = TARGET_LOSS;

  let curvatureMin = Infinity;
  let curvatureMax = 0;
  let bestLossMax = 0;
  for (let k = 0; k < phaseCount; k++) {
    const { min, max } = problem.curvatureRange(k);
    curvatureMin = Math.min(curvatureMin, min);
    curvatureMax = Math.max(curvatureMax, max);
    bestLossMax = Math.max(bestLossMax, problem.bestFit(k).loss);
  }
  const sgdLimit = 2 / curvatureMax;
  const grid = learningRateGrid(1e-4, 10, 4);
  const perPhase = Math.floor(options.steps / phaseCount);

  print('RMSProp demo: per-parameter learning rates on a badly scaled problem that changes');
  print();
  print(
    wrapParagraph(
      'Problem  ',
      `linear regression with ${features} weights whose features have scales ${formatNumber(o.smallestScale)}…${formatNumber(o.largestScale)}, ` +
        `so the curvature along each weight spans ${formatNumber(curvatureMin, 2)}…${formatNumber(curvatureMax, 3)} ` +
        `(condition number ${formatExponential(curvatureMax / curvatureMin, 2)}) and the gradients differ about as much, while every true weight is ` +
        `±0.5…1.5: each weight has as far to go. It is trained on ${phaseCount} data sets in turn ` +
        `(${examples} examples each, label noise ${formatNumber(o.noise)}, ${perPhase === options.steps / phaseCount ? `${perPhase}` : `about ${perPhase}`} full-batch steps each). ` +
        `Each new data set has new true weights and the feature scales in reverse order (the largest becomes the smallest), ` +
        `and the optimizers keep their state: a non-stationary objective, the case RMSProp was made for.`,
    ),
  );
  print(
    wrapParagraph(
      'Loss     ',
      `½·mean squared error. Target ${formatNumber(target)} in every phase (least squares reaches ${formatExponential(bestLossMax, 2)} at best).`,
    ),
  );
  print(
    wrapParagraph(
      'Why      ',
      `SGD has one learning rate for all weights, capped by the steepest (stable below 2/λmax = ${formatNumber(sgdLimit)}), so the flat weights crawl. ` +
        `AdaGrad divides each weight's step by √(sum of all its past g²): per-parameter, but the sum never forgets, so when a weight's ` +
        `gradients shrink it keeps the small rate its past large gradients gave it, and its rates only ever decay. ` +
        `RMSProp divides by √(moving average of g²) (ρ = 0.9, a memory of about 10 steps): per-parameter and current.`,
    ),
  );
  print(
    wrapParagraph(
      'Tuning   ',
      `each optimizer gets its own best η from the same ${grid.length} values 10^(k/4), ${formatNumber(grid[0])}…${formatNumber(grid[grid.length - 1])}, ` +
        `chosen just now by one rule: fewest steps spent above the target (ties: lowest mean log-loss). ` +
        `Runs that diverge are dropped. SGD and AdaGrad are float64 code in this demo; RMSProp is @rmsprop/core's RMSPropOptimizer ` +
        `with the spec defaults (ρ = 0.9, ε = 1e-8 outside the square root) on the backend below.`,
    ),
  );
  print();

  const selection = await selectBackend();
  const backend = selection.backend;
  const dtype = preferredDtype(backend);
  print(wrapParagraph('Backend  ', `${selection.name}: ${selection.reason}. RMSProp runs in ${dtype}${dtype === 'float64' ? ', like SGD and AdaGrad' : ' (the backend has no float64 here)'}.`));
  if (selection.skipped.length === 0) {
    print('         no backend was skipped');
  } else {
    for (const skip of selection.skipped) print(wrapParagraph(`         skipped ${skip.name}: `, skip.reason));
  }
  print();

  const progress = new ProgressLine(io.stdout);
  const initial = new Float64Array(features);
  const makers: [string, (learningRate: number) => DemoOptimizer][] = [
    ['SGD', (learningRate) => new Sgd(initial, { learningRate })],
    ['AdaGrad', (learningRate) => new AdaGrad(initial, { learningRate })],
    ['RMSProp', (learningRate) => new RMSPropAdapter(backend, initial, { learningRate, dtype })],
  ];
  const runs: TrainingRun[] = [];
  try {
    for (const [name, make] of makers) {
      const started = performance.now();
      const tuning = tuneLearningRate(grid, (learningRate, index) => {
        const optimizer = make(learningRate);
        try {
          return train(problem, schedule, optimizer, {
            target,
            onProgress: (step, loss) =>
              progress.update(
                `training ${name.padEnd(7)}  η ${String(index + 1).padStart(2)}/${grid.length} = ${formatNumber(learningRate).padEnd(7)}  ` +
                  `step ${String(step).padStart(String(options.steps).length)}/${options.steps}  loss ${formatExponential(loss, 2)}`,
              ),
          });
        } finally {
          optimizer.dispose();
        }
      });
      const best = tuning.best;
      const diverged = tuning.runs.filter((r) => r.diverged).length;
      progress.log(
        `${name.padEnd(8)} best η = ${formatNumber(best.learningRate)} of ${grid.length} tried` +
          `${diverged > 0 ? ` (${diverged} diverged)` : ''} in ${formatDuration(performance.now() - started)}; ` +
          `final loss ${formatExponential(best.finalLoss, 2)}`,
      );
      runs.push(best);
    }
  } finally {
    progress.clear();
    backend.dispose();
  }
  print();

  // The table.
  const header = ['optimizer', 'η', ...Array.from({ length: phaseCount }, (_, k) => `phase ${k + 1}`), 'final loss', 'time'];
  const rows = runs.map((r) => [
    r.optimizer,
    formatNumber(r.learningRate),
    ...r.stepsToTarget.map((s) => (s === null ? 'not reached' : String(s))),
    formatExponential(r.finalLoss, 2),
    formatDuration(r.milliseconds),
  ]);
  print(`Steps to reach loss ≤ ${formatNumber(target)} in each phase (counted from the phase's start), final loss, training time:`);
  print();
  print(textTable(header, rows, ['left', 'right', ...Array<'right'>(phaseCount).fill('right'), 'right', 'right']));
  print();

  // What happened, from the numbers. The weight to show is the one whose feature is the smallest in the
  // last phase: its gradients shrank, so the optimizers that adapt to the current gradients raise its rate.
  const last = phaseCount - 1;
  const lastScales = problem.phases[last].scales;
  let flat = 0;
  for (let j = 1; j < features; j++) if (lastScales[j] < lastScales[flat]) flat = j;
  print(
    wrapParagraph(
      'Result   ',
      summarizeResults(runs, {
        phases: phaseCount,
        weight: flat,
        scaleHistory: problem.phases.map((p) => p.scales[flat]),
        curvature: problem.hessian(last)[flat * features + flat],
      }),
    ),
  );

  // The chart.
  const chartPath = options.out === undefined ? DEFAULT_CHART_PATH : resolve(io.cwd ?? process.cwd(), options.out);
  const svg = lossChartSvg({
    title: 'SGD vs AdaGrad vs RMSProp on a badly scaled regression that changes',
    subtitle:
      `${features} weights, feature scales ${formatNumber(o.smallestScale)}…${formatNumber(o.largestScale)}, reversed at each new data set; ` +
      `each η tuned on the same grid; RMSProp on backend "${selection.name}" (${dtype})`,
    series: runs.map((r) => ({
      name: r.optimizer,
      note: `η = ${formatNumber(r.learningRate)}`,
      color: COLORS[r.optimizer] ?? '#333333',
      values: r.losses,
      width: r.optimizer === 'RMSProp' ? 2.25 : 1.75,
    })),
    xLabel: 'step',
    yLabel: 'loss (½·mean squared error, log scale)',
    verticalMarkers: Array.from({ length: phaseCount }, (_, k) => ({ x: schedule.start(k), label: `data set ${k + 1}` })),
    horizontalMarkers: [{ y: target, label: `target ${formatNumber(target)}` }],
  });
  mkdirSync(dirname(chartPath), { recursive: true });
  writeFileSync(chartPath, svg);
  print(wrapParagraph('Chart    ', chartPath));
  return { backend: selection.name, dtype, runs, chartPath, target };
}
