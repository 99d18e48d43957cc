import { textTable } from '@rmsprop/app-kit';
import type { BenchSkip } from './bench-row.js';
import type { Implementation, UnavailableImplementation } from './implementation.js';
import type { MeasureSettings } from './measure-case.js';

/** What runs: one line per implementation, then those that cannot run here and why. */
export function formatImplementations(implementations: readonly Implementation[], unavailable: readonly UnavailableImplementation[]): string {
  const width = Math.max(0, ...implementations.map((i) => i.name.length), ...unavailable.map((u) => u.name.length));
  const lines = ['implementations:', ...implementations.map((i) => `  ${i.name.padEnd(width)}  ${i.describe()}`)];
  if (unavailable.length > 0) lines.push('not available here:', ...unavailable.map((u) => `  ${u.name.padEnd(width)}  ${u.reason}`));
  return lines.join('\n');
}

/** The methodology in one paragraph. */
export function formatMethod(settings: MeasureSettings, quick: boolean): string {
  return (
    `${quick ? 'quick run: ' : ''}each case warms every implementation up (${Math.round(settings.warmupSeconds * 1000)} ms), then runs ${settings.rounds} ` +
    `rounds; each round times every implementation once, interleaved (rotated each round), for ≥ ${Math.round(settings.targetSeconds * 1000)} ms ` +
    `(implementations slower than ${settings.slowStepSeconds} s per step: one step per sample, at most ${settings.slowRounds} samples). ` +
    'elements/s = N × steps / seconds, the median of the rounds. Ratios are taken within this run only.'
  );
}

/** Cases an implementation sat out, grouped by implementation and reason, with a count. */
export function formatSkipped(skipped: readonly BenchSkip[]): string {
  const groups = new Map<string, { implementation: string; reason: string; count: number }>();
  for (const s of skipped) {
    const key = `${s.implementation}\u0000${s.reason}`;
    const group = groups.get(key) ?? { implementation: s.implementation, reason: s.reason, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  if (groups.size === 0) return '';
  const rows = [...groups.values()].map((g) => [g.implementation, `${g.reason} (${g.count} case${g.count === 1 ? '' : 's'})`]);
  return textTable(['left out', 'why'], rows);
}
