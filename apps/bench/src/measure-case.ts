import type { BenchCase } from './bench-case.js';
import type { Instance } from './implementation.js';
import { elementsPerSecond, interleavedOrder, median, spread, stepsForTarget } from './statistics.js';

/** How long and how often each implementation is timed in a case. */
export interface MeasureSettings {
  /** Rounds after warm-up; each round times every implementation once, in interleavedOrder. */
  readonly rounds: number;
  /** Warm-up per implementation (JIT, caches, first-touch page faults), in seconds. */
  readonly warmupSeconds: number;
  /** Each sample runs enough steps to last about this long, in seconds. */
  readonly targetSeconds: number;
  /**
   * An implementation whose single step takes longer than this is slow: one step per sample and at most
   * `slowRounds` samples, so the slow peers do not take over the run.
   */
  readonly slowStepSeconds: number;
  readonly slowRounds: number;
}

/** An implementation ready to run in this case. */
export interface Entrant {
  readonly name: string;
  readonly instance: Instance;
}

/** One implementation's result in one case. */
export interface Measurement {
  readonly name: string;
  /** Median elements/s over the samples; NaN when it failed before any sample. */
  readonly elementsPerSecond: number;
  /** Elements/s of each sample, in the order taken. */
  readonly samples: readonly number[];
  /** Steps per sample. */
  readonly steps: number;
  /** max/min of the samples. */
  readonly spread: number;
  readonly slow: boolean;
  /** Set when a run threw: the message (samples taken before it are kept). */
  readonly error?: string;
}

/** What measureCase reports as it goes: one event per timed batch (a warm-up or a round's sample). */
export interface MeasureEvent {
  readonly name: string;
  readonly phase: 'warm-up' | 'round';
  /** 1-based round, 0 for warm-up. */
  readonly round: number;
}

interface State {
  readonly entrant: Entrant;
  steps: number;
  slow: boolean;
  readonly samples: number[];
  error: string | undefined;
}

async function timed(instance: Instance, steps: number): Promise<number> {
  await instance.prepare?.();
  const seconds = await instance.run(steps);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new Error(`run(${steps}) reported ${seconds} s`);
  return seconds;
}

/** Warm-up: 1, 2, 4, … steps until `warmupSeconds` have passed (or one step proves slow); returns s/step. */
async function warmUp(state: State, settings: MeasureSettings): Promise<number> {
  let steps = 1;
  let spent = 0;
  for (;;) {
    const seconds = await timed(state.entrant.instance, steps);
    spent += seconds;
    const perStep = seconds / steps;
    if (perStep >= settings.slowStepSeconds) {
      state.slow = true;
      return perStep;
    }
    if (spent >= settings.warmupSeconds) return perStep;
    steps = Math.min(steps * 2, stepsForTarget(perStep, settings.warmupSeconds - spent));
  }
}

/**
 * Measures every entrant in one case: each warms up (which also calibrates its steps per sample), then
 * `rounds` rounds run every entrant once, rotated by interleavedOrder, and each result is the median of its
 * samples. An entrant that throws keeps the samples it has and is left out of later rounds.
 */
export async function measureCase(
  c: BenchCase,
  entrants: readonly Entrant[],
  settings: MeasureSettings,
  onEvent: (event: MeasureEvent) => void = () => undefined,
): Promise<Measurement[]> {
  const states: State[] = entrants.map((entrant) => ({ entrant, steps: 1, slow: false, samples: [], error: undefined }));
  for (const state of states) {
    try {
      const perStep = await warmUp(state, settings);
      state.steps = state.slow ? 1 : stepsForTarget(perStep, settings.targetSeconds);
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
    }
    onEvent({ name: state.entrant.name, phase: 'warm-up', round: 0 });
  }
  for (let round = 0; round < settings.rounds; round++) {
    for (const index of interleavedOrder(states.length, round)) {
      const state = states[index];
      if (state.error === undefined && !(state.slow && state.samples.length >= settings.slowRounds)) {
        try {
          const seconds = await timed(state.entrant.instance, state.steps);
          state.samples.push(elementsPerSecond(c.n, state.steps, seconds));
        } catch (error) {
          state.error = error instanceof Error ? error.message : String(error);
        }
      }
      onEvent({ name: state.entrant.name, phase: 'round', round: round + 1 });
    }
  }
  return states.map((s) => ({
    name: s.entrant.name,
    elementsPerSecond: median(s.samples),
    samples: s.samples,
    steps: s.steps,
    spread: spread(s.samples),
    slow: s.slow,
    ...(s.error === undefined ? {} : { error: s.error }),
  }));
}

/** Timed batches measureCase runs for `count` entrants: one warm-up and one per round each (for progress). */
export function eventsPerCase(count: number, settings: MeasureSettings): number {
  return count * (1 + settings.rounds);
}
