import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { engine, env } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { CONFORMANCE_BACKENDS } from './backend-table.js';
import { main } from './cli.js';
import { loadCommittedVectors } from './load-golden-files.js';

/** The workspace root, where @rmsprop/backend-cpu is installed (as a user's project would have it). */
const REPO_ROOT = resolve(import.meta.dirname, '../../..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], cwd = REPO_ROOT): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  return { code, stdout, stderr };
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)!;
const SUMMARY = /^conformance: (\d+) passed, (\d+) failed, (\d+) skipped \((\d+) cases × (\d+) implementations\)$/;

let dir: string;
/** Write `content` (JSON-encoded unless a string) to a file in the temp directory; returns its path. */
function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rmsprop-conformance-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The first words of the banner tfjs's cpu backend prints on its first tensor in Node. */
const TFJS_NODE_BANNER = 'looks like you are running TensorFlow.js in Node.js';

// First in the file: tfjs prints its banner once per process (on the first tensor its cpu backend holds),
// so this must be the first run of tfjs-cpu here for the test to see whether the CLI lets it through.
describe('rmsprop-conformance: tfjs in Node', () => {
  it("tfjs's Node banner does not reach the console; tfjs's other warnings are left on", async () => {
    expect(Object.hasOwn(engine().registry, 'cpu'), "tfjs's cpu backend was started before this test: its banner cannot show").toBe(false);
    const file = write('mine.json', goldenFile(handComputedPlainCase()));
    const printed: unknown[][] = [];
    const spies = (['warn', 'log', 'info', 'error'] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args)));
    let r: Result;
    try {
      r = await cli(['--backend', 'tfjs-cpu', '--vectors', file]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(r.stdout, 'backend-tfjs did not load from the workspace root: build it first (pnpm build)').toMatch(/^case +dtype +spec +tfjs-cpu$/m);
    expect(Object.hasOwn(engine().registry, 'cpu')).toBe(true);
    expect(JSON.stringify(printed)).not.toContain(TFJS_NODE_BANNER);
    expect(r.stdout + r.stderr).not.toContain(TFJS_NODE_BANNER);
    // PROD (what silences tfjs's log.warn) is back to its default, so any later tfjs warning is printed.
    expect(env().getBool('PROD')).toBe(false);
  });
});

