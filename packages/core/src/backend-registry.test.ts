import { describe, expect, it } from 'vitest';
import type { BackendFactory, RMSPropBackend } from './backend.js';
import { BackendRegistry } from './backend-registry.js';
import type { DType } from './dtype.js';
import { ArgumentError, BackendUnavailableError, RMSPropError } from './errors.js';
import * as core from './index.js';

interface FakeBackend extends RMSPropBackend {
  disposeCount: number;
}

/** A minimal backend that only records disposal; enough for the registry, which never steps. */
function fakeBackend(name: string, options: { dtypes?: readonly DType[]; specVersion?: string; details?: Record<string, string> } = {}): FakeBackend {
  const backend: FakeBackend = {
    specVersion: (options.specVersion ?? 'v1') as 'v1',
    name,
    capabilities: {
      dtypes: options.dtypes ?? ['float32', 'float64'],
      bufferLocation: 'js-heap',
      hostVisible: true,
      hostArrays: 'adopted',
      details: options.details ?? { mode: name },
    },
    disposeCount: 0,
    createSlot() {
      throw new Error('not used');
    },
    step() {
      throw new Error('not used');
    },
    dispose() {
      backend.disposeCount += 1;
    },
  };
  return backend;
}

/** A factory that counts calls and remembers the backends it made. */
function counted(make: () => Promise<RMSPropBackend>): BackendFactory & { calls: number; made: FakeBackend[] } {
  const factory = (async () => {
    factory.calls += 1;
    const backend = await make();
    factory.made.push(backend as FakeBackend);
    return backend;
  }) as BackendFactory & { calls: number; made: FakeBackend[] };
  factory.calls = 0;
  factory.made = [];
  return factory;
}

const ok = (name: string, options?: Parameters<typeof fakeBackend>[1]) => counted(async () => fakeBackend(name, options));
const failing = (reason: unknown) =>
  counted(async () => {
    throw reason;
  });

async function rejection(promise: Promise<unknown>): Promise<BackendUnavailableError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error).toBeInstanceOf(RMSPropError);
    expect((error as BackendUnavailableError).code).toBe('BACKEND_UNAVAILABLE');
    expect((error as BackendUnavailableError).name).toBe('BackendUnavailableError');
    return error as BackendUnavailableError;
  }
  throw new Error('expected select() to reject');
}

describe('BackendRegistry: registration', () => {
  it('a fresh registry is empty, and importing the package registers nothing (no side effects)', async () => {
    expect(core.BackendRegistry).toBe(BackendRegistry);
    const registry = new BackendRegistry();
    expect(registry.entries()).toEqual([]);
    expect(await registry.list()).toEqual([]);
    const error = await rejection(registry.select());
    expect(error.message).toBe('no RMSProp backend could be initialised:');
    expect(error.skipped).toEqual([]);
  });

  it('registries are independent', () => {
    const a = new BackendRegistry().register('cpu', ok('cpu'), 100);
    const b = new BackendRegistry();
    expect(a.entries().map((e) => e.name)).toEqual(['cpu']);
    expect(b.entries()).toEqual([]);
  });

  it('register chains, replaces by name, unregister reports whether it removed anything', () => {
    const first = ok('cpu');
    const second = ok('cpu');
    const registry = new BackendRegistry();
    expect(registry.register('cpu', first, 1)).toBe(registry);
    registry.register('cpu', second, 5);
    expect(registry.entries()).toEqual([{ name: 'cpu', factory: second, priority: 5 }]);
    expect(registry.unregister('cpu')).toBe(true);
    expect(registry.unregister('cpu')).toBe(false);
    expect(registry.entries()).toEqual([]);
  });

  it('priority defaults to 0', () => {
    const registry = new BackendRegistry().register('x', ok('x'));
    expect(registry.entries()[0].priority).toBe(0);
  });

  it('entries() are highest priority first, ties in registration order', () => {
    const registry = new BackendRegistry()
      .register('low', ok('low'), -1)
      .register('tieA', ok('tieA'), 10)
      .register('high', ok('high'), 100)
      .register('tieB', ok('tieB'), 10);
    expect(registry.entries().map((e) => e.name)).toEqual(['high', 'tieA', 'tieB', 'low']);
  });

  it('rejects a bad name, factory or priority with ArgumentError naming it', () => {
    const registry = new BackendRegistry();
    const cases: [() => unknown, string, RegExp][] = [
      [() => registry.register('', ok('x')), 'name', /^name = "" is not allowed; expected a non-empty string$/],
      [() => registry.register(5 as unknown as string, ok('x')), 'name', /^name = 5 is not allowed; expected a non-empty string$/],
      [() => registry.register('x', 'cpu' as unknown as BackendFactory), 'factory', /^factory = "cpu" is not allowed; expected an async function returning a backend$/],
      [() => registry.register('x', ok('x'), NaN), 'priority', /^priority = NaN is not allowed; expected a finite number$/],
      [() => registry.register('x', ok('x'), Infinity), 'priority', /^priority = Infinity is not allowed; expected a finite number$/],
      [() => registry.register('x', ok('x'), '5' as unknown as number), 'priority', /^priority = "5" is not allowed; expected a finite number$/],
    ];
    for (const [fn, field, message] of cases) {
      let caught: unknown;
      try {
        fn();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ArgumentError);
      expect((caught as ArgumentError).code).toBe('INVALID_ARGUMENT');
      expect((caught as ArgumentError).field).toBe(field);
      expect((caught as Error).message).toMatch(message);
    }
    expect(registry.entries()).toEqual([]);
  });
});

