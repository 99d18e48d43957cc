import { describe, expect, it } from 'vitest';
import { hasControlCharacters } from './escape-control-characters.js';
import { GoldenFileError } from './golden-file-error.js';

describe('GoldenFileError', () => {
  it('names the file, the case and the field, and keeps them as given in its properties', () => {
    const error = new GoldenFileError('mine.json', 'adam-ish', 'grads[1]', 'has 3 values; expected 4 (the length of params)');
    expect(error.message).toBe('mine.json: case "adam-ish": grads[1] has 3 values; expected 4 (the length of params)');
    expect(error).toMatchObject({ name: 'GoldenFileError', code: 'INVALID_GOLDEN_FILE', file: 'mine.json', caseName: 'adam-ish', field: 'grads[1]' });
    expect(error.limit).toBeUndefined();
    expect(new GoldenFileError('mine.json', '', 'format', 'is 1').message).toBe('mine.json: format is 1');
  });

  it('its message is one line with no control or bidi character from the data (escaped, visible)', () => {
    const error = new GoldenFileError('evil\x1b[2J.json', 'x\u202e', '\x1b]0;title\x07', 'is not valid JSON: "\r999 passed\n\x9b"');
    expect(hasControlCharacters(error.message), error.message).toBe(false);
    expect(error.message).toBe('evil\\x1b[2J.json: case "x\\u202e": \\x1b]0;title\\x07 is not valid JSON: "\\r999 passed\\n\\x9b"');
    expect(error.file).toBe('evil\x1b[2J.json');
    expect(error.field).toBe('\x1b]0;title\x07');
  });

  it('shows at most 200 characters of a field (a key from the file may be any length)', () => {
    const key = 'k'.repeat(1_000_000);
    const error = new GoldenFileError('mine.json', 'c', key, 'is not a field of a case');
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain(`${'k'.repeat(200)}… (1000000 characters) is not a field of a case`);
    expect(error.field).toBe(key);
  });

  it('says which limit refused the file when one did', () => {
    expect(new GoldenFileError('f.json', '', 'cases', 'has 2 cases', { limit: 'maxCases' }).limit).toBe('maxCases');
  });
});
