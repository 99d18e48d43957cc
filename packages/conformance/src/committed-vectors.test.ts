/**
 * The shipped golden vectors and the backend table are data; these tests check that data: every file
 * loads, every case says where it came from, the required coverage is there, every table row and
 * skip is complete and current, the stated tolerances match what is measured, and the spec's own column
 * passes every case while a wrong switch fails.
 */
import { basename } from 'node:path';
import { CONFIG_FIELDS, DEFAULT_CONFIG, DTYPES, resolveConfig, type DType, type RMSPropConfig } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_BACKENDS, SPEC_SKIPS, SPEC_TOLERANCE } from './backend-table.js';
import type { CaseSkip } from './conformance-implementation.js';
import type { GoldenCase } from './golden-case.js';
import { referenceImplementation } from './implementations.js';
import { committedVectorFiles, loadCommittedVectors, readGoldenFile } from './load-golden-files.js';
import { runCell, runConformance } from './run-conformance.js';
import type { BackendTolerance } from './tolerance.js';

const FAMILIES = ['numpy', 'pytorch', 'reference', 'tfjs'] as const;
type Family = (typeof FAMILIES)[number];

const cases = loadCommittedVectors();
const familyOf = (c: GoldenCase): Family => c.name.split('/')[0] as Family;
const casesOf = (family: Family, dtype?: DType): GoldenCase[] => cases.filter((c) => familyOf(c) === family && (dtype === undefined || c.dtype === dtype));
const matches = (skip: CaseSkip, name: string): boolean => (typeof skip.case === 'string' ? skip.case === name : skip.case.test(name));