describe('BackendRegistry.select', () => {
  it('initialises the highest priority backend only, and says why', async () => {
    const cpu = ok('cpu');
    const wasm = ok('wasm');
    const registry = new BackendRegistry().register('cpu', cpu, 100).register('wasm', wasm, 200);
    const selection = await registry.select();
    expect(selection.name).toBe('wasm');
    expect(selection.backend).toBe(wasm.made[0]);
    expect(selection.reason).toBe('highest priority available (priority 200)');
    expect(selection.skipped).toEqual([]);
    expect(cpu.calls).toBe(0); // lower priorities are not initialised once one works
    expect(wasm.made[0].disposeCount).toBe(0); // the chosen one is not disposed
  });

  it('falls back when a factory rejects, recording the reason', async () => {
    const gpu = failing(new Error('WebGL2 is not available'));
    const wasm = failing('no SIMD'); // not an Error: rendered with String()
    const sync = counted(() => {
      throw new TypeError('boom'); // a factory that throws synchronously
    });
    const cpu = ok('cpu');
    const registry = new BackendRegistry().register('gpu', gpu, 300).register('wasm', wasm, 200).register('sync', sync, 150).register('cpu', cpu, 100);
    const selection = await registry.select();
    expect(selection.name).toBe('cpu');
    expect(selection.reason).toBe('highest priority available (priority 100)');
    expect(selection.skipped).toEqual([
      { name: 'gpu', reason: 'init failed: WebGL2 is not available' },
      { name: 'wasm', reason: 'init failed: no SIMD' },
      { name: 'sync', reason: 'init failed: boom' },
    ]);
  });

  it('skips a factory that resolves to something that is not a backend', async () => {
    const bad = counted(async () => ({}) as RMSPropBackend);
    const nul = counted(async () => null as unknown as RMSPropBackend);
    const registry = new BackendRegistry().register('bad', bad, 2).register('nul', nul, 1).register('cpu', ok('cpu'), 0);
    const selection = await registry.select();
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([
      { name: 'bad', reason: 'factory did not return a backend' },
      { name: 'nul', reason: 'factory did not return a backend' },
    ]);
  });

  it('skips a backend declaring another spec version, and disposes it', async () => {
    const future = ok('future', { specVersion: 'v2' });
    const registry = new BackendRegistry().register('future', future, 10).register('cpu', ok('cpu'), 0);
    const selection = await registry.select();
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([{ name: 'future', reason: 'implements spec v2, not v1' }]);
    expect(future.made[0].disposeCount).toBe(1);
  });

  it('filters by dtype, disposing those that cannot run it', async () => {
    const gpu = ok('gpu', { dtypes: ['float32'] });
    const none = ok('none', { dtypes: [] });
    const cpu = ok('cpu');
    const registry = new BackendRegistry().register('gpu', gpu, 300).register('none', none, 200).register('cpu', cpu, 100);
    const selection = await registry.select({ dtype: 'float64' });
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([
      { name: 'gpu', reason: 'does not support float64 here (supports float32)' },
      { name: 'none', reason: 'does not support float64 here (supports nothing)' },
    ]);
    expect(gpu.made[0].disposeCount).toBe(1);
    expect(none.made[0].disposeCount).toBe(1);
    // float32 is fine for the gpu one.
    expect((await registry.select({ dtype: 'float32' })).name).toBe('gpu');
  });

  it('tries preferred names first, in the given order, then the rest by priority', async () => {
    const a = ok('a');
    const b = failing(new Error('b is broken'));
    const c = ok('c');
    const registry = new BackendRegistry().register('a', a, 1).register('b', b, 2).register('c', c, 3);
    const first = await registry.select({ prefer: ['a', 'c'] });
    expect(first.name).toBe('a');
    expect(first.reason).toBe('preferred by the caller');
    expect(c.calls).toBe(0);

    const second = await registry.select({ prefer: ['b', 'a'] });
    expect(second.name).toBe('a');
    expect(second.reason).toBe('preferred by the caller');
    expect(second.skipped).toEqual([{ name: 'b', reason: 'init failed: b is broken' }]);

    // A failing preferred backend falls back to priority order (c is highest).
    const third = await registry.select({ prefer: ['b'] });
    expect(third.name).toBe('c');
    expect(third.reason).toBe('highest priority available (priority 3)');
    expect(third.skipped).toEqual([{ name: 'b', reason: 'init failed: b is broken' }]);
  });

  it('tries a name given twice in prefer once, and a preferred name not again in priority order', async () => {
    const b = failing(new Error('nope'));
    const registry = new BackendRegistry().register('b', b, 5).register('a', ok('a'), 1);
    const selection = await registry.select({ prefer: ['b', 'b'] });
    expect(selection.name).toBe('a');
    expect(b.calls).toBe(1);
    expect(selection.skipped).toEqual([{ name: 'b', reason: 'init failed: nope' }]);
  });

  it('reports a preferred name that is not registered, listing what is', async () => {
    const registry = new BackendRegistry().register('cpu', ok('cpu'), 100).register('gpu', failing(new Error('no GPU')), 200);
    const selection = await registry.select({ prefer: ['wasm'] });
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([
      { name: 'wasm', reason: 'not registered (registered: cpu, gpu)' },
      { name: 'gpu', reason: 'init failed: no GPU' },
    ]);
    const empty = await rejection(new BackendRegistry().select({ prefer: ['wasm'] }));
    expect(empty.skipped).toEqual([{ name: 'wasm', reason: 'not registered (registered: none)' }]);
  });

  it('with only: true tries nothing but the preferred names', async () => {
    const cpu = ok('cpu');
    const gpu = failing(new Error('no GPU'));
    const registry = new BackendRegistry().register('cpu', cpu, 100).register('gpu', gpu, 200);
    const error = await rejection(registry.select({ prefer: ['gpu', 'wasm'], only: true }));
    expect(cpu.calls).toBe(0);
    expect(error.skipped).toEqual([
      { name: 'wasm', reason: 'not registered (registered: cpu, gpu)' },
      { name: 'gpu', reason: 'init failed: no GPU' },
    ]);
    expect((await registry.select({ prefer: ['cpu'], only: true })).name).toBe('cpu');
    // only without prefer tries nothing at all.
    const nothing = await rejection(registry.select({ only: true }));
    expect(nothing.skipped).toEqual([]);
  });

  it('rejects with BackendUnavailableError listing every reason when none works', async () => {
    const registry = new BackendRegistry()
      .register('gpu', failing(new Error('WebGL2 is not available')), 300)
      .register('wasm', ok('wasm', { dtypes: ['float32'] }), 200)
      .register('old', ok('old', { specVersion: 'v0' }), 100);
    const error = await rejection(registry.select({ dtype: 'float64', prefer: ['tfjs'] }));
    expect(error.skipped).toEqual([
      { name: 'tfjs', reason: 'not registered (registered: gpu, wasm, old)' },
      { name: 'gpu', reason: 'init failed: WebGL2 is not available' },
      { name: 'wasm', reason: 'does not support float64 here (supports float32)' },
      { name: 'old', reason: 'implements spec v0, not v1' },
    ]);
    expect(error.message).toBe(
      'no RMSProp backend could be initialised for float64:' +
        '\n  - tfjs: not registered (registered: gpu, wasm, old)' +
        '\n  - gpu: init failed: WebGL2 is not available' +
        '\n  - wasm: does not support float64 here (supports float32)' +
        '\n  - old: implements spec v0, not v1',
    );
  });

  it('calls factories again on each select (a backend is never shared between selections)', async () => {
    const cpu = ok('cpu');
    const registry = new BackendRegistry().register('cpu', cpu, 1);
    const a = await registry.select();
    const b = await registry.select();
    expect(a.backend).not.toBe(b.backend);
    expect(cpu.calls).toBe(2);
  });
});

