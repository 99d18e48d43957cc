import { describe, expect, it } from 'vitest';
import { wrapParagraph } from './wrap-paragraph.js';

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w.length > 0);

describe('wrapParagraph', () => {
  it('keeps a short text on the label’s line', () => {
    expect(wrapParagraph('Loss     ', 'half the mean squared error')).toBe('Loss     half the mean squared error');
  });

  it('wraps at the width, indents continuation lines under the text, and keeps every word in order', () => {
    const label = 'Problem  ';
    const text = 'linear regression with eight weights whose features have scales 0.1…10 so the curvature spans four orders of magnitude';
    const out = wrapParagraph(label, text, 30);
    const lines = out.split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines[0].startsWith(label)).toBe(true);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(30);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {9}\S/);
    expect(words(out.replace(label, ''))).toEqual(words(text));
    // Greedy: no line could have taken the next line's first word.
    for (let i = 0; i + 1 < lines.length; i++) {
      expect([...`${lines[i]} ${words(lines[i + 1])[0]}`].length).toBeGreaterThan(30);
    }
  });

  it('counts code points, not UTF-16 units', () => {
    // "𝑥" is two UTF-16 units but one character: "ab 𝑥𝑥 𝑥𝑥" is 8 characters (11 units), so it fits a width of 8.
    expect(wrapParagraph('ab ', '𝑥𝑥 𝑥𝑥', 8)).toBe('ab 𝑥𝑥 𝑥𝑥');
  });

  it('gives a word longer than the width a line of its own and collapses whitespace', () => {
    expect(wrapParagraph('L ', 'a  verylongword\n b', 6).split('\n')).toEqual(['L a', '  verylongword', '  b']);
    expect(wrapParagraph('Label  ', '   ')).toBe('Label');
    expect(wrapParagraph('', 'one two three', 7)).toBe('one two\nthree');
  });
});
