import type { BackendFactory, RMSPropBackend } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_BACKENDS } from './backend-table.js';
import { skipReason } from './conformance-implementation.js';
import type { GoldenCase } from './golden-case.js';
import { backendImplementation } from './implementations.js';
import { runCellAsync } from './run-conformance.js';
import { describeTolerance } from './tolerance.js';

export { defineBackendContractSuite } from './define-backend-contract-suite.js';
export type { BackendContractOptions } from './define-backend-contract-suite.js';

/**
 * Register the conformance suite for one backend with vitest: one test per golden case, run through the
 * optimizer on a backend made by `factory`, under the backend's row of the table (`name`): its dtypes,
 * tolerances and skips. Skipped cases show as skipped tests whose title carries the reason. A failing
 * case's message names the first element outside the tolerance.
 *
 * Call it at the top level of a backend package's test file:
 * `defineConformanceSuite('cpu', createCpuBackend, loadCommittedVectors())` (`loadCommittedVectors` from
 * '@rmsprop/conformance/node'; in a browser, parse the vector files with `parseGoldenFile`).
 */
export function defineConformanceSuite(name: string, factory: BackendFactory, cases: readonly GoldenCase[]): void {
  const entry = CONFORMANCE_BACKENDS.find((b) => b.name === name);
  if (entry === undefined) throw new Error(`no backend named "${name}" in the conformance table (${CONFORMANCE_BACKENDS.map((b) => b.name).join(', ')})`);
  describe(`conformance: ${name}`, () => {
    let backend: RMSPropBackend | undefined;
    beforeAll(async () => {
      backend = await factory();
    });
    afterAll(() => backend?.dispose());
    for (const goldenCase of cases) {
      const reason = skipReason(entry, goldenCase);
      if (reason !== undefined) {
        it.skip(`${goldenCase.name} — skipped: ${reason}`, () => {});
        continue;
      }
      it(`${goldenCase.name} (${goldenCase.dtype})`, async () => {
        const cell = await runCellAsync(backendImplementation(entry, backend!), goldenCase);
        if (cell.status === 'error') expect.fail(cell.error);
        if (cell.status === 'skip') expect.fail(`unexpected skip: ${cell.reason}`);
        if (cell.status === 'fail') {
          const f = cell.comparison.firstFailure!;
          expect.fail(
            `${goldenCase.name}: ${f.field} = ${f.actual}, expected ${f.expected} (tolerance ${describeTolerance(cell.tolerance)}; ` +
              `max abs ${cell.comparison.maxAbs}, max rel ${cell.comparison.maxRel}, max ulps ${cell.comparison.maxUlps}; source: ${goldenCase.source})`,
          );
        }
        expect(cell.status).toBe('pass');
      });
    }
  });
}
