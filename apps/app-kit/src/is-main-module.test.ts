import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isMainModule } from './is-main-module.js';

const here = fileURLToPath(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'app-kit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isMainModule', () => {
  it('is true for the script itself, also through a link', () => {
    expect(isMainModule(import.meta.url, here)).toBe(true);
    const link = join(dir, 'link.ts');
    symlinkSync(here, link);
    expect(isMainModule(import.meta.url, link)).toBe(true);
  });

  it('is false for another script, a missing one, or none', () => {
    expect(isMainModule(import.meta.url, fileURLToPath(new URL('./is-main-module.ts', import.meta.url)))).toBe(false);
    expect(isMainModule(import.meta.url, join(dir, 'missing.js'))).toBe(false);
    expect(isMainModule(import.meta.url, undefined)).toBe(false);
  });

  it('is false when a test runner imports the module (process.argv[1] is the runner)', () => {
    expect(isMainModule(import.meta.url)).toBe(false);
  });
});
