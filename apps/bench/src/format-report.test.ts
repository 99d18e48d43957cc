import { describe, expect, it } from 'vitest';
import { formatImplementations, formatMethod, formatSkipped } from './format-report.js';
import type { Implementation } from './implementation.js';
import { measureSettings } from './bench-plan.js';

describe('formatSkipped', () => {
  it('groups the cases an implementation sat out by reason, with a count', () => {
    const c = { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' } as const;
    const text = formatSkipped([
      { implementation: 'tfjs-cpu', case: c, reason: 'tfjs runs float32 only' },
      { implementation: 'tfjs-cpu', case: { ...c, n: 1e7 }, reason: 'tfjs runs float32 only' },
      { implementation: 'pytorch', case: c, reason: 'setup failed: boom' },
    ]);
    expect(text.split('\n').slice(2)).toEqual(['tfjs-cpu  tfjs runs float32 only (2 cases)', 'pytorch   setup failed: boom (1 case)']);
    expect(formatSkipped([])).toBe('');
  });
});

describe('formatImplementations and formatMethod', () => {
  it('lists what runs and what is not available, with the reason', () => {
    const impl = { name: 'js-loop', describe: () => 'a loop' } as Implementation;
    const text = formatImplementations([impl], [{ name: 'pytorch', reason: 'import torch failed' }]);
    expect(text.split('\n')).toEqual(['implementations:', '  js-loop  a loop', 'not available here:', '  pytorch  import torch failed']);
  });

  it('states the method with this run’s numbers', () => {
    const text = formatMethod(measureSettings(true), true);
    expect(text).toMatch(/^quick run: .*50 ms.*3 rounds.*interleaved.*≥ 100 ms.*median/);
  });
});
