/// <reference lib="dom" />
/**
 * The page inside a frame that runs under a Content-Security-Policy (open-policy-frame.ts): its own copy
 * of TensorFlow.js (cpu, webgl and webgpu registered) and of this package, so that the frame's policy
 * governs what they evaluate. Records every `securitypolicyviolation` from the start (record-violations.ts,
 * imported before tfjs) and answers the parent through `window.policyFrame` with plain data only.
 */
// First, so that its listener hears what importing tfjs reports.
import { violationsSoFar } from './record-violations.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { trainTfjs } from './train-tfjs.js';
export type { FrameViolation } from './record-violations.js';
import type { FrameViolation } from './record-violations.js';

/** What the frame offers its parent. */
export interface PolicyFrame {
  /** θ after `steps` RMSProp steps on the tfjs backend `tfjsBackend`, or the error's name and message. */
  train(tfjsBackend: string, steps: number): Promise<{ params: number[] } | { error: string }>;
  /** The violations reported so far, after letting pending reports arrive. */
  violations(): Promise<FrameViolation[]>;
}

const frame: PolicyFrame = {
  async train(tfjsBackend, steps) {
    try {
      return { params: await trainTfjs(tfjsBackend, steps) };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  },
  async violations() {
    // Reports are queued as tasks: let those of the last call arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return violationsSoFar();
  },
};

(window as unknown as { policyFrame: PolicyFrame }).policyFrame = frame;
parent.postMessage({ policyFrameReady: frameElement?.id }, '*');
