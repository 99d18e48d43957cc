import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { USAGE } from './cli-options.js';
import { main } from './main.js';
import { TARGET_LOSS } from './run-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'rmsprop-demo-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An io that captures what main writes; not a terminal, so no progress line is redrawn. */
function capture(cwd = dir): { stdout: { write(t: string): boolean; isTTY: boolean; text: string }; stderr: { write(t: string): boolean; text: string }; cwd: string } {
  const stdout = { text: '', isTTY: false, write: (t: string) => ((stdout.text += t), true) };
  const stderr = { text: '', write: (t: string) => ((stderr.text += t), true) };
  return { stdout, stderr, cwd };
}

/** The results table of the demo's output: one record per optimizer row, by column header. */
function parseTable(stdout: string): Map<string, Record<string, string>> {
  const lines = stdout.split('\n');
  const head = lines.findIndex((l) => l.startsWith('optimizer '));
  expect(head, 'table header').toBeGreaterThanOrEqual(0);
  expect(lines[head + 1]).toMatch(/^─+( {2}─+)+$/);
  const columns = lines[head].trim().split(/ {2,}/);
  const rows = new Map<string, Record<string, string>>();
  for (let i = head + 2; i < lines.length && lines[i].trim() !== ''; i++) {
    const cells = lines[i].trim().split(/ {2,}/);
    expect(cells, lines[i]).toHaveLength(columns.length);
    rows.set(cells[0], Object.fromEntries(columns.map((c, k) => [c, cells[k]])));
  }
  return rows;
}

describe('main', () => {
  it('prints the usage for --help and returns 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.text).toBe(USAGE);
    expect(io.stderr.text).toBe('');
  });

  it('returns 2 for a bad flag and writes the error and the usage to stderr', async () => {
    const io = capture();
    expect(await main(['--bogus'], io)).toBe(2);
    expect(io.stderr.text.startsWith('error: unknown option "--bogus"\n')).toBe(true);
    expect(io.stderr.text).toContain(USAGE);
    expect(io.stdout.text).toBe('');
    const steps = capture();
    expect(await main(['--steps', 'many'], steps)).toBe(2);
    expect(steps.stderr.text).toContain('--steps must be a whole number ≥ 4');
    expect(steps.stderr.text).toContain('"many"');
  });

  it('returns 1 and reports the error when the chart cannot be written', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const io = capture();
    expect(await main(['--steps', '8', '--out', join(blocker, 'chart.svg')], io)).toBe(1);
    expect(io.stderr.text).toMatch(/^\nerror: .*(ENOTDIR|EEXIST)/);
  });

  it('runs a short demo, resolving a relative --out against the io’s directory', async () => {
    const io = capture();
    expect(await main(['--steps', '200', '--out', 'nested/short.svg'], io)).toBe(0);
    expect(io.stderr.text).toBe('');
    const chart = join(dir, 'nested', 'short.svg');
    expect(existsSync(chart)).toBe(true);
    expect(io.stdout.text).toContain(`Chart    ${chart}`);
    expect(io.stdout.text).toContain('50 full-batch steps each');
    const table = parseTable(io.stdout.text);
    expect([...table.keys()]).toEqual(['SGD', 'AdaGrad', 'RMSProp']);
  });

  it(
    'runs the full default demo: names the backend, prints the table, writes the chart; RMSProp reaches the target in every phase, SGD in none',
    async () => {
      const out = join(dir, 'chart.svg');
      const io = capture();
      expect(await main(['--out', out], io)).toBe(0);
      expect(io.stderr.text).toBe('');
      const text = io.stdout.text;

      expect(text).toMatch(/^Backend {2}cpu: /m);
      expect(text).toContain('RMSProp runs in float64');
      expect(text).toContain('1000 full-batch steps each');
      expect(text).toContain(`Steps to reach loss ≤ ${TARGET_LOSS}`);
      expect(text).toMatch(/^optimizer +η +phase 1 +phase 2 +phase 3 +phase 4 +final loss +time$/m);

      // The README's claim, read from the table the user sees.
      const table = parseTable(text);
      expect([...table.keys()]).toEqual(['SGD', 'AdaGrad', 'RMSProp']);
      const phases = ['phase 1', 'phase 2', 'phase 3', 'phase 4'];
      for (const phase of phases) {
        const rms = table.get('RMSProp')![phase];
        expect(rms, `RMSProp ${phase}`).toMatch(/^\d+$/);
        expect(Number(rms)).toBeLessThanOrEqual(1000);
        expect(table.get('SGD')![phase], `SGD ${phase}`).toBe('not reached');
      }
      expect(Number(table.get('RMSProp')!['final loss'])).toBeLessThanOrEqual(TARGET_LOSS);
      expect(Number(table.get('SGD')!['final loss'])).toBeGreaterThan(TARGET_LOSS);
      expect(text).toMatch(/^Result {3}RMSProp does best: it reached the target in all 4 phases/m);

      const svg = readFileSync(out, 'utf8');
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toMatch(/<title[^>]*>SGD vs AdaGrad vs RMSProp/);
      expect([...svg.matchAll(/<path data-series="([^"]*)"/g)].map((m) => m[1])).toEqual(['SGD', 'AdaGrad', 'RMSProp']);
      expect(svg).toContain('backend &quot;cpu&quot; (float64)');
      expect(svg).not.toMatch(/NaN|Infinity/);
    },
  );
});
