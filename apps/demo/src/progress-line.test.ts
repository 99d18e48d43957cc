import { describe, expect, it } from 'vitest';
import { ProgressLine } from './progress-line.js';

function stream(isTTY: boolean): { writes: string[]; write(text: string): void; isTTY: boolean } {
  const writes: string[] = [];
  return { writes, write: (text: string) => void writes.push(text), isTTY };
}

describe('ProgressLine', () => {
  it('rewrites one line in place on a terminal, and clears it before a permanent line', () => {
    const s = stream(true);
    const progress = new ProgressLine(s, { intervalMs: 0 });
    progress.update('step 1');
    progress.update('step 2');
    progress.log('done');
    progress.clear();
    expect(s.writes).toEqual(['\rstep 1\x1b[K', '\rstep 2\x1b[K', '\r\x1b[K', 'done\n']);
  });

  it('throttles updates on a terminal unless forced', () => {
    const s = stream(true);
    const progress = new ProgressLine(s, { intervalMs: 60_000 });
    progress.update('first'); // a terminal shows progress at once
    progress.update('dropped');
    progress.update('forced', true);
    expect(s.writes).toEqual(['\rfirst\x1b[K', '\rforced\x1b[K']);
  });

  it('prints plain lines elsewhere, only after a quiet interval, and never writes control codes', () => {
    const s = stream(false);
    const quiet = new ProgressLine(s, { plainIntervalMs: 60_000 });
    quiet.update('too soon');
    quiet.log('a permanent line');
    quiet.update('still too soon');
    quiet.clear();
    expect(s.writes).toEqual(['a permanent line\n']);
    const chatty = new ProgressLine(s, { plainIntervalMs: 0 });
    chatty.update('now');
    expect(s.writes.at(-1)).toBe('now\n');
    expect(s.writes.join('')).not.toMatch(/[\r\x1b]/);
  });
});
