import { describe, expect, it } from 'vitest';
import { bar, formatClock, ProgressBar } from './progress-bar.js';

function stream(isTTY: boolean): { writes: string[]; write(text: string): void; isTTY: boolean } {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text), isTTY };
}

describe('ProgressBar', () => {
  it('on a terminal, rewrites one line with the bar, percentage, stage and detail, and clears it', () => {
    const s = stream(true);
    const progress = new ProgressBar(s, { intervalMs: 0 });
    progress.update(1, 4, 'case 1/2', 'js-loop round 1/3');
    progress.update(2, 4, 'case 1/2', 'ceiling round 1/3');
    progress.log('a permanent line');
    expect(s.writes[0]).toMatch(/^\r\[█████░{15}\]  25% case 1\/2 · js-loop round 1\/3 · 0:00 · ~0:00 left\x1b\[K$/);
    expect(s.writes[1]).toMatch(/^\r\[█{10}░{10}\]  50% case 1\/2 · ceiling round 1\/3 · 0:00 · ~0:00 left\x1b\[K$/);
    expect(s.writes.slice(2)).toEqual(['\r\x1b[K', 'a permanent line\n']);
    expect(s.writes.every((w) => !w.includes('\n') || w === 'a permanent line\n')).toBe(true);
  });

  it('on a terminal, draws at most every intervalMs, but always the last update', () => {
    const s = stream(true);
    const progress = new ProgressBar(s, { intervalMs: 60_000 });
    progress.update(1, 10, 'a');
    progress.update(2, 10, 'a');
    progress.update(10, 10, 'done');
    expect(s.writes).toHaveLength(2);
    expect(s.writes[1]).toContain('100% done');
  });

  it('elsewhere, prints a plain line when the stage changes and never a control code', () => {
    const s = stream(false);
    const progress = new ProgressBar(s, { intervalMs: 0 });
    progress.update(0, 10, 'case 1/2');
    progress.update(3, 10, 'case 1/2', 'round 2');
    progress.update(5, 10, 'case 2/2');
    progress.clear();
    expect(s.writes).toEqual(['  0% case 1/2\n', ' 50% case 2/2\n']);
  });
});

describe('bar and formatClock', () => {
  it('fills the bar in proportion, clamped to [0, 1]', () => {
    expect(bar(0, 4)).toBe('[░░░░]');
    expect(bar(0.5, 4)).toBe('[██░░]');
    expect(bar(2, 4)).toBe('[████]');
    expect(bar(NaN, 4)).toBe('[░░░░]');
  });

  it('writes minutes and seconds', () => {
    expect(formatClock(7)).toBe('0:07');
    expect(formatClock(65.4)).toBe('1:05');
  });
});
