import { describe, expect, it } from 'vitest';
import type { Instance } from './implementation.js';
import { eventsPerCase, measureCase, type MeasureEvent, type MeasureSettings } from './measure-case.js';

const c = { variant: 'plain', dtype: 'float32', n: 1000, layout: 'single' } as const;
const settings: MeasureSettings = { rounds: 3, warmupSeconds: 0.05, targetSeconds: 0.1, slowStepSeconds: 0.25, slowRounds: 1 };

/**
 * A stand-in instance that reports `secondsPerStep × steps` (optionally a different figure per call)
 * without timing anything, and records its calls.
 */
function fake(name: string, secondsPerStep: number | ((call: number) => number), log: string[]): Instance & { runs: number[] } {
  const runs: number[] = [];
  return {
    runs,
    prepare: () => void log.push(`prepare ${name}`),
    run: (steps: number) => {
      runs.push(steps);
      log.push(`run ${name} ${steps}`);
      const perStep = typeof secondsPerStep === 'function' ? secondsPerStep(runs.length) : secondsPerStep;
      return perStep * steps;
    },
    dispose: () => undefined,
  };
}

describe('measureCase', () => {
  it('warms up with 1, 2, 4, … steps until the warm-up time is spent, then takes samples of about the target length', async () => {
    const log: string[] = [];
    const a = fake('a', 0.001, log);
    await measureCase(c, [{ name: 'a', instance: a }], settings);
    // warm-up: 1, 2, 4, 8, 16 (31 ms), then what fills the remaining 19 ms
    expect(a.runs.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 19]);
    expect(a.runs.slice(6)).toEqual([100, 100, 100]);
  });

  it('reports the median of the rounds as elements/s = n × steps / seconds', async () => {
    const rates = [0, 0, 0, 0, 0, 0, 0.001, 0.002, 0.0005]; // the last three calls are the rounds
    const a = fake('a', (call) => rates[call - 1] || 0.001, []);
    const [m] = await measureCase(c, [{ name: 'a', instance: a }], settings);
    expect(m.samples).toEqual([1e6, 0.5e6, 2e6]);
    expect(m.elementsPerSecond).toBe(1e6);
    expect(m.spread).toBe(4);
    expect(m.steps).toBe(100);
  });

  it('interleaves: every round runs every implementation once, rotated, each prepared right before its run', async () => {
    const log: string[] = [];
    const names = ['a', 'b', 'c'];
    const entrants = names.map((name) => ({ name, instance: fake(name, 0.01, log) }));
    const events: MeasureEvent[] = [];
    await measureCase(c, entrants, { ...settings, warmupSeconds: 0 }, (e) => events.push(e));
    const runs = log.filter((l) => l.startsWith('run')).map((l) => l.split(' ')[1]);
    expect(runs).toEqual(['a', 'b', 'c', /* rounds */ 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    log.forEach((line, i) => {
      if (line.startsWith('run')) expect(log[i - 1]).toBe(`prepare ${line.split(' ')[1]}`);
    });
    expect(events).toHaveLength(eventsPerCase(3, settings));
    expect(events.slice(0, 3).every((e) => e.phase === 'warm-up')).toBe(true);
    expect(events.at(-1)).toEqual({ name: 'b', phase: 'round', round: 3 });
  });

  it('gives a slow implementation one step per sample and at most slowRounds samples', async () => {
    const slow = fake('slow', 0.5, []);
    const [m] = await measureCase(c, [{ name: 'slow', instance: slow }], settings);
    expect(m.slow).toBe(true);
    expect(slow.runs).toEqual([1, 1]); // one warm-up step, one sample
    expect(m.samples).toEqual([2000]);
  });

  it('keeps the samples of an implementation that throws, records the error and goes on with the others', async () => {
    let calls = 0;
    const flaky: Instance = {
      run: (steps) => {
        if (++calls === 3) throw new Error('out of memory');
        return 0.01 * steps;
      },
      dispose: () => undefined,
    };
    const ok = fake('ok', 0.01, []);
    const [f, o] = await measureCase(c, [{ name: 'flaky', instance: flaky }, { name: 'ok', instance: ok }], { ...settings, warmupSeconds: 0.005 });
    expect(f.error).toBe('out of memory');
    expect(f.samples).toHaveLength(1);
    expect(o.samples).toHaveLength(3);
  });

  it('rejects a run that reports no time', async () => {
    const broken: Instance = { run: () => 0, dispose: () => undefined };
    const [m] = await measureCase(c, [{ name: 'broken', instance: broken }], settings);
    expect(m.error).toMatch(/reported 0 s/);
    expect(m.elementsPerSecond).toBeNaN();
  });
});
