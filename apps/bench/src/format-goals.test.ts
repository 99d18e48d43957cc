import { describe, expect, it } from 'vitest';
import { formatGoals } from './format-goals.js';
import type { GoalResult } from './goals.js';

describe('formatGoals', () => {
  const goals: GoalResult[] = [
    { id: 'a', title: 'N = 1e7: rmsprop-cpu vs the memory ceiling', target: '≥ 0.85', status: 'met', measured: 0.9123, detail: '2.00e9 ÷ 2.19e9 elements/s' },
    { id: 'b', title: 'N = 1e5: rmsprop-cpu vs js-loop', target: '≥ 6', status: 'NOT met', measured: 4.31, detail: '1.12e9 ÷ 2.59e8 elements/s' },
    { id: 'c', title: '2 threads', target: '≥ 0.95', status: 'not measured', detail: 'no rmsprop-cpu-2t: no threads option' },
  ];

  it('prints one line per goal with its status, target, measured ratio and source', () => {
    const lines = formatGoals(goals).split('\n');
    expect(lines[0]).toMatch(/^status\s+goal\s+target\s+measured\s+from$/);
    expect(lines[2]).toMatch(/^met\s+N = 1e7: rmsprop-cpu vs the memory ceiling\s+≥ 0\.85\s+0\.91\s+2\.00e9 ÷ 2\.19e9 elements\/s$/);
    expect(lines[3]).toMatch(/^NOT met\s+N = 1e5: rmsprop-cpu vs js-loop\s+≥ 6\s+4\.31\s+1\.12e9/);
    expect(lines[4]).toMatch(/^not measured\s+2 threads\s+≥ 0\.95\s+—\s+no rmsprop-cpu-2t: no threads option$/);
  });

  it('ends with the count of each status', () => {
    expect(formatGoals(goals).split('\n').at(-1)).toBe('1 met, 1 NOT met, 1 not measured');
  });
});
