import { resolve } from 'node:path';
import { env } from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFORMANCE_BACKENDS } from './backend-table.js';
import type { ConformanceBackend } from './conformance-implementation.js';
import { withoutTfjsNodeBanner } from './without-tfjs-node-banner.js';

/** The workspace root, where the backend packages are installed (as a user's project would have them). */
const REPO_ROOT = resolve(import.meta.dirname, '../../..');

const row = (name: string): ConformanceBackend => CONFORMANCE_BACKENDS.find((b) => b.name === name)!;
const prod = (): boolean => env().getBool('PROD');

afterEach(() => {
  env().set('PROD', false);
});

describe('withoutTfjsNodeBanner', () => {
  it("sets tfjs's PROD flag only while the tfjs-cpu row's factory runs, and sets it back", async () => {
    expect(prod()).toBe(false);
    expect(await withoutTfjsNodeBanner(row('tfjs-cpu'), REPO_ROOT, prod)).toBe(true);
    expect(await withoutTfjsNodeBanner(row('tfjs-cpu'), REPO_ROOT, async () => prod())).toBe(true);
    expect(prod()).toBe(false);
  });

  it('sets it back when the factory throws, or rejects', async () => {
    const boom = (): never => {
      throw new Error('boom');
    };
    await expect(withoutTfjsNodeBanner(row('tfjs-cpu'), REPO_ROOT, boom)).rejects.toThrow('boom');
    expect(prod()).toBe(false);
    await expect(withoutTfjsNodeBanner(row('tfjs-cpu'), REPO_ROOT, () => Promise.reject(new Error('later')))).rejects.toThrow('later');
    expect(prod()).toBe(false);
  });

  it('leaves a PROD set before as it was', async () => {
    env().set('PROD', true);
    await withoutTfjsNodeBanner(row('tfjs-cpu'), REPO_ROOT, () => undefined);
    expect(prod()).toBe(true);
  });

  it('runs any other row as it is: tfjs-wasm (no banner), cpu (no tfjs)', async () => {
    for (const name of ['tfjs-wasm', 'cpu', 'cpu-js', 'gpujs-cpu']) {
      expect(await withoutTfjsNodeBanner(row(name), REPO_ROOT, prod), name).toBe(false);
    }
  });
});
