import { formatNumber } from '@rmsprop/app-kit';
import type { TrainingRun } from './train.js';

/** What the summary needs besides the runs. */
export interface SummaryContext {
  readonly phases: number;
  /** The weight to show the learning rates of (the one whose feature is now the smallest). */
  readonly weight: number;
  /** That weight's feature scale in each phase, in order. */
  readonly scaleHistory: readonly number[];
  /** Its curvature in the last phase (the Hessian's diagonal entry). */
  readonly curvature: number;
}

function reachedCount(run: TrainingRun): number {
  return run.stepsToTarget.filter((s) => s !== null).length;
}

/** Best first: more phases where the target was reached, then lower final loss. */
export function rankRuns(runs: readonly TrainingRun[]): TrainingRun[] {
  return [...runs].sort((a, b) => reachedCount(b) - reachedCount(a) || a.finalLoss - b.finalLoss);
}

/**
 * A few sentences, computed from the results rather than assumed: who reached the target in how many
 * phases, whether AdaGrad was fastest at first and fell behind later, and each optimizer's learning rate for
 * one weight at the end, next to the rate that would suit it (1/curvature).
 */
export function summarizeResults(runs: readonly TrainingRun[], context: SummaryContext): string {
  if (runs.length === 0) return 'no runs';
  const ranked = rankRuns(runs);
  const winner = ranked[0];
  const others = ranked.slice(1);
  const phrase = (n: number): string => (n === context.phases ? `all ${n}` : `${n} of ${context.phases}`);
  const lowest = [...runs].sort((a, b) => a.finalLoss - b.finalLoss)[0];
  const sentences: string[] = [];
  sentences.push(
    `${winner.optimizer} does best: it reached the target in ${phrase(reachedCount(winner))} phases` +
      (others.length > 0 ? ` (${others.map((r) => `${r.optimizer} in ${reachedCount(r)}`).join(', ')})` : '') +
      (lowest === winner
        ? ' and ends with the lowest loss.'
        : `, though ${lowest.optimizer} ends with a lower loss (${formatNumber(lowest.finalLoss, 2)} against ${formatNumber(winner.finalLoss, 2)}).`),
  );
  const ada = runs.find((r) => r.optimizer === 'AdaGrad');
  const rms = runs.find((r) => r.optimizer === 'RMSProp');
  if (ada !== undefined && rms !== undefined && context.phases > 1) {
    const adaFirst = ada.stepsToTarget[0];
    const rmsFirst = rms.stepsToTarget[0];
    const adaLater = ada.stepsToTarget.slice(1).filter((s) => s !== null).length;
    const rmsLater = rms.stepsToTarget.slice(1).filter((s) => s !== null).length;
    if (adaFirst !== null && (rmsFirst === null || adaFirst < rmsFirst) && adaLater < rmsLater) {
      sentences.push(
        `AdaGrad was the fastest on the first data set (a fixed convex problem suits its decaying rates) but reached the target ` +
          `in only ${adaLater} of the ${context.phases - 1} later ones: its rates can only shrink.`,
      );
    }
  }
  const w = context.weight;
  sentences.push(
    `Learning rates at the end for w[${w}], whose feature scale went ${context.scaleHistory.map((s) => formatNumber(s)).join(' → ')} ` +
      `(curvature now ${formatNumber(context.curvature, 2)}, so about 1/${formatNumber(context.curvature, 2)} = ` +
      `${formatNumber(1 / context.curvature, 2)} would suit it): ` +
      `${runs.map((r) => `${r.optimizer} ${formatNumber(r.effectiveLearningRates[w], 2)}`).join(', ')}.`,
  );
  return sentences.join(' ');
}
