import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GoldenCase } from './golden-case.js';
import { GoldenFileError } from './golden-file-error.js';
import { parseGoldenFile } from './parse-golden-file.js';

/** Read and check one golden-vector file (Node). Unreadable files and bad JSON throw {@link GoldenFileError}. */
export function readGoldenFile(path: string): GoldenCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GoldenFileError(path, '', '(file)', `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GoldenFileError(path, '', '(json)', `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseGoldenFile(json, path);
}

/** Read several files; case names must be unique across all of them. */
export function readGoldenFiles(paths: readonly string[]): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    for (const c of readGoldenFile(path)) {
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
