import { describe, expect, it } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { GoldenFileError } from './golden-file-error.js';
import { parseGoldenJson } from './parse-golden-json.js';

function refusal(parse: () => unknown): GoldenFileError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(GoldenFileError);
    return error as GoldenFileError;
  }
  throw new Error('the text was accepted');
}

describe('parseGoldenJson', () => {
  it('parses the text of a golden-vector file', () => {
    const [c] = parseGoldenJson(JSON.stringify(goldenFile(handComputedPlainCase())), 'mine.json');
    expect(c.name).toBe('user/float64/plain-two-steps');
    expect(c.file).toBe('mine.json');
  });

  it('refuses text over maxBytes (counted in UTF-8) before parsing it', () => {
    // 'η' is 2 bytes in UTF-8 and '𝜃' 4: 1 + 2 + 4 + 1 = 8 bytes in 5 UTF-16 units. Within the limit it is
    // parsed (and refused as a root that is not an object).
    const text = '"η𝜃"';
    expect(refusal(() => parseGoldenJson(text, 'f.json', { maxBytes: 8 })).field).toBe('(root)');
    const error = refusal(() => parseGoldenJson(text, 'f.json', { maxBytes: 7 }));
    expect(error.message).toBe('f.json: (file) is 8 bytes; at most 7 are allowed (limit maxBytes)');
    expect(error.limit).toBe('maxBytes');
    // A 48 MB text is refused without parsing it.
    const big = `{"format":"rmsprop-golden/1","cases":[{"grads":[${'[],'.repeat(16_000_000)}[]]}]}`;
    const started = performance.now();
    expect(refusal(() => parseGoldenJson(big, 'big.json')).limit).toBe('maxBytes');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('bad JSON is a GoldenFileError naming (json), with no raw control character from the text', () => {
    const error = refusal(() => parseGoldenJson('{"format": "\x1b[2J\u202e', 'f.json'));
    expect(error.field).toBe('(json)');
    expect(error.message).toMatch(/^f\.json: \(json\) is not valid JSON: /);
    expect(error.message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/);
  });

  it('refuses text with more arrays and objects than a file within the limits can have, before parsing it', () => {
    // At most 2 (root, cases) + 11 per case + 2 per step: with 1 case and 2 steps, 17.
    const limits = { maxCases: 1, maxSteps: 2 };
    const good = goldenFile({ ...handComputedPlainCase(), source: `brackets in a string do not count: ${'[{'.repeat(100)}` });
    expect(parseGoldenJson(JSON.stringify(good), 'f.json', limits)).toHaveLength(1);
    const error = refusal(() => parseGoldenJson(`[${'[],'.repeat(16)}[]]`, 'f.json', limits));
    expect(error.message).toBe('f.json: (json) has 18 arrays and objects, more than 2 + 11 per case + 2 per step; at most 17 are allowed in a file (limit maxSteps)');
    expect(error.limit).toBe('maxSteps');
    // Not parsed: unterminated JSON over the count is refused for the count.
    expect(refusal(() => parseGoldenJson('['.repeat(18), 'f.json', limits)).limit).toBe('maxSteps');
    expect(refusal(() => parseGoldenJson('['.repeat(17), 'f.json', limits)).field).toBe('(json)');
    // An escaped quote does not end a string.
    expect(refusal(() => parseGoldenJson(`["\\"${'['.repeat(17)}"]`, 'f.json', limits)).limit).toBeUndefined();
  });
});