describe('committed vector files', () => {
  it('are the four source families, one file each, and every file loads on its own', () => {
    const files = committedVectorFiles();
    expect(files.map((f) => basename(f))).toEqual(FAMILIES.map((f) => `${f}.json`));
    let total = 0;
    for (const file of files) {
      const fileCases = readGoldenFile(file);
      expect(fileCases.length, file).toBeGreaterThan(0);
      // Every case of a file belongs to the file's family.
      for (const c of fileCases) expect(`${familyOf(c)}.json`, c.name).toBe(basename(file));
      total += fileCases.length;
    }
    expect(cases).toHaveLength(total);
  });

  it('case names are unique across all files, and read family/dtype/slug', () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.name).toMatch(/^(numpy|pytorch|reference|tfjs)\/(float32|float64)\/[A-Za-z0-9.\-]+$/);
      expect(c.name.split('/')[1], c.name).toBe(c.dtype);
    }
  });

  it('every case says what produced it: a named version, or the spec reference', () => {
    for (const c of cases) {
      expect(c.source.trim().length, c.name).toBeGreaterThan(0);
      expect(/\d+\.\d+/.test(c.source) || /referenceStep/.test(c.source), `${c.name}: ${c.source}`).toBe(true);
    }
    const sourcePattern: Record<Family, RegExp> = {
      pytorch: /torch\.optim\.RMSprop, PyTorch \d+\.\d+/,
      numpy: /^a plain numpy rmsprop_update \(numpy \d+\.\d+/,
      tfjs: /@tensorflow\/tfjs-core \d+\.\d+\.\d+/,
      reference: /@rmsprop\/core \d+\.\d+\.\d+ referenceStep \(spec v1, float64\)/,
    };
    for (const c of cases) expect(c.source, c.name).toMatch(sourcePattern[familyOf(c)]);
  });

  it('has cases from every source family: PyTorch float32 and float64, plain numpy, tfjs, the reference in both dtypes', () => {
    expect(casesOf('pytorch', 'float32').length).toBeGreaterThan(0);
    expect(casesOf('pytorch', 'float64').length).toBeGreaterThan(0);
    expect(casesOf('numpy', 'float64').length).toBeGreaterThan(0);
    expect(casesOf('tfjs', 'float32').length).toBeGreaterThan(0);
    expect(casesOf('reference', 'float32').length).toBeGreaterThan(0);
    expect(casesOf('reference', 'float64').length).toBeGreaterThan(0);
  });

  describe.each(['float32', 'float64'] as const)('PyTorch %s covers the required configurations', (dtype) => {
    const torch = casesOf('pytorch', dtype);
    const has = (what: string, predicate: (c: GoldenCase, k: Readonly<RMSPropConfig>) => boolean): void => {
      expect(
        torch.some((c) => predicate(c, c.config)),
        `no pytorch/${dtype} case with ${what}`,
      ).toBe(true);
    };
    const nonEmpty = (c: GoldenCase): boolean => c.params.length > 0;

    it('plain RMSProp, momentum, centered, centered + momentum + weight decay, weight decay, maximize', () => {
      has('the plain algorithm', (c, k) => nonEmpty(c) && k.momentum === 0 && !k.centered && k.weightDecay === 0 && !k.maximize && !c.learningRateSchedule && k.rho > 0 && k.epsilon < 1e-3);
      has('momentum (not centered)', (c, k) => nonEmpty(c) && k.momentum > 0 && !k.centered);
      has('centered (no momentum)', (c, k) => nonEmpty(c) && k.centered && k.momentum === 0);
      has('centered + momentum + weight decay', (c, k) => nonEmpty(c) && k.centered && k.momentum > 0 && k.weightDecay > 0);
      has('coupled weight decay alone', (c, k) => nonEmpty(c) && k.weightDecay > 0 && !k.centered && !k.decoupledWeightDecay);
      has('maximize', (c, k) => nonEmpty(c) && k.maximize);
    });

    it('a changing learning-rate schedule with momentum (where learningRateInMomentum matters)', () => {
      has('a non-constant schedule and momentum', (c, k) => c.learningRateSchedule !== undefined && new Set(c.learningRateSchedule).size > 1 && k.momentum > 0);
    });

    it('rho 0, a large epsilon, zero gradients, magnitudes over many decades', () => {
      has('rho 0', (c, k) => nonEmpty(c) && k.rho === 0);
      has('epsilon ≥ 1', (c, k) => nonEmpty(c) && k.epsilon >= 1);
      has('a step whose gradient is all zeros', (c) => nonEmpty(c) && c.grads.some((g) => g.every((x) => x === 0)));
      has('gradients spanning ≥ 8 decades', (c) => {
        const mags = c.grads.flatMap((g) => Array.from(g)).map(Math.abs).filter((x) => x > 0 && Number.isFinite(x));
        return mags.length > 0 && Math.max(...mags) / Math.min(...mags) >= 1e8;
      });
      // All of those with the state checked after the last step.
      for (const c of torch) expect(c.finalState?.meanSquare, c.name).toBeDefined();
    });

    it('lengths 0, 1, 3, 4, 5, 7, 8, 9 and 1023', () => {
      const lengths = new Set(torch.map((c) => c.params.length));
      for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 1023]) expect(lengths.has(n), `pytorch/${dtype}: no case of length ${n}`).toBe(true);
    });
  });

  it('tfjs cases follow tfjs semantics (ε inside the root, η inside the momentum buffer), with and without momentum', () => {
    const tfjs = casesOf('tfjs');
    for (const c of tfjs) {
      expect(c.config.epsilonPlacement, c.name).toBe('inside');
      expect(c.config.learningRateInMomentum, c.name).toBe(true);
    }
    expect(tfjs.some((c) => c.config.momentum > 0)).toBe(true);
    expect(tfjs.some((c) => c.config.momentum === 0)).toBe(true);
  });

  it.each(DTYPES)('in %s, every config field takes a non-default value in some case', (dtype) => {
    for (const field of CONFIG_FIELDS) {
      expect(
        cases.some((c) => c.dtype === dtype && c.config[field] !== DEFAULT_CONFIG[field]),
        `no ${dtype} case sets ${field}`,
      ).toBe(true);
    }
  });
});

/** The table's rows and the spec column, as [label, tolerance by dtype, dtypes, skips]. */
const TABLE: [string, Readonly<Partial<Record<DType, BackendTolerance>>>, readonly DType[], readonly CaseSkip[]][] = [
  ['spec', SPEC_TOLERANCE, DTYPES, SPEC_SKIPS],
  ...CONFORMANCE_BACKENDS.map((b): [string, Readonly<Partial<Record<DType, BackendTolerance>>>, readonly DType[], readonly CaseSkip[]] => [b.name, b.tolerance, b.dtypes, b.skips]),
];