describe('BackendRegistry.list', () => {
  it('reports every backend, available or not with the reason, in priority order, and disposes what it initialised', async () => {
    const cpu = ok('cpu', { details: { kernel: 'js' } });
    const f32 = ok('f32', { dtypes: ['float32'], details: { mode: 'webgl2' } });
    const gpu = failing(new Error('no adapter'));
    const old = ok('old', { specVersion: 'v0' });
    const registry = new BackendRegistry().register('cpu', cpu, 100).register('gpu', gpu, 300).register('f32', f32, 200).register('old', old, 50);
    const list = await registry.list();
    expect(list).toEqual([
      { name: 'gpu', priority: 300, available: false, reason: 'init failed: no adapter' },
      { name: 'f32', priority: 200, available: true, details: { mode: 'webgl2' } }, // no dtype filter in list()
      { name: 'cpu', priority: 100, available: true, details: { kernel: 'js' } },
      { name: 'old', priority: 50, available: false, reason: 'implements spec v0, not v1' },
    ]);
    for (const factory of [cpu, f32, gpu, old]) expect(factory.calls).toBe(1);
    expect(cpu.made[0].disposeCount).toBe(1);
    expect(f32.made[0].disposeCount).toBe(1);
    expect(old.made[0].disposeCount).toBe(1);
    // list() leaves the registry as it was.
    expect(registry.entries().map((e) => e.name)).toEqual(['gpu', 'f32', 'cpu', 'old']);
  });
});
