import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import type { Implementation, Instance } from './implementation.js';

/** The peer's script, beside src/ and dist/ alike. */
export const PYTORCH_SCRIPT = fileURLToPath(new URL('../python/pytorch-peer.py', import.meta.url));

export const DEFAULT_PYTHON = '/usr/bin/python3';

/**
 * The environment of the Python process: one thread everywhere (torch.set_num_threads(1) is also called,
 * for a like-for-like single-core comparison), and glibc's malloc kept off mmap so PyTorch's per-step
 * temporaries reuse heap pages instead of page-faulting fresh ones at large N (its best case).
 */
export function pytorchEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    MALLOC_MMAP_MAX_: '0',
    MALLOC_TRIM_THRESHOLD_: '68719476736',
    PYTHONUNBUFFERED: '1',
  };
}

type Reply = Record<string, unknown>;

/** The Python process: one request at a time, one JSON line each way. */
export class PytorchProcess {
  readonly torchVersion: string;
  readonly threads: number;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #replies: Reply[] = [];
  readonly #waiting: ((reply: Reply) => void)[] = [];
  #stderr = '';
  #closed = false;

  private constructor(child: ChildProcessWithoutNullStreams, ready: Reply) {
    this.#child = child;
    this.torchVersion = String(ready.torch);
    this.threads = Number(ready.threads);
  }

  /** Starts the script; resolves when torch has been imported, or to the reason it cannot run. */
  static start(python: string, timeoutMs = 120_000): Promise<PytorchProcess | string> {
    if (!existsSync(python)) return Promise.resolve(`${python} does not exist`);
    if (!existsSync(PYTORCH_SCRIPT)) return Promise.resolve(`${PYTORCH_SCRIPT} is missing`);
    return new Promise((resolve) => {
      let settled = false;
      let stderr = '';
      const child = spawn(python, [PYTORCH_SCRIPT], { env: pytorchEnvironment(process.env), stdio: ['pipe', 'pipe', 'pipe'] });
      const settle = (value: PytorchProcess | string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (typeof value === 'string') child.kill();
        resolve(value);
      };
      const timer = setTimeout(() => settle(`${python} did not import torch within ${timeoutMs / 1000} s`), timeoutMs);
      child.on('error', (error) => settle(`${python} could not start: ${error.message}`));
      child.on('exit', (code) => settle(`${python} exited (code ${code}) before it was ready${stderr ? `: ${lastLine(stderr)}` : ''}`));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const lines = createInterface({ input: child.stdout });
      let peer: PytorchProcess | undefined;
      lines.on('line', (line) => {
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          return; // not ours (a library printing to stdout)
        }
        if (peer !== undefined) return peer.#receive(reply);
        if (reply.ready === true) {
          peer = new PytorchProcess(child, reply);
          child.stderr.on('data', (chunk: Buffer) => (peer!.#stderr = (peer!.#stderr + chunk.toString()).slice(-4000)));
          child.on('exit', () => peer!.#onExit());
          settle(peer);
        } else settle(typeof reply.error === 'string' ? reply.error : `unexpected first line from the pytorch peer: ${line}`);
      });
    });
  }

  #receive(reply: Reply): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(reply);
    else this.#replies.push(reply);
  }

  #onExit(): void {
    this.#closed = true;
    const error = { error: `the pytorch peer exited${this.#stderr ? `: ${lastLine(this.#stderr)}` : ''}` };
    for (const waiter of this.#waiting.splice(0)) waiter(error);
  }

  /** Sends one request and waits for its reply; rejects on `{ error }`. */
  async request(message: Record<string, unknown>): Promise<Reply> {
    if (this.#closed) throw new Error('the pytorch peer has exited');
    const reply = new Promise<Reply>((resolve) => {
      const queued = this.#replies.shift();
      if (queued !== undefined) resolve(queued);
      else this.#waiting.push(resolve);
    });
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
    const answer = await reply;
    if (typeof answer.error === 'string') throw new Error(`pytorch peer: ${answer.error}`);
    return answer;
  }

  /** Asks the script to exit and waits for it (kills it after a second). */
  async close(): Promise<void> {
    if (this.#closed) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
    const timer = setTimeout(() => this.#child.kill(), 1000);
    await exited;
    clearTimeout(timer);
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

let instanceCounter = 0;

/** `pytorch`: torch.optim.RMSprop in a Python process started once (see python/pytorch-peer.py). */
export function pytorchImplementation(peer: PytorchProcess, python: string): Implementation {
  return {
    name: 'pytorch',
    role: 'peer',
    describe: () =>
      `torch.optim.RMSprop (torch ${peer.torchVersion}, foreach) via ${python}, torch.set_num_threads(1): one core, like-for-like; malloc kept off mmap (its best case)`,
    unsupported: () => undefined,
    facts: () => ({ torch: peer.torchVersion, 'torch threads': peer.threads }),
    async create(c: BenchCase): Promise<Instance> {
      const id = ++instanceCounter;
      const { count, size } = layoutShape(c);
      const { momentum, centered } = variantSettings(c.variant);
      await peer.request({ cmd: 'setup', id, dtype: c.dtype, count, size, lr: BENCH_LEARNING_RATE, rho: BENCH_RHO, eps: BENCH_EPSILON, momentum, centered });
      return {
        run: async (steps) => Number((await peer.request({ cmd: 'run', id, steps })).seconds),
        dispose: async () => void (await peer.request({ cmd: 'dispose', id })),
      };
    },
    close: () => peer.close(),
  };
}
