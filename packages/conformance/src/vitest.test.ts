/**
 * defineConformanceSuite with a backend that computes exactly what the spec column computes (the float64
 * reference, rounded on store for float32): under the CPU backend's JS-kernel row of the table (cpu-js) it must pass every committed
 * case and skip exactly the row's skips. (The CPU backend itself runs this suite in its own package.)
 */
import { describe, expect, it } from 'vitest';
import { fixtureBackendFactory } from './__fixtures__/reference-backend.js';
import { loadCommittedVectors } from './load-golden-files.js';
import { defineConformanceSuite } from './vitest.js';

defineConformanceSuite('cpu-js', fixtureBackendFactory(['float32', 'float64']), loadCommittedVectors());

describe('defineConformanceSuite', () => {
  it('refuses a backend name that is not in the table', () => {
    expect(() => defineConformanceSuite('nope', fixtureBackendFactory(), [])).toThrow(/no backend named "nope" in the conformance table \(cpu/);
  });
});
