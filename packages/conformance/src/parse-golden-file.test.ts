import { STATE_BUFFER_NAMES, STATE_BUFFERS } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { goldenFile } from './__fixtures__/golden-json.js';
import { GoldenFileError } from './golden-file-error.js';
import { parseGoldenFile } from './parse-golden-file.js';

const FILE = 'vectors/mine.json';

/** A small valid float64 case, as JSON (a fresh object each call, so a test may break it). */
function validCase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'mine/float64/two-steps',
    source: 'hand-written test case',
    dtype: 'float64',
    config: { learningRate: 0.1 },
    params: [1, 'NaN', -2],
    grads: [
      [0.5, 'Infinity', 0],
      [-0.25, '-Infinity', 3],
    ],
    expected: [
      [0.9, 'NaN', -2],
      [1.1, 'NaN', -2.1],
    ],
    ...overrides,
  };
}

/** A small valid float32 case with every optional part. */
function fullFloat32Case(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'mine/float32/everything',
    source: 'hand-written test case',
    dtype: 'float32',
    config: { learningRate: 0.01, momentum: 0.5, centered: true, epsilonPlacement: 'inside' },
    learningRateSchedule: [0.01, 0.005],
    params: [Math.fround(0.1), 2],
    grads: [
      [1, -0.5],
      [0.25, 0],
    ],
    expected: [
      [Math.fround(0.09), 2],
      [Math.fround(0.08), 2],
    ],
    finalState: { meanSquare: [Math.fround(0.2), 0.25], meanGrad: [0.5, -0.5], momentum: [Math.fround(0.3), 'Infinity'] },
    tolerance: { rel: 1e-6 },
    ...overrides,
  };
}

/** Parse `json` and return the GoldenFileError it must throw. */
function parseError(json: unknown, file = FILE): GoldenFileError {
  try {
    parseGoldenFile(json, file);
  } catch (error) {
    expect(error).toBeInstanceOf(GoldenFileError);
    return error as GoldenFileError;
  }
  throw new Error('parseGoldenFile accepted a malformed file');
}

/** The file must be rejected naming the file, the case (as the message shows it) and the field. */
function expectRejected(json: unknown, caseName: string, field: string): GoldenFileError {
  const error = parseError(json);
  expect(error.code).toBe('INVALID_GOLDEN_FILE');
  expect(error.file).toBe(FILE);
  expect(error.caseName).toBe(caseName);
  expect(error.field).toBe(field);
  expect(error.message).toContain(FILE);
  if (caseName !== '') expect(error.message).toContain(`case "${caseName}"`);
  expect(error.message).toContain(`: ${field} `);
  return error;
}

