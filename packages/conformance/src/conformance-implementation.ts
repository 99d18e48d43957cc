import type { BackendFactory, DType } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import type { BackendTolerance } from './tolerance.js';
import type { Trajectory } from './trajectory.js';

/** A case an implementation does not run, and why (the reason is shown wherever the skip is). */
export interface CaseSkip {
  /** A case name, or a pattern matched against case names. */
  readonly case: string | RegExp;
  readonly reason: string;
}

/** One row of the backend table: what a backend is checked against the golden vectors with. */
export interface ConformanceBackend {
  /** The backend's registry name. */
  readonly name: string;
  /** The package that exports its factory, for the CLI (resolved from the directory it runs in). */
  readonly module: string;
  /** The factory's export name in `module`. */
  readonly factoryExport: string;
  /** The one argument the factory is called with, if any (e.g. which TensorFlow.js backend to run on). */
  readonly factoryOptions?: unknown;
  /**
   * Packages the CLI imports before the factory, for their side effects (e.g. '@tensorflow/tfjs-backend-wasm'
   * registers tfjs's wasm backend), resolved like `module`.
   */
  readonly setup?: readonly string[];
  /** The dtypes it runs; cases of other dtypes are skipped with that reason. */
  readonly dtypes: readonly DType[];
  /** The tolerance per dtype, with the reason for its size. */
  readonly tolerance: Readonly<Partial<Record<DType, BackendTolerance>>>;
  /** Cases it does not run, each with its reason. */
  readonly skips: readonly CaseSkip[];
  /** Where its tests run it. */
  readonly runtimes: readonly string[];
}

/** Something the runner can put through the cases: a backend (through the optimizer) or the reference. */
export interface ConformanceImplementation {
  readonly name: string;
  readonly dtypes: readonly DType[];
  readonly tolerance: Readonly<Partial<Record<DType, BackendTolerance>>>;
  readonly skips: readonly CaseSkip[];
  run(goldenCase: GoldenCase): Trajectory;
  /** `run` reading results asynchronously, for backends the host reads only asynchronously (WebGPU). */
  runAsync?(goldenCase: GoldenCase): Promise<Trajectory>;
  dispose?(): void;
}

/** The skip reason for `goldenCase` on `impl`, or undefined when it runs. */
export function skipReason(impl: Pick<ConformanceImplementation, 'dtypes' | 'skips' | 'name'>, goldenCase: GoldenCase): string | undefined {
  if (!impl.dtypes.includes(goldenCase.dtype)) return `${impl.name} does not run ${goldenCase.dtype}`;
  for (const skip of impl.skips) {
    const hit = typeof skip.case === 'string' ? skip.case === goldenCase.name : skip.case.test(goldenCase.name);
    if (hit) return skip.reason;
  }
  return undefined;
}

/** A factory plus its table row, ready to become an implementation with {@link backendImplementation}. */
export interface BackendUnderTest {
  readonly entry: ConformanceBackend;
  readonly factory: BackendFactory;
}
