import { describe, expect, it } from 'vitest';
import { textTable } from './text-table.js';

describe('textTable', () => {
  it('pads columns to their widest cell, two spaces apart, under a rule', () => {
    const table = textTable(['name', 'n'], [['a', '1'], ['long name', '12345']]);
    expect(table.split('\n')).toEqual([
      'name       n', // trailing spaces trimmed
      '─────────  ─────',
      'a          1',
      'long name  12345',
    ]);
  });

  it('right-aligns the columns asked for', () => {
    const table = textTable(['optimizer', 'loss'], [['SGD', '1.9e-2'], ['RMSProp', '6e-4']], ['left', 'right']);
    expect(table.split('\n')).toEqual(['optimizer    loss', '─────────  ──────', 'SGD        1.9e-2', 'RMSProp      6e-4']);
  });

  it('counts code points, so η, — and ≤ take one column', () => {
    const lines = textTable(['η', 'x'], [['—', '≤1'], ['ab', 'c']], ['right', 'right']).split('\n');
    expect(lines[0]).toBe(' η   x');
    expect(lines[2]).toBe(' —  ≤1');
    expect(lines.map((l) => [...l].length)).toEqual([6, 6, 6, 6]);
  });

  it('prints a header alone and rejects rows of the wrong length', () => {
    expect(textTable(['a', 'bb'], [])).toBe('a  bb\n─  ──');
    expect(() => textTable(['a', 'b'], [['1']])).toThrow(/1 cells; the header has 2/);
  });
});
