import { describe, expect, it, vi } from 'vitest';
import type { BackendFactory, RMSPropBackend } from './backend.js';
import { BackendRegistry, type BackendSelection, type SelectOptions } from './backend-registry.js';
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
      [() => registry.register('', ok('x')), 'name', /^name = "" is not allowed; expected a non-empty string of at most 100 characters without control characters$/],
      [() => registry.register(5 as unknown as string, ok('x')), 'name', /^name = 5 is not allowed; expected a non-empty string of at most 100 characters without control characters$/],
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
      { name: 'bad', reason: 'factory did not return a backend: name is undefined, expected a string' },
      { name: 'nul', reason: 'factory did not return a backend: it resolved to null' },
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

/** A factory whose promise never settles (a probe that waits forever for a device). */
const never = () => counted(() => new Promise<RMSPropBackend>(() => {}));

/** A factory that resolves to `backend` (or rejects with `reason`) after `ms` milliseconds; `settled` resolves then. */
function late(ms: number, outcome: { backend?: FakeBackend; reason?: unknown }): BackendFactory & { calls: number; settled: Promise<void> } {
  let done!: () => void;
  const settled = new Promise<void>((resolve) => (done = resolve));
  const factory = (() => {
    factory.calls += 1;
    return new Promise<RMSPropBackend>((resolve, reject) => {
      setTimeout(() => {
        if (outcome.backend !== undefined) resolve(outcome.backend);
        else reject(outcome.reason);
        setTimeout(done, 0); // after the registry's handlers for this settlement have run
      }, ms);
    });
  }) as BackendFactory & { calls: number; settled: Promise<void> };
  factory.calls = 0;
  factory.settled = settled;
  return factory;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function expectArgumentError(error: unknown, field: string, message: RegExp): void {
  expect(error).toBeInstanceOf(ArgumentError);
  expect((error as ArgumentError).code).toBe('INVALID_ARGUMENT');
  expect((error as ArgumentError).field).toBe(field);
  expect((error as Error).message).toMatch(message);
}

describe('BackendRegistry: factories that never settle', () => {
  it('select() skips a factory that does not settle within timeoutMs, with the reason, and falls back', { timeout: 2000 }, async () => {
    const stuck = never();
    const cpu = ok('cpu');
    const registry = new BackendRegistry().register('stuck', stuck, 10).register('cpu', cpu, 1);
    const selection = await registry.select({ timeoutMs: 20 });
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([{ name: 'stuck', reason: 'init timed out after 20 ms' }]);
    expect(stuck.calls).toBe(1);
  });

  it('the registry-wide timeoutMs applies to select() and list(); a call may override it', { timeout: 2000 }, async () => {
    const registry = new BackendRegistry({ timeoutMs: 15 }).register('stuck', never(), 10).register('cpu', ok('cpu'), 1);
    expect((await registry.select()).skipped).toEqual([{ name: 'stuck', reason: 'init timed out after 15 ms' }]);
    expect(await registry.list()).toEqual([
      { name: 'stuck', priority: 10, available: false, reason: 'init timed out after 15 ms' },
      { name: 'cpu', priority: 1, available: true, details: { mode: 'cpu' } },
    ]);
    expect((await registry.list({ timeoutMs: 5 }))[0].reason).toBe('init timed out after 5 ms');
    const error = await rejection(registry.select({ prefer: ['stuck'], only: true, timeoutMs: 7 }));
    expect(error.skipped).toEqual([{ name: 'stuck', reason: 'init timed out after 7 ms' }]);
  });

  it('the default timeout is 10 s', async () => {
    expect(BackendRegistry.DEFAULT_TIMEOUT_MS).toBe(10_000);
    vi.useFakeTimers();
    try {
      const registry = new BackendRegistry().register('stuck', never(), 10).register('cpu', ok('cpu'), 1);
      let result: BackendSelection | undefined;
      const pending = registry.select().then((selection) => (result = selection));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(result?.name).toBe('cpu');
      expect(result?.skipped).toEqual([{ name: 'stuck', reason: 'init timed out after 10000 ms' }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('disposes a backend whose factory resolves after it timed out (nothing leaks)', async () => {
    const slow = fakeBackend('slow');
    const factory = late(60, { backend: slow });
    const registry = new BackendRegistry().register('slow', factory, 10).register('cpu', ok('cpu'), 1);
    const selection = await registry.select({ timeoutMs: 10 });
    expect(selection.name).toBe('cpu');
    expect(slow.disposeCount).toBe(0);
    await factory.settled;
    expect(slow.disposeCount).toBe(1);

    const listed = fakeBackend('listed');
    const listFactory = late(60, { backend: listed });
    registry.register('slow', listFactory, 10);
    expect((await registry.list({ timeoutMs: 10 }))[0]).toEqual({ name: 'slow', priority: 10, available: false, reason: 'init timed out after 10 ms' });
    await listFactory.settled;
    expect(listed.disposeCount).toBe(1);
  });

  it('a late rejection, or a late backend whose dispose() throws, is swallowed (no unhandled rejection)', async () => {
    const rejecting = late(30, { reason: new Error('too late') });
    const throwing = fakeBackend('throwing');
    throwing.dispose = () => {
      throw new Error('dispose failed');
    };
    const disposing = late(30, { backend: throwing });
    const registry = new BackendRegistry().register('rejecting', rejecting, 3).register('throwing', disposing, 2).register('cpu', ok('cpu'), 1);
    const selection = await registry.select({ timeoutMs: 5 });
    expect(selection.skipped.map((s) => s.reason)).toEqual(['init timed out after 5 ms', 'init timed out after 5 ms']);
    await Promise.all([rejecting.settled, disposing.settled]);
    // vitest fails the run on an unhandled rejection; give it a macrotask to surface one.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('with timeoutMs: Infinity waits as long as a factory takes', async () => {
    const slow = fakeBackend('slow');
    const registry = new BackendRegistry({ timeoutMs: 1 }).register('slow', late(30, { backend: slow }), 10);
    const selection = await registry.select({ timeoutMs: Infinity });
    expect(selection.backend).toBe(slow);
  });

  it('refuses a bad timeoutMs with ArgumentError naming it, in the constructor, select() and list()', async () => {
    const allowed = /^options\.timeoutMs = .* is not allowed; expected a number of milliseconds > 0 and ≤ 2147483647, or Infinity for no limit$/;
    const factory = ok('cpu');
    const registry = new BackendRegistry().register('cpu', factory, 1);
    for (const bad of [0, -1, NaN, -Infinity, 2 ** 31, '10', null, true]) {
      expectArgumentError(thrown(() => new BackendRegistry({ timeoutMs: bad as number })), 'options.timeoutMs', allowed);
      expectArgumentError(await rejected(registry.select({ timeoutMs: bad as number })), 'options.timeoutMs', allowed);
      expectArgumentError(await rejected(registry.list({ timeoutMs: bad as number })), 'options.timeoutMs', allowed);
    }
    expect(factory.calls).toBe(0);
  });
});

describe('BackendRegistry: backends that misbehave fall back instead of aborting', () => {
  function throwingDispose(backend: FakeBackend): FakeBackend {
    backend.dispose = () => {
      backend.disposeCount += 1;
      throw new Error('dispose failed');
    };
    return backend;
  }

  it('a passed-over backend whose dispose() throws is skipped with both reasons', async () => {
    const future = throwingDispose(fakeBackend('future', { specVersion: 'v2' }));
    const f32 = throwingDispose(fakeBackend('f32', { dtypes: ['float32'] }));
    const registry = new BackendRegistry()
      .register('future', counted(async () => future), 3)
      .register('f32', counted(async () => f32), 2)
      .register('cpu', ok('cpu'), 1);
    const selection = await registry.select({ dtype: 'float64' });
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([
      { name: 'future', reason: 'implements spec v2, not v1; and its dispose() threw: dispose failed' },
      { name: 'f32', reason: 'does not support float64 here (supports float32); and its dispose() threw: dispose failed' },
    ]);
    expect(future.disposeCount).toBe(1);
    expect(f32.disposeCount).toBe(1);
  });

  it('list() reports a backend whose dispose() throws as available, with a warning, and goes on', async () => {
    const broken = throwingDispose(fakeBackend('broken'));
    const registry = new BackendRegistry().register('broken', counted(async () => broken), 2).register('cpu', ok('cpu'), 1);
    expect(await registry.list()).toEqual([
      { name: 'broken', priority: 2, available: true, details: { mode: 'broken' }, warning: 'dispose() threw: dispose failed' },
      { name: 'cpu', priority: 1, available: true, details: { mode: 'cpu' } },
    ]);
  });

  it('a factory result that is not shaped like a backend is skipped with what is wrong, and disposed where it can be', async () => {
    const noCapabilities = fakeBackend('noCapabilities') as Partial<FakeBackend> & FakeBackend;
    delete (noCapabilities as { capabilities?: unknown }).capabilities;
    const badDtypes = fakeBackend('badDtypes');
    (badDtypes as { capabilities: unknown }).capabilities = { ...badDtypes.capabilities, dtypes: 'float32' };
    const noDetails = fakeBackend('noDetails');
    (noDetails as { capabilities: unknown }).capabilities = { ...noDetails.capabilities, details: null };
    const noStep = fakeBackend('noStep');
    delete (noStep as { step?: unknown }).step;
    const trap = new Proxy(fakeBackend('trap'), {
      get(target, key, receiver) {
        if (key === 'specVersion') throw new Error('getter trap');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const registry = new BackendRegistry()
      .register('noCapabilities', counted(async () => noCapabilities), 9)
      .register('badDtypes', counted(async () => badDtypes), 8)
      .register('noDetails', counted(async () => noDetails), 7)
      .register('noStep', counted(async () => noStep), 6)
      .register('trap', counted(async () => trap), 5)
      .register('number', counted(async () => 5 as unknown as RMSPropBackend), 4)
      .register('cpu', ok('cpu'), 1);
    const expected = [
      { name: 'noCapabilities', reason: 'factory did not return a backend: capabilities is undefined, expected an object' },
      { name: 'badDtypes', reason: 'factory did not return a backend: capabilities.dtypes is "float32", expected an array' },
      { name: 'noDetails', reason: 'factory did not return a backend: capabilities.details is null, expected an object' },
      { name: 'noStep', reason: 'factory did not return a backend: step is undefined, expected a function' },
      { name: 'trap', reason: 'factory did not return a backend: reading specVersion threw: getter trap' },
      { name: 'number', reason: 'factory did not return a backend: it resolved to 5' },
    ];
    for (const dtype of [undefined, 'float64'] as const) {
      const selection = await registry.select({ dtype });
      expect(selection.name).toBe('cpu');
      expect(selection.skipped).toEqual(expected);
    }
    // The ones with a dispose() were disposed each time.
    expect(noCapabilities.disposeCount).toBe(2);
    expect(badDtypes.disposeCount).toBe(2);
    expect(noDetails.disposeCount).toBe(2);
    expect(noStep.disposeCount).toBe(2);
    const listed = await registry.list();
    expect(listed.filter((entry) => !entry.available).map(({ name, reason }) => ({ name, reason }))).toEqual(expected);
  });

  it('a factory that rejects with something that cannot be turned into a string still falls back', async () => {
    const registry = new BackendRegistry()
      .register('bare', failing(Object.create(null)), 3)
      .register('getter', failing(Object.defineProperty(new Error(), 'message', { get: () => { throw new Error('no message'); } })), 2)
      .register('cpu', ok('cpu'), 1);
    const selection = await registry.select();
    expect(selection.name).toBe('cpu');
    expect(selection.skipped).toEqual([
      { name: 'bare', reason: 'init failed: Object' },
      { name: 'getter', reason: 'init failed: Error' },
    ]);
  });

  it('bounds a reason quoted from a factory (a huge error message is cut, saying how much)', async () => {
    const registry = new BackendRegistry().register('huge', failing(new Error('x'.repeat(1_000_000))), 2).register('cpu', ok('cpu'), 1);
    const [skip] = (await registry.select()).skipped;
    expect(skip.reason).toBe(`init failed: ${'x'.repeat(500)}… (999500 more characters)`);
  });
});

describe('BackendRegistry: bad options and arguments are refused with typed errors', () => {
  it('select() refuses options that are not an object, unknown keys, and bad prefer, only and dtype, before initialising anything', async () => {
    const factory = ok('cpu');
    const registry = new BackendRegistry().register('cpu', factory, 1);
    const cases: [unknown, string, RegExp][] = [
      [null, 'options', /^options = null is not allowed; expected an object \{ prefer\?, only\?, dtype\?, timeoutMs\? \} or undefined$/],
      ['cpu', 'options', /^options = "cpu" is not allowed; expected an object/],
      [['cpu'], 'options', /^options = Array\(1\) is not allowed; expected an object/],
      [{ prefered: ['cpu'] }, 'options.prefered', /^options\.prefered = Array\(1\) is not allowed; expected one of prefer, only, dtype, timeoutMs$/],
      [{ prefer: 'cpu' }, 'options.prefer', /^options\.prefer = "cpu" is not allowed; expected an array of backend names$/],
      [{ prefer: ['cpu', 5] }, 'options.prefer[1]', /^options\.prefer\[1\] = 5 is not allowed; expected a non-empty string of at most 100 characters without control characters$/],
      [{ prefer: [''] }, 'options.prefer[0]', /^options\.prefer\[0\] = "" is not allowed/],
      // eslint-disable-next-line no-sparse-arrays
      [{ prefer: [, 'cpu'] }, 'options.prefer[0]', /^options\.prefer\[0\] = undefined is not allowed/],
      [{ only: 'yes' }, 'options.only', /^options\.only = "yes" is not allowed; expected true or false$/],
      [{ dtype: 'float16' }, 'options.dtype', /^options\.dtype = "float16" is not allowed; expected 'float32' or 'float64'$/],
    ];
    for (const [options, field, message] of cases) {
      expectArgumentError(await rejected(registry.select(options as SelectOptions)), field, message);
    }
    expect(factory.calls).toBe(0);
    // Present but undefined is the same as absent.
    expect((await registry.select({ prefer: undefined, only: undefined, dtype: undefined, timeoutMs: undefined })).name).toBe('cpu');
  });

  it('list() and the constructor refuse options that are not an object and unknown keys', async () => {
    const registry = new BackendRegistry().register('cpu', ok('cpu'), 1);
    expectArgumentError(await rejected(registry.list(null as unknown as { timeoutMs?: number })), 'options', /^options = null is not allowed; expected an object \{ timeoutMs\? \} or undefined$/);
    expectArgumentError(await rejected(registry.list({ dtype: 'float32' } as { timeoutMs?: number })), 'options.dtype', /^options\.dtype = "float32" is not allowed; expected one of timeoutMs$/);
    expectArgumentError(thrown(() => new BackendRegistry(5 as unknown as { timeoutMs?: number })), 'options', /^options = 5 is not allowed; expected an object \{ timeoutMs\? \} or undefined$/);
    expectArgumentError(thrown(() => new BackendRegistry({ timeout: 5 } as { timeoutMs?: number })), 'options.timeout', /^options\.timeout = 5 is not allowed; expected one of timeoutMs$/);
  });

  it('select() reads its options once: a factory changing the prefer array does not change the outcome', async () => {
    const prefer = ['a'];
    const a = counted(async () => {
      prefer.push('c'); // c was not preferred when select() was called
      throw new Error('a fails');
    });
    const registry = new BackendRegistry().register('a', a, 1).register('b', ok('b'), 2).register('c', ok('c'), 3);
    const selection = await registry.select({ prefer });
    expect(selection.name).toBe('c');
    expect(selection.reason).toBe('highest priority available (priority 3)');
  });

  it('register() refuses a name with control characters or over 100 characters; unregister() a name that is not a string', () => {
    const registry = new BackendRegistry();
    const allowed = /is not allowed; expected a non-empty string of at most 100 characters without control characters$/;
    expectArgumentError(thrown(() => registry.register('cpu\n  - gpu: forged', ok('x'))), 'name', allowed);
    expectArgumentError(thrown(() => registry.register('x'.repeat(101), ok('x'))), 'name', allowed);
    registry.register('x'.repeat(100), ok('x'));
    expectArgumentError(thrown(() => registry.unregister(5 as unknown as string)), 'name', /^name = 5 is not allowed; expected a string$/);
    expect(registry.entries().map((e) => e.name)).toEqual(['x'.repeat(100)]);
  });

  it('entries() returns copies: changing one does not change the registry', () => {
    const registry = new BackendRegistry().register('a', ok('a'), 2).register('b', ok('b'), 1);
    const [first] = registry.entries();
    (first as { priority: number }).priority = -100;
    (first as { name: string }).name = 'z';
    expect(registry.entries().map((e) => [e.name, e.priority])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
