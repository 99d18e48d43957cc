/// <reference lib="dom" />
/**
 * The page inside a frame that runs under a Content-Security-Policy (see open-policy-frame.ts): its own
 * copy of this package and of gpu.js, so that the frame's policy governs what they evaluate. It records
 * every `securitypolicyviolation` (record-violations.ts, imported first) and answers the parent through
 * `window.policyFrame` with plain data only (errors as their name, code and message: the two documents
 * do not share classes).
 */
// First, so that its listener hears what importing gpu.js would report.
import { violationsSoFar, type FrameViolation } from './record-violations.js';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { BackendRegistry, BackendUnavailableError } from '@rmsprop/core';
import { createGpujsBackend, type GpujsBackendOptions } from '../../index.js';
import { trainGpujs } from './train-gpujs.js';

/** An error as plain data. */
export interface FrameError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  /** Whether it is this document's BackendUnavailableError. */
  readonly backendUnavailable: boolean;
}

/** What the frame offers its parent. */
export interface PolicyFrame {
  /** Whether `new Function('')` compiles here, or the engine's words why not. */
  evalAllowed(): true | string;
  /** createGpujsBackend(options): the mode it runs in, or its error. */
  create(options: GpujsBackendOptions): Promise<{ mode: string } | { error: FrameError }>;
  /** θ after `steps` RMSProp steps (momentum, centered) from a fixed start with fixed gradients on gpu.js in `mode`. */
  train(mode: 'webgl2' | 'cpu', length: number, steps: number): Promise<number[]>;
  /** A registry of gpu.js in cpu mode (priority 10) and the CPU backend's JS loops (0): what it selects and skips. */
  select(): Promise<{ name: string; skipped: { name: string; reason: string }[] }>;
  /** The violations reported so far, after letting pending reports arrive. */
  violations(): Promise<FrameViolation[]>;
}

function plain(error: unknown): FrameError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: String(e?.name),
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: String(e?.message ?? error),
    backendUnavailable: error instanceof BackendUnavailableError,
  };
}

const frame: PolicyFrame = {
  evalAllowed() {
    try {
      new Function('');
      return true;
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  },
  async create(options) {
    try {
      const backend = await createGpujsBackend(options);
      const mode = backend.mode;
      backend.dispose();
      return { mode };
    } catch (error) {
      return { error: plain(error) };
    }
  },
  train: trainGpujs,
  async select() {
    const registry = new BackendRegistry()
      .register('gpujs', () => createGpujsBackend({ mode: 'cpu' }), 10)
      .register('cpu', () => createCpuBackend({ kernel: 'js' }), 0);
    const { name, backend, skipped } = await registry.select();
    backend.dispose();
    return { name, skipped: skipped.map((s) => ({ name: s.name, reason: s.reason })) };
  },
  async violations() {
    // Reports are queued as tasks: let those of the last call arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return violationsSoFar();
  },
};

(window as unknown as { policyFrame: PolicyFrame }).policyFrame = frame;
parent.postMessage({ policyFrameReady: frameElement?.id }, '*');
