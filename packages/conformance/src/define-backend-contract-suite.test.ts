/**
 * defineBackendContractSuite on a fixture backend that keeps the whole contract (every point passes, in
 * float32 and float64, and float32 alone), and on two that break one point each: there the broken points
 * are declared as known failures, which vitest's `it.fails` passes only if the suite does catch them.
 */
import { createContractBackend, type ContractBackend } from './__fixtures__/contract-backend.js';
import { defineBackendContractSuite } from './define-backend-contract-suite.js';

const usage = (backend: unknown) => (backend as ContractBackend).allocated;

// The fixture computes with referenceStep itself: 0 ulps in float64, and in float32 only the rounding of
// stored values, which carried over 5 steps stays within a few ulps.
defineBackendContractSuite('fixture', async () => createContractBackend(), { ulps: { float32: 8, float64: 0 }, usage });
defineBackendContractSuite('fixture, float32 only', async () => createContractBackend(['float32']), { dtypes: ['float32'], ulps: { float32: 8 }, usage });

defineBackendContractSuite('fixture whose reads hand out its own arrays', async () => createContractBackend(['float64'], 'aliasing-reads'), {
  dtypes: ['float64'],
  knownFailures: {
    'float64: reads return copies: changing what readParams/readState (sync and async) returned changes nothing': 'reads are not copies (on purpose)',
  },
});

defineBackendContractSuite('fixture that takes a slot twice in one step', async () => createContractBackend(['float64'], 'no-duplicate-check'), {
  dtypes: ['float64'],
  knownFailures: { 'a slot given twice in one step: ArgumentError naming the second': 'no duplicate check (on purpose)' },
});
