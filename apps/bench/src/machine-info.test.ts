import { describe, expect, it } from 'vitest';
import { formatMachineInfo, machineInfo } from './machine-info.js';

describe('machineInfo', () => {
  it('names the CPU, cores, memory, load, Node and V8, with extra facts appended', () => {
    const info = machineInfo({ 'rmsprop-cpu kernel': 'wasm-simd' });
    expect(typeof info.cpuModel).toBe('string');
    expect(info.logicalCores).toBeGreaterThan(0);
    expect(info.totalMemoryBytes).toBeGreaterThan(0);
    expect(info.node).toBe(process.version);
    expect(info['rmsprop-cpu kernel']).toBe('wasm-simd');
  });

  it('prints it in three lines', () => {
    const text = formatMachineInfo({
      cpuModel: 'Test CPU',
      logicalCores: 2,
      availableParallelism: 2,
      loadAverage1m: 0.5,
      loadAverage5m: 0.25,
      totalMemoryBytes: 8 * 2 ** 30,
      freeMemoryBytes: 6 * 2 ** 30,
      platform: 'linux x64',
      node: 'v20.20.2',
      v8: '11.3',
      torch: '1.13.0',
    });
    expect(text.split('\n')).toEqual([
      'machine: Test CPU, 2 logical cores (2 available), 8.0 GiB memory (6.0 GiB free), load 0.5/0.25 (1/5 min)',
      'runtime: Node v20.20.2, V8 11.3, linux x64',
      'torch: 1.13.0',
    ]);
  });
});
