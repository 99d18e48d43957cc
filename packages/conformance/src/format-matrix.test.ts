import { describe, expect, it } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { hasControlCharacters } from './escape-control-characters.js';
import { formatMatrix } from './format-matrix.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { assembleRun } from './run-conformance.js';

describe('formatMatrix', () => {
  it('shows names, paths, reasons and errors with control characters escaped, the columns still aligned', () => {
    // A GoldenCase made by hand (the parser refuses such a name; formatMatrix takes any run).
    const [parsed] = parseGoldenFile(goldenFile(handComputedPlainCase()), 'mine.json');
    const goldenCase = { ...parsed, name: 'evil\x1b[2J\r999 passed', file: 'dir/\u202eevil.json' };
    const run = assembleRun(
      ['spec', 'odd\x9bname', 'third'],
      [[{ status: 'error', error: 'Error: \x1b]0;title\x07' }], [{ status: 'skip', reason: 'no \u2066float64' }], [{ status: 'error', error: 'x' }]],
      [goldenCase],
    );
    const text = formatMatrix(run);
    expect(hasControlCharacters(text.replaceAll('\n', ''))).toBe(false);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('case '))!;
    const row = lines.find((l) => l.startsWith('evil'))!;
    expect(row.startsWith('evil\\x1b[2J\\r999 passed  float64  ERROR')).toBe(true);
    expect(header.indexOf('odd\\x9bname')).toBe(row.indexOf('skip'));
    expect(text).toContain('  evil\\x1b[2J\\r999 passed on spec: Error: \\x1b]0;title\\x07\n');
    expect(text).toContain('  odd\\x9bname: no \\u2066float64 (1 case: evil\\x1b[2J\\r999 passed)\n');
  });
});
