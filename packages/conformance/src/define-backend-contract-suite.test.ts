/**
 * defineBackendContractSuite on a fixture backend that keeps the whole contract (every point passes, in
 * float32 and float64, and float32 alone), and on some that break one thing each: there the broken points
 * are declared as known failures, which vitest's `it.fails` passes only if the suite does catch them.
 */
import { STATE_BUFFERS } from '@rmsprop/core';
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

defineBackendContractSuite('fixture whose state buffers start from 0 whatever the request says', async () => createContractBackend(['float64'], 'zero-initial-state'), {
  dtypes: ['float64'],
  knownFailures: {
    [`float64: each state buffer starts from the value its request gives, whatever it is (${STATE_BUFFERS.map((b) => `${b.name} ${(b.nonNegative ? 1 : -1) * 0.25 * (STATE_BUFFERS.indexOf(b) + 1)}`).join(', ')})`]: 'initial values ignored (on purpose)',
  },
});

// Writing each good buffer before checking the next breaks every writeState refusal of a buffer after one
// the slot keeps (something is written before it): for every state buffer, whatever STATE_BUFFERS holds.
const written = (what: string, type: string) => `${what}: ${type}, and θ and state byte-identical`;
/** The property that finds the same flaws among random sequences of slot operations. */
const anyThrow = 'nothing changes after any throw: random sequences of good and bad steps, bad writeState and dispose';
defineBackendContractSuite('fixture whose writeState writes before it checks', async () => createContractBackend(['float64'], 'partial-write-state'), {
  dtypes: ['float64'],
  knownFailures: Object.fromEntries(
    STATE_BUFFERS.flatMap((buffer, k) => {
      const symbols = STATE_BUFFERS.slice(0, k).map((b) => b.symbol);
      const before = k === 0 ? '' : ` after good ${symbols.length === 1 ? symbols[0] : `${symbols.slice(0, -1).join(', ')} and ${symbols[symbols.length - 1]}`}`;
      if (k === 0) return [];
      const titles = [written(`state.${buffer.name} of another length${before}`, 'ShapeError'), written(`state.${buffer.name} null where the slot has ${buffer.symbol}`, 'ArgumentError')];
      // The slot without this buffer keeps only those every config keeps: written first where one comes before.
      if (buffer.switchedBy !== null && STATE_BUFFERS.slice(0, k).some((b) => b.switchedBy === null)) {
        titles.push(written(`state.${buffer.name} given where the slot has no ${buffer.symbol}`, 'ArgumentError'));
      }
      return titles.map((title) => [title, 'writes before it checks (on purpose)']);
    }).concat([[anyThrow, 'writes before it checks (on purpose)']]),
  ),
});

defineBackendContractSuite('fixture that takes a slot twice in one step', async () => createContractBackend(['float64'], 'no-duplicate-check'), {
  dtypes: ['float64'],
  knownFailures: { 'a slot given twice in one step: ArgumentError naming the second': 'no duplicate check (on purpose)', [anyThrow]: 'no duplicate check (on purpose)' },
});
