import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What happened to the heap and the page-fault count over `steps` steps. */
export interface AllocationResult {
  readonly steps: number;
  readonly n: number;
  /**
   * Growth of V8's young generation (new space and new large-object space) over the steps, where every JS
   * allocation lands first; meaningful when no collection ran meanwhile (`collections` = 0).
   */
  readonly youngGrowthBytes: number;
  /** Garbage collections during the steps (none are forced then). */
  readonly collections: number;
  /** process.memoryUsage().heapUsed after a full GC, after minus before: what the steps kept. */
  readonly heapUsedDeltaBytes: number;
  /** process.resourceUsage().minorPageFault over the steps (the whole process). */
  readonly minorPageFaults: number;
  readonly seconds: number;
  /**
   * Tries it took to get a flat run: a try is repeated (up to 3) when V8 ran a collection of its own (its
   * memory reducer; a collection hides allocation) or the try was not flat. The second case is the JIT, not
   * the step: code that V8 deoptimized (when earlier cases disposed their slots, fields of the slot classes
   * stop being constant) runs in the interpreter, which boxes numbers, until it is optimized again. An
   * allocation made by the step itself shows in every try.
   */
  readonly attempts: number;
  /** Young-generation growth of each earlier try, in order (empty when the first try counted). */
  readonly earlierYoungGrowthBytes?: readonly number[];
}

/** Young-generation growth allowed over the steps: 64 KiB is 6.5 bytes per step over 10,000 steps (measurement noise is ~15 KiB). */
export const FLAT_YOUNG_BYTES = 64 * 1024;
/** What the steps may keep after a full GC. */
export const FLAT_HEAP_BYTES = 1024 * 1024;
/** 0.1 minor page faults per step on average (a step that touched one fresh page would fault ≥ 1). */
export const FLAT_FAULTS_PER_STEP = 0.1;

/** global.gc when node runs with --expose-gc; otherwise the same function, exposed at run time. */
export function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function youngGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) if (space.space_name.startsWith('new_')) bytes += space.space_used_size;
  return bytes;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

async function attempt(step: () => void, steps: number, n: number, gc: () => void, attempts: number): Promise<AllocationResult> {
  gc();
  await settle();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const youngBefore = youngGenerationBytes();
  const faultsBefore = process.resourceUsage().minorPageFault;
  const start = performance.now();
  for (let s = 0; s < steps; s++) step();
  const seconds = (performance.now() - start) / 1000;
  const faultsAfter = process.resourceUsage().minorPageFault;
  const youngAfter = youngGenerationBytes();
  // gc entries are delivered asynchronously: let them arrive before counting.
  await new Promise((resolve) => setImmediate(resolve));
  collections += observer.takeRecords().length;
  observer.disconnect();
  gc();
  await settle();
  gc();
  return {
    steps,
    n,
    youngGrowthBytes: youngAfter - youngBefore,
    collections,
    heapUsedDeltaBytes: process.memoryUsage().heapUsed - heapBefore,
    minorPageFaults: faultsAfter - faultsBefore,
    seconds,
    attempts,
  };
}

/**
 * Runs `step` `steps` times untimed (the JIT compiles it and every page it touches gets mapped), then again
 * between full collections, and reports young-generation growth, collections, what the heap kept and minor
 * page faults over the second run. A try that is not flat is repeated (up to `maxAttempts`; see
 * `AllocationResult.attempts`): a step that allocates is not flat in any try.
 */
export async function checkAllocation(step: () => void, steps: number, n: number, maxAttempts = 3): Promise<AllocationResult> {
  const gc = garbageCollector();
  for (let s = 0; s < steps; s++) step();
  let result = await attempt(step, steps, n, gc, 1);
  const earlier: number[] = [];
  for (let k = 2; k <= maxAttempts && !isFlat(result); k++) {
    earlier.push(result.youngGrowthBytes);
    result = await attempt(step, steps, n, gc, k);
  }
  return earlier.length === 0 ? result : { ...result, earlierYoungGrowthBytes: earlier };
}

/**
 * Whether the run stayed flat: no collection and at most FLAT_YOUNG_BYTES of young-generation growth during
 * the steps (nothing allocated per step), at most FLAT_HEAP_BYTES kept after a full GC, and minor page
 * faults within FLAT_FAULTS_PER_STEP per step.
 */
export function isFlat(result: AllocationResult): boolean {
  return (
    result.collections === 0 &&
    result.youngGrowthBytes <= FLAT_YOUNG_BYTES &&
    Math.abs(result.heapUsedDeltaBytes) <= FLAT_HEAP_BYTES &&
    result.minorPageFaults <= FLAT_FAULTS_PER_STEP * result.steps
  );
}
