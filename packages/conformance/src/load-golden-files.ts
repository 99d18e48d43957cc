import { closeSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GoldenCase } from './golden-case.js';
import { GoldenFileError } from './golden-file-error.js';
import { resolveGoldenFileLimits, type GoldenFileLimits } from './golden-file-limits.js';
import { parseJsonText } from './parse-golden-json.js';

/** Bytes read at a time from a file whose size is not known in advance (a pipe, a device). */
const CHUNK_BYTES = 1 << 20;

/**
 * The bytes of the file at `path`, or a {@link GoldenFileError} when it has more than `maxBytes`: a
 * regular file's size is checked before anything is read, and no file is read further than one byte past
 * the limit (a pipe or a device such as /dev/zero has no size to check).
 */
function readBounded(path: string, maxBytes: number): Buffer {
  const tooLarge = (size: string): GoldenFileError =>
    new GoldenFileError(path, '', '(file)', `is ${size} bytes; at most ${maxBytes} are allowed (limit maxBytes)`, { limit: 'maxBytes' });
  const unreadable = (error: unknown): GoldenFileError =>
    new GoldenFileError(path, '', '(file)', `cannot be read: ${(error as Error).message}`, { cause: error });
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw unreadable(error);
  }
  try {
    let size: number;
    try {
      const stat = fstatSync(fd);
      size = stat.isFile() ? stat.size : -1;
    } catch (error) {
      throw unreadable(error);
    }
    if (size > maxBytes) throw tooLarge(String(size));
    // One byte more than allowed is room enough to see that a file is over (it may have grown since).
    const room = maxBytes + 1;
    let buffer = Buffer.allocUnsafe(Math.min(room, size >= 0 ? size + 1 : CHUNK_BYTES));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length === room) break;
        const grown = Buffer.allocUnsafe(Math.min(room, length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      let read: number;
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        throw unreadable(error);
      }
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw tooLarge(`more than ${maxBytes}`);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Read and check one golden-vector file (Node). A file over `limits.maxBytes` is refused before it is
 * read (and no file is read past the limit); `limits` then bound its arrays and objects before it is
 * parsed, as `parseGoldenJson` does, and its cases, steps and numbers as `parseGoldenFile` does (the
 * defaults are `GOLDEN_FILE_LIMITS`). Unreadable files, bad JSON and files over a limit throw
 * {@link GoldenFileError}; bad `limits` throw an `ArgumentError` before the file is opened.
 */
export function readGoldenFile(path: string, limits?: Partial<GoldenFileLimits>): GoldenCase[] {
  const resolved = resolveGoldenFileLimits(limits);
  return parseJsonText(readBounded(path, resolved.maxBytes).toString('utf8'), path, resolved);
}

/** Read several files with the same limits (each file's own); case names must be unique across all of them. */
export function readGoldenFiles(paths: readonly string[], limits?: Partial<GoldenFileLimits>): GoldenCase[] {
  const resolved = resolveGoldenFileLimits(limits);
  const cases: GoldenCase[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    for (const c of readGoldenFile(path, resolved)) {
      const earlier = seen.get(c.name);
      if (earlier !== undefined) throw new GoldenFileError(path, c.name, 'name', `is also the name of a case in ${earlier}; names must be unique`);
      seen.set(c.name, path);
      cases.push(c);
    }
  }
  return cases;
}

/** The directory of the vectors shipped with this package. */
export function committedVectorsDirectory(): string {
  return fileURLToPath(new URL('../vectors/', import.meta.url));
}

/** The paths of the shipped vector files, sorted. */
export function committedVectorFiles(): string[] {
  const dir = committedVectorsDirectory();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${dir}${f}`);
}

/** Every shipped case. */
export function loadCommittedVectors(): GoldenCase[] {
  return readGoldenFiles(committedVectorFiles());
}
