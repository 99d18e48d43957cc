import type { BenchCase } from './bench-case.js';

/** One result: an implementation's median elements/s in one case (the --json row). */
export interface BenchRow extends BenchCase {
  readonly implementation: string;
  /** n × steps / seconds, median over the rounds. */
  readonly elementsPerSecond: number;
}

/** Something that did not run in a case (or at all, when `case` is absent), and why. */
export interface BenchSkip {
  readonly implementation: string;
  readonly case?: BenchCase;
  readonly reason: string;
}
