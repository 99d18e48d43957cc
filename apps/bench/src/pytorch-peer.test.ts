import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PYTHON, PYTORCH_SCRIPT, PytorchProcess, pytorchEnvironment, pytorchImplementation } from './pytorch-peer.js';

const torchHere = existsSync(DEFAULT_PYTHON) && spawnSync(DEFAULT_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('pytorch peer', () => {
  it('ships its script', () => {
    expect(existsSync(PYTORCH_SCRIPT)).toBe(true);
  });

  it('runs torch on one thread, with malloc kept off mmap', () => {
    const env = pytorchEnvironment({ PATH: '/bin' });
    expect(env).toMatchObject({ PATH: '/bin', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', MALLOC_MMAP_MAX_: '0' });
  });

  it('says why when the Python is missing, instead of failing the bench', async () => {
    expect(await PytorchProcess.start('/nonexistent/python3')).toBe('/nonexistent/python3 does not exist');
  });

  it.skipIf(!torchHere)('speaks its protocol: setup, run (timed in Python), dispose, quit — where torch is importable', async () => {
    const peer = await PytorchProcess.start(DEFAULT_PYTHON);
    if (typeof peer === 'string') throw new Error(peer);
    try {
      expect(peer.threads).toBe(1);
      const impl = pytorchImplementation(peer, DEFAULT_PYTHON);
      const instance = await impl.create({ variant: 'centered+momentum', dtype: 'float64', n: 16, layout: 'single' });
      expect(await instance.run(3)).toBeGreaterThan(0);
      await instance.dispose();
      await expect(peer.request({ cmd: 'run', id: 999_999, steps: 1 })).rejects.toThrow(/pytorch peer: KeyError/);
    } finally {
      await peer.close();
    }
  });
});
