import { readFileSync, writeFileSync } from 'node:fs';

/** Reads a JSON file, lets `edit` change the value in place, and writes it back. */
export function editJsonFile(file: string, edit: (value: Record<string, any>) => void): void {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  edit(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