describe('the backend table', () => {
  it('has at least the CPU backend; names are unique', () => {
    expect(CONFORMANCE_BACKENDS.map((b) => b.name)).toContain('cpu');
    expect(new Set(CONFORMANCE_BACKENDS.map((b) => b.name)).size).toBe(CONFORMANCE_BACKENDS.length);
  });

  it.each(CONFORMANCE_BACKENDS.map((b) => [b.name, b] as const))('row %s is complete', (_name, row) => {
    expect(row.name.trim()).not.toBe('');
    expect(row.module.trim()).not.toBe('');
    expect(row.factoryExport.trim()).not.toBe('');
    expect(row.factoryExport).toMatch(/^[A-Za-z_$][\w$]*$/);
    expect(row.dtypes.length).toBeGreaterThan(0);
    expect(new Set(row.dtypes).size).toBe(row.dtypes.length);
    for (const d of row.dtypes) expect(DTYPES).toContain(d);
    expect(row.runtimes.length).toBeGreaterThan(0);
  });

  it.each(TABLE)('%s: every declared dtype has a tolerance with a bound and a reason', (_label, tolerance, dtypes) => {
    for (const d of dtypes) {
      const t = tolerance[d];
      expect(t, `no ${d} tolerance`).toBeDefined();
      expect(t!.reason.trim().length).toBeGreaterThan(0);
      const bounds = [t!.ulps, t!.rel, t!.abs].filter((x) => x !== undefined) as number[];
      expect(bounds.length, `${d} tolerance has no bound`).toBeGreaterThan(0);
      for (const b of bounds) expect(Number.isFinite(b) && b >= 0, `${d} bound ${b}`).toBe(true);
    }
  });

  it.each(TABLE)('%s: every skip has a reason and matches a committed case of a dtype it runs (no stale skips)', (_label, _tolerance, dtypes, skips) => {
    for (const skip of skips) {
      expect(skip.reason.trim().length, String(skip.case)).toBeGreaterThan(0);
      const hit = cases.filter((c) => matches(skip, c.name));
      expect(hit.length, `skip ${String(skip.case)} matches no committed case`).toBeGreaterThan(0);
      for (const c of hit) expect(dtypes, `skip ${String(skip.case)} matches ${c.name}, whose dtype is skipped anyway`).toContain(c.dtype);
    }
  });
});

