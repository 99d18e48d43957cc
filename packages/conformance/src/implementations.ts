import { DTYPES, type RMSPropBackend } from '@rmsprop/core';
import type { ConformanceBackend, ConformanceImplementation } from './conformance-implementation.js';
import { runCaseOnBackend, runCaseOnBackendAsync } from './run-case-on-backend.js';
import { runCaseOnReference } from './run-case-on-reference.js';
import type { BackendTolerance } from './tolerance.js';

/** A backend, initialised by the caller, checked under its table row. The caller disposes the backend. */
export function backendImplementation(entry: ConformanceBackend, backend: RMSPropBackend): ConformanceImplementation {
  const supported = entry.dtypes.filter((d) => backend.capabilities.dtypes.includes(d));
  return {
    name: entry.name,
    dtypes: supported,
    tolerance: entry.tolerance,
    skips: entry.skips,
    run: (goldenCase) => runCaseOnBackend(backend, goldenCase),
    runAsync: (goldenCase) => runCaseOnBackendAsync(backend, goldenCase),
  };
}

/**
 * The spec's float64 reference as a column of the matrix (float32 cases with float32 storage): it shows
 * how far each framework's numbers are from the spec, independently of any backend.
 */
export function referenceImplementation(tolerance: Readonly<Partial<Record<'float32' | 'float64', BackendTolerance>>>, skips: ConformanceImplementation['skips'] = []): ConformanceImplementation {
  return { name: 'spec', dtypes: DTYPES, tolerance, skips, run: runCaseOnReference };
}
