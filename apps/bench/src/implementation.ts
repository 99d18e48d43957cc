import type { BenchCase } from './bench-case.js';

/** What an implementation is, for the table and the goals. */
/** 'ceiling': the memory limit; 'bound': the arithmetic limit (sqrt-div). */
export type ImplementationRole = 'ours' | 'peer' | 'ceiling' | 'bound';

/**
 * One running configuration of an implementation for one case: buffers allocated, state at step 0.
 * `run` takes `steps` steps and returns the seconds they took, timed by the instance itself around the
 * steps only (a peer in another process times itself there).
 */
export interface Instance {
  /** Called before each `run`, untimed (e.g. make this instance's tfjs backend the active one). */
  prepare?(): Promise<void> | void;
  run(steps: number): Promise<number> | number;
  dispose(): Promise<void> | void;
}

/** A thing the bench measures: the CPU backend, a peer, or the ceiling. */
export interface Implementation {
  readonly name: string;
  readonly role: ImplementationRole;
  /** One line for the report: what runs, with which settings. */
  describe(): string;
  /**
   * Whether this implementation can run the case here, or why not (unsupported dtype or layout, a missing
   * runtime): undefined means it can.
   */
  unsupported(c: BenchCase): string | undefined;
  create(c: BenchCase): Promise<Instance>;
  /** Facts for the machine section (e.g. `{ torch: '1.13.0' }`). */
  facts?(): Readonly<Record<string, string | number | boolean>>;
  /** Release anything kept across cases (a child process). */
  close?(): Promise<void> | void;
}

/** An implementation that is not available here at all, with the reason, printed once. */
export interface UnavailableImplementation {
  readonly name: string;
  readonly reason: string;
}

/** Times a synchronous loop of `steps` calls of `step`, in seconds. */
export function timeSteps(step: () => void, steps: number): number {
  const start = performance.now();
  for (let s = 0; s < steps; s++) step();
  return (performance.now() - start) / 1000;
}