describe('parseGoldenFile: valid files', () => {
  it('decodes a minimal float64 case: Float64Arrays, "NaN"/"±Infinity", defaults filled in', () => {
    const [c, ...rest] = parseGoldenFile(goldenFile(validCase()), FILE);
    expect(rest).toHaveLength(0);
    expect(c.name).toBe('mine/float64/two-steps');
    expect(c.source).toBe('hand-written test case');
    expect(c.dtype).toBe('float64');
    expect(c.file).toBe(FILE);

    expect(c.params).toBeInstanceOf(Float64Array);
    expect(Array.from(c.params)).toEqual([1, Number.NaN, -2]);
    expect(c.grads).toHaveLength(2);
    for (const g of c.grads) expect(g).toBeInstanceOf(Float64Array);
    expect(Array.from(c.grads[0])).toEqual([0.5, Number.POSITIVE_INFINITY, 0]);
    expect(Array.from(c.grads[1])).toEqual([-0.25, Number.NEGATIVE_INFINITY, 3]);
    expect(Number.isNaN(c.expected[0][1])).toBe(true);
    expect(Array.from(c.expected[1])).toEqual([1.1, Number.NaN, -2.1]);

    // The config as written, and resolved with the spec's defaults (written out here, not imported).
    expect(c.configFields).toEqual({ learningRate: 0.1 });
    expect(c.config).toEqual({
      learningRate: 0.1,
      rho: 0.9,
      epsilon: 1e-8,
      epsilonPlacement: 'outside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: false,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
    expect('learningRateSchedule' in c).toBe(false);
    expect('finalState' in c).toBe(false);
    expect('tolerance' in c).toBe(false);
  });

  it('a case without config gets the spec defaults', () => {
    const json = validCase();
    delete json.config;
    const [c] = parseGoldenFile(goldenFile(json), FILE);
    expect(c.configFields).toEqual({});
    expect(c.config.learningRate).toBe(0.001);
    expect(c.config.rho).toBe(0.9);
  });

  it('decodes a float32 case with a schedule, a final state and a tolerance (missing abs = 0)', () => {
    const [c] = parseGoldenFile(goldenFile(fullFloat32Case()), FILE);
    expect(c.dtype).toBe('float32');
    expect(c.params[0]).toBe(Math.fround(0.1));
    expect(c.learningRateSchedule).toBeInstanceOf(Float64Array);
    expect(Array.from(c.learningRateSchedule!)).toEqual([0.01, 0.005]);
    expect(Array.from(c.finalState!.meanSquare!)).toEqual([Math.fround(0.2), 0.25]);
    expect(Array.from(c.finalState!.meanGrad!)).toEqual([0.5, -0.5]);
    expect(Array.from(c.finalState!.momentum!)).toEqual([Math.fround(0.3), Number.POSITIVE_INFINITY]);
    expect(c.tolerance).toEqual({ rel: 1e-6, abs: 0 });
    expect(c.config).toMatchObject({ momentum: 0.5, centered: true, epsilonPlacement: 'inside', learningRate: 0.01 });
  });

  it('accepts zero-length parameters, and several cases in order', () => {
    const empty = validCase({ name: 'mine/float64/empty', params: [], grads: [[], []], expected: [[], []] });
    const cases = parseGoldenFile(goldenFile(validCase(), empty), FILE);
    expect(cases.map((c) => c.name)).toEqual(['mine/float64/two-steps', 'mine/float64/empty']);
    expect(cases[1].params.length).toBe(0);
    expect(cases[1].expected).toHaveLength(2);
  });
});

describe('parseGoldenFile: each malformation names the file, the case and the field', () => {
  it('the root is not an object', () => {
    expectRejected([validCase()], '', '(root)');
    expectRejected(null, '', '(root)');
  });

  it('a wrong or missing format tag', () => {
    const error = expectRejected({ format: 'rmsprop-golden/2', cases: [validCase()] }, '', 'format');
    expect(error.message).toContain('rmsprop-golden/1');
    expectRejected({ cases: [validCase()] }, '', 'format');
  });

  it('cases missing, empty, or not an array', () => {
    expectRejected({ format: 'rmsprop-golden/1' }, '', 'cases');
    expectRejected(goldenFile(), '', 'cases');
    expectRejected({ format: 'rmsprop-golden/1', cases: { a: validCase() } }, '', 'cases');
  });

  it('a case that is not an object is named by its index', () => {
    expectRejected(goldenFile(validCase(), 'oops'), 'cases[1]', '(case)');
  });

  it('a missing or empty name (the case is named by its index)', () => {
    const json = validCase();
    delete json.name;
    expectRejected(goldenFile(validCase({ name: 'first' }), json), 'cases[1]', 'name');
    expectRejected(goldenFile(validCase({ name: '  ' })), 'cases[0]', 'name');
    expectRejected(goldenFile(validCase({ name: 7 })), 'cases[0]', 'name');
  });

  it('duplicate names', () => {
    const error = expectRejected(goldenFile(validCase({ name: 'twice' }), validCase({ name: 'twice' })), 'twice', 'name');
    expect(error.message).toMatch(/unique/);
  });

  it('an unknown case key (a misspelling)', () => {
    const json = validCase();
    json.expect = json.expected;
    expectRejected(goldenFile(json), 'mine/float64/two-steps', 'expect');
  });

  it('a missing or empty source', () => {
    const json = validCase();
    delete json.source;
    expectRejected(goldenFile(json), 'mine/float64/two-steps', 'source');
    expectRejected(goldenFile(validCase({ source: '' })), 'mine/float64/two-steps', 'source');
  });

  it('a bad dtype', () => {
    expectRejected(goldenFile(validCase({ dtype: 'float16' })), 'mine/float64/two-steps', 'dtype');
    const json = validCase();
    delete json.dtype;
    expectRejected(goldenFile(json), 'mine/float64/two-steps', 'dtype');
  });

  it('a config value the spec rejects is reported as config.<field>', () => {
    const error = expectRejected(goldenFile(validCase({ config: { rho: 1 } })), 'mine/float64/two-steps', 'config.rho');
    expect(error.message).toContain('[0, 1)');
    expectRejected(goldenFile(validCase({ config: { epsilon: 0 } })), 'mine/float64/two-steps', 'config.epsilon');
    expectRejected(goldenFile(validCase({ config: { learningRate: -1 } })), 'mine/float64/two-steps', 'config.learningRate');
    expectRejected(goldenFile(validCase({ config: { centered: 'yes' } })), 'mine/float64/two-steps', 'config.centered');
    expectRejected(goldenFile(validCase({ config: { epsilonPlacement: 'under' } })), 'mine/float64/two-steps', 'config.epsilonPlacement');
    // A rule combining fields: nesterov needs momentum > 0.
    expectRejected(goldenFile(validCase({ config: { nesterov: true } })), 'mine/float64/two-steps', 'config.nesterov');
  });

  it('an unknown config field (e.g. PyTorch\'s name for ρ)', () => {
    expectRejected(goldenFile(validCase({ config: { alpha: 0.99 } })), 'mine/float64/two-steps', 'config.alpha');
  });

  it('a config that is not an object', () => {
    expectRejected(goldenFile(validCase({ config: [0.1] })), 'mine/float64/two-steps', 'config');
  });

  it('params not an array', () => {
    expectRejected(goldenFile(validCase({ params: '1,2,3' })), 'mine/float64/two-steps', 'params');
    expectRejected(goldenFile(validCase({ params: { 0: 1 } })), 'mine/float64/two-steps', 'params');
  });

  it('a grads row of the wrong length', () => {
    const error = expectRejected(goldenFile(validCase({ grads: [[1, 2, 3], [1, 2]] })), 'mine/float64/two-steps', 'grads[1]');
    expect(error.message).toMatch(/has 2 values; expected 3/);
  });

  it('grads empty or not an array of rows', () => {
    expectRejected(goldenFile(validCase({ grads: [], expected: [] })), 'mine/float64/two-steps', 'grads');
    expectRejected(goldenFile(validCase({ grads: 'none' })), 'mine/float64/two-steps', 'grads');
  });

  it('an expected step count different from the number of gradients', () => {
    const error = expectRejected(goldenFile(validCase({ expected: [[1, 2, 3]] })), 'mine/float64/two-steps', 'expected');
    expect(error.message).toMatch(/has 1 steps; expected 2/);
  });

  it('an expected row of the wrong length', () => {
    expectRejected(goldenFile(validCase({ expected: [[1, 2, 3], [1, 2, 3, 4]] })), 'mine/float64/two-steps', 'expected[1]');
  });

  it('a value that is not a number (nor "NaN"/"Infinity"/"-Infinity")', () => {
    expectRejected(goldenFile(validCase({ expected: [[1, 2, '3'], [1, 2, 3]] })), 'mine/float64/two-steps', 'expected[0][2]');
    expectRejected(goldenFile(validCase({ expected: [[1, 2, null], [1, 2, 3]] })), 'mine/float64/two-steps', 'expected[0][2]');
    expectRejected(goldenFile(validCase({ params: [1, 'nan', 2] })), 'mine/float64/two-steps', 'params[1]');
    expectRejected(goldenFile(validCase({ grads: [[1, 2, 3], [1, 'inf', 3]] })), 'mine/float64/two-steps', 'grads[1][1]');
  });

  it('a float32 case value that is not a float32 (0.1)', () => {
    const error = expectRejected(goldenFile(fullFloat32Case({ params: [0.1, 2] })), 'mine/float32/everything', 'params[0]');
    expect(error.message).toContain(String(Math.fround(0.1)));
    expectRejected(goldenFile(fullFloat32Case({ grads: [[1, -0.5], [0.25, 1e-50]] })), 'mine/float32/everything', 'grads[1][1]');
    expectRejected(goldenFile(fullFloat32Case({ expected: [[Math.fround(0.09), 2], [0.08, 2]] })), 'mine/float32/everything', 'expected[1][0]');
    expectRejected(
      goldenFile(fullFloat32Case({ finalState: { meanSquare: [0.2, 0.25] } })),
      'mine/float32/everything',
      'finalState.meanSquare[0]',
    );
    // The same value is fine in a float64 case.
    expect(() => parseGoldenFile(goldenFile(validCase({ params: [0.1, 0.2, 0.3] })), FILE)).not.toThrow();
  });

  it('a schedule whose length differs from the number of steps, or with a bad η', () => {
    expectRejected(goldenFile(validCase({ learningRateSchedule: [0.1] })), 'mine/float64/two-steps', 'learningRateSchedule');
    expectRejected(goldenFile(validCase({ learningRateSchedule: [0.1, 0.1, 0.1] })), 'mine/float64/two-steps', 'learningRateSchedule');
    expectRejected(goldenFile(validCase({ learningRateSchedule: 0.1 })), 'mine/float64/two-steps', 'learningRateSchedule');
    expectRejected(goldenFile(validCase({ learningRateSchedule: [0.1, -0.01] })), 'mine/float64/two-steps', 'learningRateSchedule[1]');
    expectRejected(goldenFile(validCase({ learningRateSchedule: ['Infinity', 0.1] })), 'mine/float64/two-steps', 'learningRateSchedule[0]');
  });

  it('finalState.meanGrad on a non-centered config', () => {
    const error = expectRejected(
      goldenFile(validCase({ finalState: { meanSquare: [0, 0, 0], meanGrad: [0, 0, 0] } })),
      'mine/float64/two-steps',
      'finalState.meanGrad',
    );
    expect(error.message).toMatch(/the config has centered false, so there is no meanGrad buffer/);
  });

  it('finalState.momentum with momentum 0', () => {
    const error = expectRejected(goldenFile(validCase({ finalState: { momentum: [0, 0, 0] } })), 'mine/float64/two-steps', 'finalState.momentum');
    expect(error.message).toMatch(/the config has momentum 0, so there is no momentum buffer/);
  });

  it('every state buffer the config does not keep (STATE_BUFFERS), named with the switch that is off', () => {
    // The case's config is plain: it keeps only the buffers every config keeps.
    for (const { name, switchedBy } of STATE_BUFFERS.filter((b) => b.switchedBy !== null)) {
      const error = expectRejected(goldenFile(validCase({ finalState: { [name]: [0, 0, 0] } })), 'mine/float64/two-steps', `finalState.${name}`);
      expect(error.message).toMatch(new RegExp(`is given but the config has ${switchedBy!.field} ${switchedBy!.off}, so there is no ${name} buffer$`));
    }
  });

  it('a finalState buffer of the wrong length, an unknown buffer, or not an object', () => {
    expectRejected(goldenFile(validCase({ finalState: { meanSquare: [0, 0] } })), 'mine/float64/two-steps', 'finalState.meanSquare');
    const unknown = expectRejected(goldenFile(validCase({ finalState: { v: [0, 0, 0] } })), 'mine/float64/two-steps', 'finalState.v');
    expect(unknown.message).toMatch(new RegExp(`is not a state buffer; expected one of ${STATE_BUFFER_NAMES.join(', ')}$`));
    expectRejected(goldenFile(validCase({ finalState: [[0, 0, 0]] })), 'mine/float64/two-steps', 'finalState');
  });

  it('a bad tolerance', () => {
    expectRejected(goldenFile(validCase({ tolerance: 1e-6 })), 'mine/float64/two-steps', 'tolerance');
    expectRejected(goldenFile(validCase({ tolerance: { rel: -1e-6 } })), 'mine/float64/two-steps', 'tolerance.rel');
    expectRejected(goldenFile(validCase({ tolerance: { rel: 0, abs: 'Infinity' } })), 'mine/float64/two-steps', 'tolerance.abs');
    expectRejected(goldenFile(validCase({ tolerance: { ulps: 4 } })), 'mine/float64/two-steps', 'tolerance.ulps');
  });

  it('a later case is reported by its own name, after earlier valid cases', () => {
    expectRejected(goldenFile(validCase({ name: 'ok' }), validCase({ name: 'bad', dtype: 'int8' })), 'bad', 'dtype');
  });
});
