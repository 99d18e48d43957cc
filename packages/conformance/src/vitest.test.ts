/**
 * defineConformanceSuite with a backend that computes exactly what the spec column computes (the float64
 * reference, rounded on store for float32), under the CPU backend's JS-kernel row of the table (cpu-js): it
 * must pass every committed case the spec column runs, and skip exactly the row's skips. The cases the spec
 * column itself skips (SPEC_SKIPS: a framework's float32 overflow, which float64 arithmetic avoids) are left
 * out, since the row computes float32 cases in float32 operations and does run them. (The CPU backend
 * itself runs this suite on every committed case in its own package.)
 */
import { describe, expect, it } from 'vitest';
import { fixtureBackendFactory } from './__fixtures__/reference-backend.js';
import { SPEC_SKIPS } from './backend-table.js';
import { skipReason } from './conformance-implementation.js';
import { loadCommittedVectors } from './load-golden-files.js';
import { defineConformanceSuite } from './vitest.js';

const spec = { name: 'spec', dtypes: ['float32', 'float64'] as const, skips: SPEC_SKIPS };
const cases = loadCommittedVectors();
const specCases = cases.filter((c) => skipReason(spec, c) === undefined);

defineConformanceSuite('cpu-js', fixtureBackendFactory(['float32', 'float64']), specCases);

describe('defineConformanceSuite', () => {
  it('the cases above leave out only what the spec column skips', () => {
    expect(cases.length - specCases.length).toBe(SPEC_SKIPS.length);
    expect(specCases.some((c) => c.dtype === 'float32')).toBe(true);
  });

  it('refuses a backend name that is not in the table', () => {
    expect(() => defineConformanceSuite('nope', fixtureBackendFactory(), [])).toThrow(/no backend named "nope" in the conformance table \(cpu/);
  });
});
