import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, escapeJsonControlCharacters, hasControlCharacters } from './escape-control-characters.js';

/** Every character the escaping covers: C0, DEL, C1, the bidi marks, embeddings, overrides and isolates, U+2028/9. */
const CONTROLS: number[] = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
  0x061c,
  0x200e,
  0x200f,
  0x2028,
  0x2029,
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e],
  ...[0x2066, 0x2067, 0x2068, 0x2069],
];

/** Any code point in CONTROLS, raw. */
const RAW = new RegExp(`[${CONTROLS.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`, 'u');

describe('escapeControlCharacters', () => {
  it('renders terminal escapes, carriage returns and bidi overrides as visible escapes', () => {
    expect(escapeControlCharacters('\x1b[2J')).toBe('\\x1b[2J');
    expect(escapeControlCharacters('\x1b]0;title\x07')).toBe('\\x1b]0;title\\x07');
    expect(escapeControlCharacters('\r999 passed')).toBe('\\r999 passed');
    expect(escapeControlCharacters('a\tb\nc')).toBe('a\\tb\\nc');
    expect(escapeControlCharacters('\x00\x7f\x9b')).toBe('\\x00\\x7f\\x9b');
    expect(escapeControlCharacters('abc\u202eexe.txt')).toBe('abc\\u202eexe.txt');
    expect(escapeControlCharacters('\u2066\u2069\u061c\u200f\u2028')).toBe('\\u2066\\u2069\\u061c\\u200f\\u2028');
  });

  it('escapes every covered character and leaves nothing of them raw', () => {
    const all = String.fromCodePoint(...CONTROLS);
    const escaped = escapeControlCharacters(all);
    expect(RAW.test(escaped)).toBe(false);
    expect(escaped.match(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])/g)).toHaveLength(CONTROLS.length);
  });

  it('keeps newlines when asked (text made of lines), and everything printable as it is', () => {
    expect(escapeControlCharacters('one\ntwo\r\n', { keepNewlines: true })).toBe('one\ntwo\\r\n');
    const printable = 'case ρ=0.9 η ≥ 0 — ✓ 𝜃 C:\\path\\x1b "quoted" é';
    expect(escapeControlCharacters(printable)).toBe(printable);
    // Idempotent: escaped text has nothing left to escape (a backslash is printable and stays as it is).
    const once = escapeControlCharacters('\x1b[31mred\u202e');
    expect(escapeControlCharacters(once)).toBe(once);
  });

  it('hasControlCharacters finds the same characters', () => {
    for (const c of CONTROLS) expect(hasControlCharacters(`a${String.fromCodePoint(c)}b`), c.toString(16)).toBe(true);
    expect(hasControlCharacters('user/float64/plain-two-steps ρ η')).toBe(false);
  });
});

describe('escapeJsonControlCharacters', () => {
  it('keeps JSON valid and the same value, with no DEL, C1 or bidi character raw', () => {
    const value = { source: '\x1b[2J\x1b]0;title\x07\r999 passed\x7f\x9b\u202e\u2066', n: [1, 2] };
    const json = escapeJsonControlCharacters(JSON.stringify(value, null, 2));
    expect(RAW.test(json.replaceAll('\n', ''))).toBe(false);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect(JSON.parse(json)).toEqual(value);
  });
});
