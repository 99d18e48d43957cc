import { availableParallelism } from 'node:os';
import type { NonFiniteGradientPolicy } from '@rmsprop/core';
import { ceiling2tImplementation, ceilingImplementation } from './ceiling.js';
import { compileCeilingModule } from './ceiling-kernel.js';
import type { Implementation, UnavailableImplementation } from './implementation.js';
import { jsLoopImplementation } from './js-loop.js';
import { PytorchProcess, pytorchImplementation } from './pytorch-peer.js';
import { PATH_IMPLEMENTATION_NAMES } from './path-rows.js';
import { cpuImplementations } from './rmsprop-cpu.js';
import { pathImplementations } from './rmsprop-paths.js';
import { rmspropTfjsImplementation } from './rmsprop-tfjs.js';
import { allocatingJsImplementation } from './allocating-js.js';
import { compileSqrtDivModule, sqrtDivImplementation } from './sqrt-div.js';
import { tfjsPeerImplementation } from './tfjs-peer.js';
import { loadTfjs, probeTfjsBackend } from './tfjs-runtime.js';

/** Every implementation the bench knows, in the order of the tables. */
export const IMPLEMENTATION_NAMES = [
  'ceiling',
  'ceiling-2t',
  'sqrt-div',
  'rmsprop-cpu',
  'rmsprop-cpu-one',
  'rmsprop-cpu-js',
  'rmsprop-cpu-2t',
  ...PATH_IMPLEMENTATION_NAMES,
  'rmsprop-tfjs-cpu',
  'rmsprop-tfjs-wasm',
  'js-loop',
  'allocating-js',
  'tfjs-cpu',
  'tfjs-wasm',
  'pytorch',
] as const;

export interface AssembleOptions {
  /** Only these (undefined: all). */
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  readonly python: string;
  readonly nonFinite: NonFiniteGradientPolicy;
}

/**
 * The implementations that can run here, among those selected, each probed once (the CPU backend's
 * options, tfjs's backends, torch in the Python process, WebAssembly SIMD for the ceiling); the others with
 * the reason. Nothing is loaded or started for an implementation that is not selected.
 */
export async function assembleImplementations(options: AssembleOptions): Promise<{ implementations: Implementation[]; unavailable: UnavailableImplementation[] }> {
  const selected = (name: string): boolean => (options.only === undefined || options.only.includes(name)) && !(options.skip ?? []).includes(name);
  const found: Implementation[] = [];
  const unavailable: UnavailableImplementation[] = [];

  if (selected('ceiling')) {
    try {
      await compileCeilingModule();
      found.push(ceilingImplementation);
    } catch (error) {
      unavailable.push({ name: 'ceiling', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  if (selected('sqrt-div')) {
    try {
      await compileSqrtDivModule();
      found.push(sqrtDivImplementation);
    } catch (error) {
      unavailable.push({ name: 'sqrt-div', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  if (selected('rmsprop-cpu') || selected('rmsprop-cpu-one') || selected('rmsprop-cpu-js') || selected('rmsprop-cpu-2t')) {
    const cpu = await cpuImplementations(options.nonFinite);
    found.push(...cpu.implementations);
    unavailable.push(...cpu.unavailable);
  }
  if (PATH_IMPLEMENTATION_NAMES.some(selected)) {
    const paths = await pathImplementations();
    found.push(...paths.implementations);
    unavailable.push(...paths.unavailable);
  }
  const cores = availableParallelism();
  const twoThreads = found.findIndex((i) => i.name === 'rmsprop-cpu-2t');
  if (twoThreads >= 0 && cores < 2) {
    found.splice(twoThreads, 1);
    unavailable.push({ name: 'rmsprop-cpu-2t', reason: `${cores} core available here; 2 threads need 2 free cores` });
  }
  if (selected('ceiling-2t')) {
    if (cores < 2) unavailable.push({ name: 'ceiling-2t', reason: `${cores} core available here; 2 threads need 2 free cores` });
    else {
      try {
        await compileCeilingModule(true);
        found.push(ceiling2tImplementation);
      } catch (error) {
        unavailable.push({ name: 'ceiling-2t', reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  found.push(jsLoopImplementation, allocatingJsImplementation);

  const tfjsNames = ['rmsprop-tfjs-cpu', 'rmsprop-tfjs-wasm', 'tfjs-cpu', 'tfjs-wasm'];
  if (tfjsNames.some(selected)) {
    let version: string | undefined;
    try {
      version = (await loadTfjs()).version_core;
    } catch (error) {
      const reason = `@tensorflow/tfjs-core did not load: ${error instanceof Error ? error.message : String(error)}`;
      for (const name of tfjsNames) unavailable.push({ name, reason });
    }
    if (version !== undefined) {
      for (const backend of ['cpu', 'wasm'] as const) {
        const problem = await probeTfjsBackend(backend);
        if (problem !== undefined) {
          for (const name of [`rmsprop-tfjs-${backend}`, `tfjs-${backend}`]) unavailable.push({ name, reason: `tfjs's ${backend} backend: ${problem}` });
          continue;
        }
        found.push(rmspropTfjsImplementation(backend), tfjsPeerImplementation(backend, version));
      }
    }
  }

  if (selected('pytorch')) {
    const peer = await PytorchProcess.start(options.python);
    if (typeof peer === 'string') unavailable.push({ name: 'pytorch', reason: peer });
    else found.push(pytorchImplementation(peer, options.python));
  }

  const order = IMPLEMENTATION_NAMES as readonly string[];
  const implementations = found.filter((i) => selected(i.name)).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const dropped of found.filter((i) => !selected(i.name))) await dropped.close?.();
  return { implementations, unavailable: unavailable.filter((u) => selected(u.name)) };
}
