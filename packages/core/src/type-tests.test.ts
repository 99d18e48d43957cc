/**
 * Compiles every `*.types.test.ts` in src with tsc, under this package's tsconfig (`strict`), and fails
 * with each error: `expectTypeOf` and `// @ts-expect-error` in those files only check anything when they
 * are compiled, and vitest runs tests without type-checking them.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

it('every *.types.test.ts compiles under the package tsconfig', { timeout: 60_000 }, () => {
  const files = readdirSync(join(root, 'src'))
    .filter((name) => name.endsWith('.types.test.ts'))
    .map((name) => join(root, 'src', name));
  expect(files.length).toBeGreaterThan(0);
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.slice(root.length + 1)}:${line + 1}:${character + 1}: ${message}`;
  });
  expect(errors).toEqual([]);
});