describe('the spec column on the committed vectors', () => {
  const spec = referenceImplementation(SPEC_TOLERANCE, SPEC_SKIPS);
  const run = runConformance([spec], cases);

  it('passes every case it does not skip; it skips exactly the cases SPEC_SKIPS names', () => {
    const failures = run.rows.filter((r) => r.cells[0].status !== 'pass' && r.cells[0].status !== 'skip').map((r) => r.goldenCase.name);
    expect(failures).toEqual([]);
    expect(run.failed).toBe(0);
    const skipped = run.rows.filter((r) => r.cells[0].status === 'skip').map((r) => r.goldenCase.name);
    expect(skipped).toEqual(cases.filter((c) => SPEC_SKIPS.some((s) => matches(s, c.name))).map((c) => c.name));
    expect(run.passed + run.skipped).toBe(cases.length);
  });

  it('every skip is needed: without skips, exactly the skipped cases fail', () => {
    const unskipped = runConformance([referenceImplementation(SPEC_TOLERANCE)], cases);
    const failing = unskipped.rows.filter((r) => r.cells[0].status !== 'pass').map((r) => r.goldenCase.name);
    expect(failing).toEqual(run.rows.filter((r) => r.cells[0].status === 'skip').map((r) => r.goldenCase.name));
  });

  it('reproduces the cases made by the spec reference bit for bit', () => {
    const fromReference = run.rows.filter((r) => /referenceStep/.test(r.goldenCase.source));
    expect(fromReference.length).toBeGreaterThanOrEqual(casesOf('reference').length);
    for (const { goldenCase, cells } of fromReference) {
      const cell = cells[0];
      expect(cell.status, goldenCase.name).toBe('pass');
      if (cell.status === 'pass') expect({ name: goldenCase.name, maxAbs: cell.comparison.maxAbs, maxUlps: cell.comparison.maxUlps }).toEqual({ name: goldenCase.name, maxAbs: 0, maxUlps: 0 });
    }
  });

  it.each(DTYPES)('the %s tolerance is what its reason says was measured, with room to spare', (dtype) => {
    const t = SPEC_TOLERANCE[dtype]!;
    const stated = /measured ≤ (\d+(?:\.\d+)?) ulp/.exec(t.reason);
    expect(stated, `the ${dtype} reason states no measurement: ${t.reason}`).not.toBeNull();
    const measured = Math.max(
      ...run.rows.flatMap(({ goldenCase, cells }) => (goldenCase.dtype === dtype && cells[0].status === 'pass' ? [cells[0].comparison.maxUlps] : [])),
    );
    expect(measured).toBeLessThanOrEqual(Number(stated![1]));
    // The stated measurement is not stale either: it is the worst case seen, to within half an ulp.
    expect(measured).toBeGreaterThanOrEqual(Number(stated![1]) - 0.5);
    expect(t.ulps).toBeGreaterThanOrEqual(Number(stated![1]));
  });

  it('the tolerance is meaningful: a wrong switch or constant fails (nearly) every PyTorch case', () => {
    const perturbations: [string, (k: Readonly<RMSPropConfig>) => Partial<RMSPropConfig>][] = [
      ['epsilonPlacement flipped', (k) => ({ epsilonPlacement: k.epsilonPlacement === 'outside' ? 'inside' : 'outside' })],
      ['rho + 1e-3', (k) => ({ rho: k.rho + 1e-3 })],
      ['maximize flipped', (k) => ({ maximize: !k.maximize })],
      ['centered flipped', (k) => ({ centered: !k.centered })],
    ];
    const outcome = (c: GoldenCase, change: Partial<RMSPropConfig>): string => {
      // The config changed, the expected values (and the final state checked) kept.
      const { meanGrad: _m, ...finalState } = c.finalState ?? {};
      const perturbed: GoldenCase = { ...c, config: resolveConfig({ ...c.config, ...change }), finalState };
      return runCell(spec, perturbed).status;
    };
    const report: string[] = [];
    for (const [label, change] of perturbations) {
      for (const dtype of DTYPES) {
        // Cases with something to update (length 0 cannot fail), and that the spec column runs.
        const relevant = casesOf('pytorch', dtype).filter((c) => c.params.length > 0 && !SPEC_SKIPS.some((s) => matches(s, c.name)));
        const passing = relevant.filter((c) => outcome(c, change(c.config)) !== 'fail').map((c) => c.name);
        report.push(`${label} ${dtype}: ${relevant.length - passing.length}/${relevant.length} fail; still passing: ${passing.join(', ') || 'none'}`);
        if (dtype === 'float64') expect(passing, `${label}: ${report.at(-1)}`).toEqual([]);
        // In float32 ε = 1e-8 or 1e-12 may be below the resolution of √v + ε for a few cases.
        else expect(passing.length, report.at(-1)).toBeLessThanOrEqual(Math.floor(relevant.length / 8));
      }
    }
  });

  it('learningRateInMomentum flipped fails every PyTorch case with momentum (through the buffer, or θ under a schedule)', () => {
    for (const c of cases.filter((c) => familyOf(c) === 'pytorch' && c.config.momentum > 0)) {
      const perturbed: GoldenCase = { ...c, config: resolveConfig({ ...c.config, learningRateInMomentum: !c.config.learningRateInMomentum }) };
      const cell = runCell(spec, perturbed);
      expect(cell.status, c.name).toBe('fail');
      if (cell.status === 'fail' && c.learningRateSchedule !== undefined && new Set(c.learningRateSchedule).size > 1) {
        // Under a changing η, θ itself differs (not only the stored buffer).
        expect(cell.comparison.firstFailure!.field, c.name).toMatch(/^expected\[/);
      }
    }
  });
});
