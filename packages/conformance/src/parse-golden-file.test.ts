import { ArgumentError, STATE_BUFFER_NAMES, STATE_BUFFERS } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { goldenFile } from './__fixtures__/golden-json.js';
import { hasControlCharacters } from './escape-control-characters.js';
import { GoldenFileError } from './golden-file-error.js';
import { GOLDEN_FILE_LIMITS } from './golden-file-limits.js';
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

describe('parseGoldenFile: limits (GOLDEN_FILE_LIMITS, or the limits argument)', () => {
  /** A case of `steps` empty steps (zero-length parameters: the cheapest step a file can hold). */
  const emptySteps = (name: string, steps: number): Record<string, unknown> =>
    validCase({ name, params: [], grads: Array.from({ length: steps }, () => []), expected: Array.from({ length: steps }, () => []) });

  it('more steps than maxSteps (100,000 in a file) is refused naming the case, grads, the count and the limit', () => {
    const error = expectRejected(goldenFile(emptySteps('huge', GOLDEN_FILE_LIMITS.maxSteps + 1)), 'huge', 'grads');
    expect(error.message).toContain(`has ${GOLDEN_FILE_LIMITS.maxSteps + 1} steps`);
    expect(error.message).toContain(`at most ${GOLDEN_FILE_LIMITS.maxSteps}`);
    expect(error.message).toContain('maxSteps');
    expect(error.limit).toBe('maxSteps');
    // Exactly at the limit is accepted.
    expect(parseGoldenFile(goldenFile(emptySteps('at-limit', GOLDEN_FILE_LIMITS.maxSteps)), FILE)[0].grads).toHaveLength(GOLDEN_FILE_LIMITS.maxSteps);
  });

  it('8,000,000 steps are refused from the count, before any row is looked at', () => {
    // Holes, not rows: a parser that walked the rows would stop at grads[0] ("is undefined").
    const holes = new Array<unknown>(8_000_000);
    const started = performance.now();
    const error = expectRejected(goldenFile(validCase({ name: 'holes', params: [], grads: holes, expected: holes })), 'holes', 'grads');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.message).toContain('has 8000000 steps');
  });

  it('steps count across the cases of a file', () => {
    const error = expectRejected(goldenFile(emptySteps('first', 6), emptySteps('second', 5)), 'second', 'grads');
    expect(error.message).toContain('has 5 steps, making 11 in the file; at most 10');
    expect(() => parseGoldenFile(goldenFile(emptySteps('first', 6), emptySteps('second', 5)), FILE, { maxSteps: 11 })).not.toThrow();
    function expectRejected(json: unknown, caseName: string, field: string): GoldenFileError {
      try {
        parseGoldenFile(json, FILE, { maxSteps: 10 });
      } catch (error) {
        expect(error).toBeInstanceOf(GoldenFileError);
        expect((error as GoldenFileError).caseName).toBe(caseName);
        expect((error as GoldenFileError).field).toBe(field);
        return error as GoldenFileError;
      }
      throw new Error('accepted');
    }
  });

  it('more cases than maxCases is refused naming cases, the count and the limit', () => {
    const json = goldenFile(...Array.from({ length: 4 }, (_, i) => validCase({ name: `c${i}` })));
    expect(parseGoldenFile(json, FILE, { maxCases: 4 })).toHaveLength(4);
    let error: GoldenFileError | undefined;
    try {
      parseGoldenFile(json, FILE, { maxCases: 3 });
    } catch (e) {
      error = e as GoldenFileError;
    }
    expect(error).toBeInstanceOf(GoldenFileError);
    expect(error!.field).toBe('cases');
    expect(error!.limit).toBe('maxCases');
    expect(error!.message).toBe(`${FILE}: cases has 4 cases; at most 3 are allowed in a file (limit maxCases)`);
    expect(GOLDEN_FILE_LIMITS.maxCases).toBe(10_000);
  });

  it('more numbers than maxNumbers is refused before the arrays are made, counting every array of every case', () => {
    // validCase: 3 params × (1 + 2 grads + 2 expected) = 15 numbers; fullFloat32Case: 2 × (1 + 2 + 2 + 3 state) + 2 (schedule) = 18.
    expect(() => parseGoldenFile(goldenFile(validCase(), fullFloat32Case()), FILE, { maxNumbers: 33 })).not.toThrow();
    let error: GoldenFileError | undefined;
    try {
      parseGoldenFile(goldenFile(validCase(), fullFloat32Case()), FILE, { maxNumbers: 32 });
    } catch (e) {
      error = e as GoldenFileError;
    }
    expect(error).toBeInstanceOf(GoldenFileError);
    expect(error!.caseName).toBe('mine/float32/everything');
    expect(error!.field).toBe('(case)');
    expect(error!.limit).toBe('maxNumbers');
    expect(error!.message).toContain('holds 18 numbers, making 33 in the file; at most 32 are allowed in a file (limit maxNumbers)');
  });

  it('bad limits are refused with an ArgumentError before the file is looked at', () => {
    expect(() => parseGoldenFile(null, FILE, { maxSteps: -1 })).toThrow(ArgumentError);
    expect(() => parseGoldenFile(null, FILE, { maxSteps: -1 })).toThrow('limits.maxSteps = -1 is not allowed');
  });
});

describe('parseGoldenFile: names are printable', () => {
  it('a name with a terminal escape, a carriage return or a bidi override is refused', () => {
    for (const name of ['\x1b[2J', 'x\x1b]0;title\x07', '\r999 passed', 'a\nb', 'evil\u202etxt.exe', 'iso\u2066late', 'c1\x9b31m', 'del\x7f']) {
      const error = expectRejected(goldenFile(validCase({ name })), 'cases[0]', 'name');
      expect(error.message).toContain('control or bidi formatting character');
      expect(hasControlCharacters(error.message), error.message).toBe(false);
    }
  });

  it('a name longer than 200 characters is refused (names head rows of a table)', () => {
    expect(parseGoldenFile(goldenFile(validCase({ name: 'n'.repeat(200) })), FILE)[0].name).toHaveLength(200);
    const error = expectRejected(goldenFile(validCase({ name: 'n'.repeat(201) })), 'cases[0]', 'name');
    expect(error.message).toContain('201 characters');
    expect(error.message).toContain('at most 200');
  });

  it('a source may hold anything printable or not (it is escaped where it is printed)', () => {
    const source = 'made by \x1b[2J\x1b]0;title\x07\r999 passed\u202e';
    expect(parseGoldenFile(goldenFile(validCase({ source })), FILE)[0].source).toBe(source);
  });

  it('an unknown field whose key holds control characters is named escaped in the message', () => {
    const error = parseError(goldenFile(validCase({ '\x1b[2J\u202e': 1 })));
    expect(error.field).toBe('\x1b[2J\u202e');
    expect(hasControlCharacters(error.message), error.message).toBe(false);
    expect(error.message).toContain(': \\x1b[2J\\u202e is not a field');
  });
});