describe('rmsprop-conformance: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: rmsprop-conformance/);
      expect(r.stdout).toContain('--vectors FILE');
      expect(r.stderr).toBe('');
    }
  });

  it('--help links the format description absolutely (docs/ is not in the npm package) and says --name=VALUE works', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toContain('https://github.com/rmsprop/rmsprop/blob/main/docs/conformance.md');
    expect(r.stdout).not.toMatch(/[^/]docs\/conformance\.md/);
    expect(r.stdout).toContain('--name=VALUE');
  });

  it('--vectors=FILE, --backend=NAME and --limit=NAME=N work as with a space', async () => {
    const file = write('equals.json', goldenFile(handComputedPlainCase()));
    const spaced = await cli(['--backend', 'cpu', '--limit', 'maxSteps=2', '--vectors', file]);
    const joined = await cli(['--backend=cpu', '--limit=maxSteps=2', `--vectors=${file}`]);
    expect(joined.stderr).toBe('');
    expect(joined.code).toBe(0);
    expect(joined).toEqual(spaced);
    expect(lastLine(joined.stdout)).toBe('conformance: 2 passed, 0 failed, 0 skipped (1 cases × 2 implementations)');
  });

  it('a value for --json, or an argument outside --vectors, exits 2 with the usage', async () => {
    for (const argv of [['--json=yes'], ['mine.json'], ['--backend', 'cpu', 'mine.json']]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\n\nUsage: rmsprop-conformance/);
      expect(r.stdout).toBe('');
    }
  });

  it('an unknown flag exits 2 with the usage on stderr', async () => {
    const r = await cli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown argument "--frobnicate"');
    expect(r.stderr).toContain('Usage: rmsprop-conformance');
    expect(r.stdout).toBe('');
  });

  it('flags missing their values exit 2', async () => {
    expect((await cli(['--backend'])).code).toBe(2);
    expect((await cli(['--backend', '--json'])).code).toBe(2);
    const r = await cli(['--vectors', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--vectors needs at least one file');
  });

  it('--backend with a name not in the table exits 2 naming it', async () => {
    const r = await cli(['--backend', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nope"');
    expect(r.stderr).toContain('cpu');
    expect(r.stdout).toBe('');
    expect((await cli(['--backend=cpu,nope'])).stderr).toContain('"nope"');
  });
});

describe('rmsprop-conformance: the committed vectors', () => {
  const cases = loadCommittedVectors();

  it('runs every committed case on the spec and the CPU backend and exits 0', async () => {
    const r = await cli([]);
    expect(r.stdout, 'the CPU backend did not load from the workspace root: build it first (pnpm build)').not.toContain('Backends: cpu: not run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // spec, cpu, then any other backend of the table that runs here.
    const header = lines.find((l) => l.startsWith('case '))!.split(/ +/);
    expect(header.slice(0, 4)).toEqual(['case', 'dtype', 'spec', 'cpu']);
    for (const name of header.slice(4)) expect(CONFORMANCE_BACKENDS.map((b) => b.name)).toContain(name);
    for (const c of cases) expect(lines.some((l) => l.startsWith(`${c.name} `)), c.name).toBe(true);
    const summary = SUMMARY.exec(lastLine(r.stdout));
    expect(summary, lastLine(r.stdout)).not.toBeNull();
    const [, passed, failed, skipped, total, implementations] = summary!.map(Number);
    expect(failed).toBe(0);
    expect(total).toBe(cases.length);
    expect(implementations).toBe(header.length - 2);
    expect(passed + skipped).toBe(implementations * cases.length);
    expect(passed).toBeGreaterThan(skipped);
    expect(r.stdout).not.toContain('Failures:');
    expect(r.stdout).toMatch(/Tolerances:\n(.*\n)*  cpu float64: 8 ulp — /);
  });

  it('--json prints the matrix as JSON (summary on stderr)', async () => {
    const r = await cli(['--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      implementations: string[];
      summary: { passed: number; failed: number; skipped: number; cases: number };
      rows: { case: string; dtype: string; source: string; file: string; cells: { implementation: string; status: string }[] }[];
      notes: string[];
    };
    expect(json.implementations.slice(0, 2)).toEqual(['spec', 'cpu']);
    expect(json.summary.failed).toBe(0);
    expect(json.summary.cases).toBe(cases.length);
    expect(json.rows.map((row) => row.case)).toEqual(cases.map((c) => c.name));
    for (const row of json.rows) {
      expect(row.cells.map((cell) => cell.implementation)).toEqual(json.implementations);
      for (const cell of row.cells) expect(['pass', 'skip']).toContain(cell.status);
    }
    expect(json.notes.filter((n) => n.startsWith('cpu'))).toEqual([]);
    expect(r.stderr.trimEnd()).toMatch(SUMMARY);
  });
});

describe('rmsprop-conformance: a user-supplied file', () => {
  const good = handComputedPlainCase();

  it('a valid hand-computed case passes on spec and cpu (path relative to the cwd)', async () => {
    write('mine.json', goldenFile(good));
    const r = await cli(['--backend', 'cpu', '--vectors', 'mine.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lastLine(r.stdout)).toBe('conformance: 2 passed, 0 failed, 0 skipped (1 cases × 2 implementations)');
    expect(r.stdout).toMatch(/^user\/float64\/plain-two-steps +float64 +pass .* +pass /m);
  });

  it('--backend cpu (and --backend=cpu, --backend all) runs the named backend', async () => {
    const file = write('mine.json', goldenFile(good));
    for (const args of [['--backend', 'cpu'], ['--backend=cpu']]) {
      const r = await cli([...args, '--vectors', file]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^case +dtype +spec +cpu$/m);
      expect(lastLine(r.stdout)).toBe('conformance: 2 passed, 0 failed, 0 skipped (1 cases × 2 implementations)');
    }
    for (const args of [['--backend', 'all'], []]) {
      const r = await cli([...args, '--vectors', file]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^case +dtype +spec +cpu\b/m);
      expect(lastLine(r.stdout)).toMatch(/^conformance: \d+ passed, 0 failed, \d+ skipped \(1 cases × \d+ implementations\)$/);
    }
  });

  it('one expected value off by 0.1% exits 1, naming the case, the file and the field', async () => {
    const bad = handComputedPlainCase();
    bad.expected[1][0] *= 1.001;
    const file = write('off.json', goldenFile(bad));
    const r = await cli(['--backend', 'cpu', '--vectors', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^user\/float64\/plain-two-steps +float64 +FAIL .* +FAIL /m);
    expect(r.stdout).toContain('Failures:');
    for (const impl of ['spec', 'cpu']) {
      // "got" the implementation's value (the right one, within 8 ulp), "expected" the file's (off by 0.1%).
      const prefix = `  user/float64/plain-two-steps on ${impl} (${file}): expected[1][0]: `;
      const line = r.stdout.split('\n').find((l) => l.startsWith(prefix)) ?? expect.fail(r.stdout);
      const [, got, expected] = /^got (\S+), expected (\S+) \(tolerance 8 ulp\)$/.exec(line.slice(prefix.length)) ?? expect.fail(line);
      expect(Number(got)).toBeCloseTo(good.expected[1][0], 14);
      expect(Number(expected)).toBe(bad.expected[1][0]);
    }
    expect(lastLine(r.stdout)).toBe('conformance: 0 passed, 2 failed, 0 skipped (1 cases × 2 implementations)');
  });

  it('a wrong final state exits 1 naming finalState.meanSquare[i]', async () => {
    const bad = handComputedPlainCase();
    bad.finalState.meanSquare[2] *= 1.001;
    const r = await cli(['--vectors', write('state.json', goldenFile(bad))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('user/float64/plain-two-steps on spec');
    expect(r.stdout).toContain('finalState.meanSquare[2]');
  });

  it('--json on a failing file exits 1 and reports the first failure', async () => {
    const bad = handComputedPlainCase();
    bad.expected[1][0] *= 1.001;
    const r = await cli(['--json', '--backend', 'cpu', '--vectors', write('off.json', goldenFile(bad))]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { rows: { case: string; cells: { status: string; firstFailure?: { field: string; actual: number; expected: number } }[] }[] };
    expect(json.rows[0].case).toBe('user/float64/plain-two-steps');
    for (const cell of json.rows[0].cells) {
      expect(cell.status).toBe('fail');
      // Named fields: actual is the implementation's value (here the right one), expected the file's.
      expect(cell.firstFailure).toEqual({ field: 'expected[1][0]', actual: expect.closeTo(good.expected[1][0], 14), expected: bad.expected[1][0] });
    }
  });

  it('a file that is not JSON exits 2 naming the file', async () => {
    const file = write('broken.json', '{ "format": "rmsprop-golden/1", "cases": [ ');
    const r = await cli(['--vectors', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('(json) is not valid JSON');
    expect(r.stdout).toBe('');
  });

  it('a file that cannot be read exits 2 naming it', async () => {
    const r = await cli(['--vectors', 'does-not-exist.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'does-not-exist.json'));
    expect(r.stderr).toContain('(file) cannot be read');
  });

  it('a case with a bad field exits 2 naming the file, the case and the field', async () => {
    const file = write('rho.json', goldenFile({ ...good, config: { ...good.config, rho: 1 } }));
    const r = await cli(['--vectors', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: case "user/float64/plain-two-steps": config.rho`);
    expect(r.stdout).toBe('');

    const { expected, ...rest } = good;
    const typo = write('typo.json', goldenFile({ ...rest, expect: expected }));
    const t = await cli(['--vectors', typo]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(`${typo}: case "user/float64/plain-two-steps": expect`);

    const notFloat32 = write('f32.json', goldenFile({ ...good, dtype: 'float32' }));
    const f = await cli(['--vectors', notFloat32]);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/f32\.json: case "user\/float64\/plain-two-steps": expected\[0\]\[0\] .*not a float32/);
  });

  it('the same case name in two files exits 2 naming the second file and the case', async () => {
    const a = write('a.json', goldenFile(good));
    const b = write('b.json', goldenFile(good));
    const r = await cli(['--vectors', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${b}: case "user/float64/plain-two-steps": name`);
    expect(r.stderr).toContain(a);
  });
});

/** A raw control or bidi formatting character other than the newline. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('rmsprop-conformance: hostile files', () => {
  /** A file of one case with `steps` empty steps (zero-length parameters), as text. */
  const emptySteps = (steps: number): string => {
    const rows = `${'[],'.repeat(steps - 1)}[]`;
    return `{"format":"rmsprop-golden/1","cases":[{"name":"x","source":"y","dtype":"float64","params":[],"grads":[${rows}],"expected":[${rows}]}]}`;
  };

  it('8,000,000 empty steps (48 MB) exit 2 at once with a one-line message naming the file, its size and the limit', async () => {
    const file = write('empty-steps.json', emptySteps(8_000_000));
    const started = performance.now();
    const r = await cli(['--vectors', file]);
    const ms = performance.now() - started;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${file}: (file) is 48000118 bytes; at most 16777216 are allowed (limit maxBytes; raise it with --limit maxBytes=N)\n`);
    expect(ms).toBeLessThan(5000);
  });

  it('more steps than maxSteps in a file under the size limit exit 2 with one line naming the case and the limit', async () => {
    const file = write('steps.json', emptySteps(100_001));
    const r = await cli(['--vectors', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${file}: case "x": grads has 100001 steps; at most 100000 are allowed in a file (limit maxSteps; raise it with --limit maxSteps=N)\n`);
  });

  it('2,000,000 empty steps (12 MB, under maxBytes) exit 2 quickly: more arrays than the limits allow, counted before JSON.parse', async () => {
    const file = write('many-steps.json', emptySteps(2_000_000));
    const started = performance.now();
    const r = await cli(['--vectors', file]);
    const ms = performance.now() - started;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: ${file}: (json) has 4000006 arrays and objects, more than 2 + 11 per case + 2 per step; at most 310002 are allowed in a file (limit maxSteps; raise it with --limit maxSteps=N)\n`,
    );
    expect(ms).toBeLessThan(1000);
  });

  it('--limit NAME=N sets a limit (repeated or comma-separated)', async () => {
    const file = write('mine.json', goldenFile(handComputedPlainCase()));
    const tight = await cli(['--backend', 'cpu', '--limit', 'maxSteps=1', '--vectors', file]);
    expect(tight.code).toBe(2);
    expect(tight.stderr).toContain('grads has 2 steps; at most 1 are allowed in a file (limit maxSteps');
    for (const args of [['--limit', 'maxSteps=2'], ['--limit=maxSteps=2,maxCases=1'], ['--limit', 'maxCases=1', '--limit', 'maxBytes=100000']]) {
      const r = await cli(['--backend', 'cpu', ...args, '--vectors', file]);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
    }
    const small = await cli(['--limit', 'maxBytes=100', '--vectors', file]);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/\(file\) is \d+ bytes; at most 100 are allowed \(limit maxBytes; raise it with --limit maxBytes=N\)\n$/);
  });

  it('a bad --limit exits 2 naming it, with the usage', async () => {
    for (const value of ['maxSteps', 'maxSteps=', 'maxSteps=0', 'maxSteps=1e3', 'maxSteps=-1', 'maxStep=10', '=10']) {
      const r = await cli(['--limit', value, '--vectors', 'x.json']);
      expect(r.code, value).toBe(2);
      expect(r.stderr, value).toContain('--limit');
      expect(r.stderr).toContain('Usage: rmsprop-conformance');
      expect(r.stdout).toBe('');
    }
    expect((await cli(['--limit'])).stderr).toContain('--limit needs a value');
    expect((await cli(['--limit', 'maxStep=10'])).stderr).toContain('maxBytes, maxCases, maxSteps, maxNumbers');
  });
});

describe('rmsprop-conformance: data from a file is printed escaped', () => {
  const HOSTILE = '\x1b[2J\x1b]0;title\x07\r999 passed\x9b\u202e';

  it('a case named with terminal escapes exits 2 and prints no raw control character', async () => {
    const file = write('named.json', goldenFile({ ...handComputedPlainCase(), name: `evil${HOSTILE}` }));
    for (const args of [[], ['--json']]) {
      const r = await cli([...args, '--vectors', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}: case "cases[0]": name is "evil\\u001b[2J`);
      expect(RAW_CONTROL.test(r.stdout + r.stderr), JSON.stringify(r.stderr)).toBe(false);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('a source and a path with terminal escapes: text and JSON output have none raw, JSON keeps the values', async () => {
    const bad = { ...handComputedPlainCase(), source: `made by ${HOSTILE}` };
    bad.expected[1][0] *= 1.001;
    const file = write(`evil${'\x1b[2J\u202e'}.json`, goldenFile(bad));
    const text = await cli(['--backend', 'cpu', '--vectors', file]);
    expect(text.code).toBe(1);
    expect(RAW_CONTROL.test(text.stdout + text.stderr), JSON.stringify(text.stdout)).toBe(false);
    expect(text.stdout).toContain(`user/float64/plain-two-steps on cpu (${dir}/evil\\x1b[2J\\u202e.json): expected[1][0]`);
    expect(lastLine(text.stdout)).toBe('conformance: 0 passed, 2 failed, 0 skipped (1 cases × 2 implementations)');

    const json = await cli(['--json', '--backend', 'cpu', '--vectors', file]);
    expect(json.code).toBe(1);
    expect(RAW_CONTROL.test(json.stdout + json.stderr), JSON.stringify(json.stdout)).toBe(false);
    const parsed = JSON.parse(json.stdout) as { rows: { source: string; file: string }[] };
    expect(parsed.rows[0].source).toBe(bad.source);
    expect(parsed.rows[0].file).toBe(file);
  });
});
