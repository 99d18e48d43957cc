import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { GoldenFileError } from './golden-file-error.js';
import { readGoldenFile, readGoldenFiles } from './load-golden-files.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmsprop-load-golden-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function refusal(read: () => unknown): GoldenFileError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(GoldenFileError);
    return error as GoldenFileError;
  }
  throw new Error('the file was accepted');
}

describe('readGoldenFile: limits', () => {
  const text = JSON.stringify(goldenFile(handComputedPlainCase()));
  const bytes = Buffer.byteLength(text);

  it('a file larger than maxBytes is refused from its size, naming the file, its size and the limit', () => {
    const path = write('big.json', text);
    expect(readGoldenFile(path, { maxBytes: bytes })).toHaveLength(1);
    const error = refusal(() => readGoldenFile(path, { maxBytes: bytes - 1 }));
    expect(error.message).toBe(`${path}: (file) is ${bytes} bytes; at most ${bytes - 1} are allowed (limit maxBytes)`);
    expect(error.limit).toBe('maxBytes');
    expect(error.field).toBe('(file)');
  });

  it('a stream with no size (/dev/zero) is read no further than the limit', () => {
    if (!existsSync('/dev/zero')) return;
    const error = refusal(() => readGoldenFile('/dev/zero', { maxBytes: 1 << 20 }));
    expect(error.message).toBe(`/dev/zero: (file) is more than ${1 << 20} bytes; at most ${1 << 20} are allowed (limit maxBytes)`);
    expect(error.limit).toBe('maxBytes');
  });

  it('the other limits reach the parser, for each of several files', () => {
    const a = write('a.json', JSON.stringify(goldenFile(handComputedPlainCase('a'))));
    const b = write('b.json', JSON.stringify(goldenFile(handComputedPlainCase('b'))));
    expect(readGoldenFiles([a, b], { maxSteps: 2 })).toHaveLength(2);
    const error = refusal(() => readGoldenFiles([a, b], { maxSteps: 1 }));
    expect(error.file).toBe(a);
    expect(error.limit).toBe('maxSteps');
  });

  it('bad limits throw an ArgumentError before any file is read', () => {
    expect(() => readGoldenFile(join(dir, 'does-not-exist.json'), { maxBytes: 0 })).toThrow(ArgumentError);
  });

  it('bad JSON and unreadable files are still GoldenFileErrors', () => {
    expect(refusal(() => readGoldenFile(write('broken.json', '{ "format": '))).field).toBe('(json)');
    expect(refusal(() => readGoldenFile(join(dir, 'does-not-exist.json'))).field).toBe('(file)');
    expect(refusal(() => readGoldenFile(dir)).field).toBe('(file)');
  });
});
