import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from './cli-options.js';
import { DEFAULT_CHART_PATH, runDemo, TARGET_LOSS } from './run-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-demo-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sink = (): { text: string; write(t: string): boolean } => {
  const s = { text: '', write: (t: string) => ((s.text += t), true) };
  return s;
};

describe('runDemo', () => {
  it('puts the default chart in apps/demo/out', () => {
    expect(DEFAULT_CHART_PATH.replaceAll('\\', '/')).toMatch(/apps\/demo\/out\/loss-curves\.svg$/);
  });

  it(
    'with the default steps: RMSProp reaches the target in every phase, SGD in none, AdaGrad not in every phase',
    async () => {
      const stdout = sink();
      const result = await runDemo({ steps: DEFAULT_STEPS, out: join(dir, 'full.svg') }, { stdout });
      expect(result.backend).toBe('cpu');
      expect(result.dtype).toBe('float64');
      expect(result.target).toBe(TARGET_LOSS);
      expect(result.chartPath).toBe(join(dir, 'full.svg'));
      const byName = new Map(result.runs.map((r) => [r.optimizer, r]));
      expect([...byName.keys()]).toEqual(['SGD', 'AdaGrad', 'RMSProp']);
      const rms = byName.get('RMSProp')!;
      const sgd = byName.get('SGD')!;
      const ada = byName.get('AdaGrad')!;
      for (const run of result.runs) {
        expect(run.diverged).toBe(false);
        expect(run.losses).toHaveLength(DEFAULT_STEPS + 1);
        expect(run.stepsToTarget).toHaveLength(4);
      }
      expect(rms.stepsToTarget.every((s) => s !== null && s <= DEFAULT_STEPS / 4)).toBe(true);
      expect(sgd.stepsToTarget.every((s) => s === null)).toBe(true);
      expect(ada.stepsToTarget.some((s) => s === null)).toBe(true);
      // The recorded losses bear the counts out: each phase's loss reaches the target at the counted step.
      for (let k = 0; k < 4; k++) {
        const start = (k * DEFAULT_STEPS) / 4;
        const at = rms.stepsToTarget[k]!;
        const loss = at === DEFAULT_STEPS / 4 ? rms.phaseEndLosses[k] : rms.losses[start + at];
        expect(loss).toBeLessThanOrEqual(TARGET_LOSS);
        for (let t = start; t < start + at; t++) expect(rms.losses[t]).toBeGreaterThan(TARGET_LOSS);
        expect(Math.min(...sgd.losses.subarray(start, start + DEFAULT_STEPS / 4))).toBeGreaterThan(TARGET_LOSS);
      }
      expect(rms.finalLoss).toBeLessThan(Math.min(sgd.finalLoss, ada.finalLoss));
      // The learning rates come from the same grid.
      for (const run of result.runs) expect(stdout.text).toContain(`${run.optimizer.padEnd(8)} best η = `);
      const svg = readFileSync(result.chartPath, 'utf8');
      expect(svg.match(/<path data-series=/g)).toHaveLength(3);
    },
  );

  it('is deterministic apart from timings', async () => {
    const a = await runDemo({ steps: 40, out: join(dir, 'a.svg') }, { stdout: sink() });
    const b = await runDemo({ steps: 40, out: join(dir, 'b.svg') }, { stdout: sink() });
    for (let i = 0; i < 3; i++) {
      expect(b.runs[i].learningRate).toBe(a.runs[i].learningRate);
      expect(b.runs[i].losses).toEqual(a.runs[i].losses);
    }
  });
});
