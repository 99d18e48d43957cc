/// <reference lib="dom" />
/**
 * The page inside a frame that runs under a Content-Security-Policy (see open-policy-frame.ts): its own
 * copy of this package and of gpu.js, so that the frame's policy governs what they evaluate. It records
 * every `securitypolicyviolation` and answers the parent through `window.policyFrame`, with plain data only
 * (errors as their name, code and message, classes not being shared between the two documents).
 */
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { BackendRegistry, BackendUnavailableError, RMSPropOptimizer } from '@rmsprop/core';
import { createGpujsBackend, type GpujsBackendOptions } from '../../index.js';

/** An error as plain data. */
export interface FrameError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  /** Whether it is this document's BackendUnavailableError. */
  readonly backendUnavailable: boolean;
}

/** A violation event as plain data. */
export interface FrameViolation {
  readonly directive: string;
  readonly blockedURI: string;
  readonly disposition: string;
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

const seen: FrameViolation[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  seen.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI, disposition: event.disposition });
});

function plain(error: unknown): FrameError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  return {
    name: String(e?.name),
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: String(e?.message ?? error),
    backendUnavailable: error instanceof BackendUnavailableError,
  };
}

/** The run train() does, shared with the parent (which runs it without a policy). */
export async function trainGpujs(mode: 'webgl2' | 'cpu', length: number, steps: number): Promise<number[]> {
  const backend = await createGpujsBackend({ mode });
  try {
    const start = Float32Array.from({ length }, (_, i) => Math.cos(0.37 * i));
    const optimizer = new RMSPropOptimizer({ backend, params: { w: start }, learningRate: 1e-2, momentum: 0.9, centered: true });
    for (let t = 1; t <= steps; t++) optimizer.step({ w: Float32Array.from({ length }, (_, i) => Math.sin(0.11 * i + 0.7 * t)) });
    return Array.from(optimizer.readParameter('w') as Float32Array);
  } finally {
    backend.dispose();
  }
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
    return [...seen];
  },
};

(window as unknown as { policyFrame: PolicyFrame }).policyFrame = frame;
parent.postMessage({ policyFrameReady: frameElement?.id }, '*');
