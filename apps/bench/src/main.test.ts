import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { USAGE } from './cli-options.js';
import { main } from './main.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-bench-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An io that captures what main writes; not a terminal, so progress comes as plain lines. */
function capture(): { stdout: { write(t: string): boolean; text: string }; stderr: { write(t: string): boolean; isTTY: boolean; text: string }; cwd: string } {
  const stdout = { text: '', write: (t: string) => ((stdout.text += t), true) };
  const stderr = { text: '', isTTY: false, write: (t: string) => ((stderr.text += t), true) };
  return { stdout, stderr, cwd: dir };
}

/** The smallest real run: one case, tiny samples; it checks the plumbing, never a speed. */
const TINY = ['--sizes', '1000', '--variants', 'plain', '--dtypes', 'float32', '--rounds', '2', '--target-ms', '2', '--warmup-ms', '1', '--alloc-steps', '20'];

describe('main', () => {
  it('runs a tiny bench end to end: tables, goals, allocation check, chart and JSON', async () => {
    const io = capture();
    const only = 'ceiling,rmsprop-cpu,js-loop,allocating-js,tfjs-cpu,tfjs-wasm';
    const code = await main([...TINY, '--only', only, '--json', 'bench.json', '--out', 'chart.svg'], io);
    expect(io.stderr.text).not.toMatch(/error/);
    expect(code).toBe(0);
    const out = io.stdout.text;
    expect(out).toMatch(/^rmsprop bench: 1 cases, 6 implementations\nmachine: /);
    expect(out).toContain('float32 · plain · one parameter · 20 bytes/element of traffic');
    for (const name of only.split(',')) expect(out).toMatch(new RegExp(`\\n${name}\\s+\\d\\.\\d\\de\\d+ \\(\\d`));
    expect(out).toMatch(/\nrmsprop-cpu ÷ row\s+n=1e3\n/);
    expect(out).toMatch(/zero-allocation check \(rmsprop-cpu, float32 plain, n=100000, 20 steps/);
    expect(out).toMatch(/goals, from this run’s ratios:\n/);
    expect(out).toMatch(/not measured\s+N = 1e7: rmsprop-cpu vs the memory ceiling/);
    expect(out).toMatch(/\d+ met, \d+ NOT met, \d+ not measured\n/);
    expect(io.stderr.text).toContain('100% done\n');

    const json = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
    expect(Object.keys(json.machine)).toEqual(expect.arrayContaining(['cpuModel', 'logicalCores', 'node', 'totalMemoryBytes']));
    expect(json.rows.map((r: { implementation: string }) => r.implementation).sort()).toEqual(only.split(',').sort());
    for (const r of json.rows) {
      expect(r).toMatchObject({ variant: 'plain', dtype: 'float32', n: 1000, layout: 'single' });
      expect(r.elementsPerSecond).toBeGreaterThan(0);
    }
    expect(json.goals).toHaveLength(21);
    expect(json.allocation.steps).toBe(20);

    const svg = readFileSync(join(dir, 'chart.svg'), 'utf8');
    expect(svg).toContain('<path data-series="rmsprop-cpu"');
  });

  it('times the path rows beside the careful path and prints a paths table per case, in the JSON too', async () => {
    const io = capture();
    const only = 'rmsprop-cpu,readme,own-arrays,own-arrays-read-only,own-arrays-propagate,views-error,js-in-place';
    const code = await main([...TINY, '--only', only, '--json', 'paths.json', '--out', 'paths.svg', '--alloc-steps', '0'], io);
    expect(code).toBe(0);
    const out = io.stdout.text;
    expect(out).toMatch(/RMSPropOptimizer\.step as users call it/);
    expect(out).toMatch(/paths · float32 plain n=1e3\npath\s+elements\/s\s+÷ rmsprop-cpu\s+÷ pytorch\n/);
    expect(out).toMatch(/\nrmsprop-cpu\s+\d\.\d\de\d+\s+1\.00\s+—\n/);
    expect(out).toMatch(/not measured\s+N = 1e5: readme vs torch\.optim\.RMSprop/);
    const json = JSON.parse(readFileSync(join(dir, 'paths.json'), 'utf8'));
    expect(json.rows.map((r: { implementation: string }) => r.implementation).sort()).toEqual(only.split(',').sort());
    expect(Object.keys(json.implementations).sort()).toEqual(only.split(',').sort());
  });

  it('still runs, and says why, when an implementation cannot start here (no Python)', async () => {
    const io = capture();
    const code = await main([...TINY, '--only', 'js-loop,pytorch', '--python', '/nonexistent/python3', '--out', 'none.svg'], io);
    expect(code).toBe(0);
    expect(io.stdout.text).toMatch(/not available here:\n\s+pytorch\s+\/nonexistent\/python3 does not exist/);
    expect(io.stdout.text).toMatch(/zero-allocation check: rmsprop-cpu is not in this run/);
    expect(existsSync(join(dir, 'none.svg'))).toBe(true);
  });

  it('prints the usage for --help and exits 2 on a bad command line', async () => {
    const help = capture();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.stdout.text).toBe(USAGE);
    const bad = capture();
    expect(await main(['--only', 'numpy'], bad)).toBe(2);
    expect(bad.stderr.text).toMatch(/^error: unknown implementation "numpy"/);
  });
});
