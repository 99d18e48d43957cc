import { describe, expect, it } from 'vitest';
import { countJsonContainers } from './count-json-containers.js';

/** The arrays and objects in a parsed value, counted by walking it. */
function walk(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Object.values(value).reduce<number>((sum, v) => sum + walk(v), 0);
}

describe('countJsonContainers', () => {
  it('counts the arrays and objects JSON.parse makes, not brackets inside strings', () => {
    const values: unknown[] = [
      [],
      {},
      [[], [[]], {}],
      { a: [1, 2, { b: '[{' }], c: 'x"[' },
      ['\\', '\\"[', '\\\\', '"', '{"a":[1]}'],
      { format: 'rmsprop-golden/1', cases: [{ name: 'n[0]', grads: [[1], [2]], config: {} }] },
      'just a string with [ and {',
      42,
    ];
    for (const value of values) {
      const text = JSON.stringify(value);
      expect(countJsonContainers(text), text).toBe(walk(JSON.parse(text)));
      expect(countJsonContainers(JSON.stringify(value, null, 2))).toBe(walk(value));
    }
  });

  it('counts millions of arrays in one pass', () => {
    const text = `[${'[],'.repeat(2_000_000)}[]]`;
    const started = performance.now();
    expect(countJsonContainers(text)).toBe(2_000_002);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
