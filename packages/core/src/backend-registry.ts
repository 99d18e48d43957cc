import type { BackendDetails, BackendFactory, RMSPropBackend } from './backend.js';
import { describeReason } from './describe-reason.js';
import { DTYPES, type DType } from './dtype.js';
import { ArgumentError, BackendUnavailableError, type BackendSkip } from './errors.js';
import { readBackendShape, type BackendShape } from './read-backend-shape.js';
import { SPEC_VERSION } from './rmsprop-config.js';
import { settleWithin } from './settle-within.js';

/** A registered backend. */
export interface BackendEntry {
  readonly name: string;
  readonly factory: BackendFactory;
  /** Higher is tried first. */
  readonly priority: number;
}

/** What `select` chose and what it passed over, with reasons; `Backend` is the type of `backend`. */
export interface BackendSelection<Backend extends RMSPropBackend = RMSPropBackend> {
  readonly backend: Backend;
  readonly name: string;
  /** Why this one: its priority, or that it was preferred. */
  readonly reason: string;
  /** Backends tried before it (or not tried), each with the reason it was skipped. */
  readonly skipped: readonly BackendSkip[];
}

/** Availability of one backend in this environment, as found by `list()`. */
export interface BackendAvailability {
  readonly name: string;
  readonly priority: number;
  readonly available: boolean;
  /** Why it is not available (absent when available). */
  readonly reason?: string;
  /** A copy of the probed capabilities' details, when available. */
  readonly details?: BackendDetails;
  /** What went wrong that does not make it unavailable: its `dispose()` threw after the probe. */
  readonly warning?: string;
}

export interface SelectOptions {
  /**
   * Names to try first, in order, before the rest by priority. With `only: true`, nothing else is tried.
   */
  readonly prefer?: readonly string[];
  readonly only?: boolean;
  /** Skip backends that cannot run this dtype. */
  readonly dtype?: DType;
  /**
   * How long one factory may take, in milliseconds, before it is skipped ("init timed out after N ms"); a
   * backend it resolves to later is disposed. Overrides the registry's (default
   * {@link BackendRegistry.DEFAULT_TIMEOUT_MS}). `Infinity` waits as long as a factory takes.
   */
  readonly timeoutMs?: number;
}

const SELECT_KEYS = ['prefer', 'only', 'dtype', 'timeoutMs'] as const;
const TIMEOUT_KEYS = ['timeoutMs'] as const;
/** The longest delay `setTimeout` honours (larger ones fire at once). */
const MAX_TIMEOUT_MS = 2_147_483_647;
const NAME_ALLOWED = 'a non-empty string of at most 100 characters without control characters';

function isName(value: unknown): value is string {
  // Control characters (line breaks above all) in a name could forge lines of BackendUnavailableError's list.
  return typeof value === 'string' && value.length > 0 && value.length <= 100 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value);
}

/** The options object's known keys, each read once; refuses anything but undefined or an object, and unknown keys. */
function readOptions<K extends string>(options: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError('options', options, `an object { ${keys.map((key) => `${key}?`).join(', ')} } or undefined`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(keys as readonly string[]).includes(key)) throw new ArgumentError(`options.${key}`, record[key], `one of ${keys.join(', ')}`);
  }
  const read: Partial<Record<K, unknown>> = {};
  for (const key of keys) read[key] = record[key];
  return read;
}

function checkTimeoutMs(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value === Infinity || (value > 0 && value <= MAX_TIMEOUT_MS))) {
    throw new ArgumentError('options.timeoutMs', value, `a number of milliseconds > 0 and ≤ ${MAX_TIMEOUT_MS}, or Infinity for no limit`);
  }
  return value;
}

/** Calls `value.dispose()` where there is one; returns why it failed, or undefined. Never throws. */
function disposeQuietly(value: unknown): string | undefined {
  try {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
    const dispose = (value as { dispose?: unknown }).dispose;
    if (typeof dispose === 'function') (dispose as () => void).call(value);
    return undefined;
  } catch (error) {
    return describeReason(error);
  }
}

/** `reason`, with why disposing the passed-over backend failed where it did. */
function disposedWith(backend: unknown, reason: string): string {
  const failure = disposeQuietly(backend);
  return failure === undefined ? reason : `${reason}; and its dispose() threw: ${failure}`;
}

/**
 * A registry of backends. Nothing registers itself on import: callers register the backends they want
 * (`registry.register('cpu', createCpuBackend, 100)`), then `select` initialises the best one available.
 * A factory that rejects, does not settle within the time limit, or resolves to something that is not a
 * backend is passed over with the reason; `select` and `list` throw only for bad arguments.
 *
 * `Registered` is the type of the backend `select()` resolves to: `RMSPropBackend` for a new registry (and
 * for `BackendRegistry` without type arguments, which every registry is), and the union of the backends'
 * types along a chain of `register` calls from it: `new BackendRegistry().register('cpu', createCpuBackend)`
 * is a `BackendRegistry<JsLoopBackend | WasmSimdBackend>`, so the selected backend's capabilities are typed
 * (the CPU backend's `hostVisible: true` makes `RMSPropOptimizer.gradientBuffer` non-null). The type follows
 * the chain only: register every backend in one chain (a registry registered to in separate statements
 * keeps the type it had, and a chain on a registry typed `BackendRegistry` starts its union afresh).
 */
export class BackendRegistry<Registered extends RMSPropBackend = RMSPropBackend> {
  /** How long a factory may take by default, in milliseconds, before `select` and `list` skip it. */
  static readonly DEFAULT_TIMEOUT_MS = 10_000;

  readonly #entries = new Map<string, BackendEntry>();
  readonly #timeoutMs: number;

  /**
   * @param options `timeoutMs`: how long one factory may take before it is skipped, for every `select` and
   * `list` of this registry that does not give its own (default {@link BackendRegistry.DEFAULT_TIMEOUT_MS};
   * `Infinity` for no limit). Anything else is refused with {@link ArgumentError}.
   */
  constructor(options?: Pick<SelectOptions, 'timeoutMs'>) {
    this.#timeoutMs = checkTimeoutMs(readOptions(options, TIMEOUT_KEYS).timeoutMs, BackendRegistry.DEFAULT_TIMEOUT_MS);
  }

  /**
   * Register a backend under `name` (at most 100 characters, no control characters); a name registered
   * already is replaced and keeps its place among equal priorities. Bad arguments throw {@link ArgumentError}.
   */
  register<Backend extends RMSPropBackend>(
    name: string,
    factory: BackendFactory<Backend>,
    priority = 0,
  ): RMSPropBackend extends Registered ? BackendRegistry<Backend> : BackendRegistry<Registered | Backend> {
    if (!isName(name)) throw new ArgumentError('name', name, NAME_ALLOWED);
    if (typeof factory !== 'function') throw new ArgumentError('factory', factory, 'an async function returning a backend');
    if (!Number.isFinite(priority)) throw new ArgumentError('priority', priority, 'a finite number');
    this.#entries.set(name, { name, factory, priority });
    return this as unknown as RMSPropBackend extends Registered ? BackendRegistry<Backend> : BackendRegistry<Registered | Backend>;
  }

  /** Remove the backend registered under `name`; says whether there was one. A name that is not a string throws {@link ArgumentError}. */
  unregister(name: string): boolean {
    if (typeof name !== 'string') throw new ArgumentError('name', name, 'a string');
    return this.#entries.delete(name);
  }

  /** Copies of the registered entries, highest priority first (ties keep registration order). */
  entries(): BackendEntry[] {
    return [...this.#entries.values()].sort((a, b) => b.priority - a.priority).map((entry) => ({ ...entry }));
  }

  /**
   * Initialise backends in order (preferred names first, then by priority) and return the first that
   * initialises within `timeoutMs`, is shaped like a backend, supports `dtype` and declares this spec
   * version. Each one passed over is reported with its reason. Rejects with {@link BackendUnavailableError}
   * listing every reason when none works, and with {@link ArgumentError} for bad options (before any
   * factory runs). Backends initialised but not chosen are disposed, also those that arrive too late.
   */
  async select(options?: SelectOptions): Promise<BackendSelection<Registered>> {
    const read = readOptions(options, SELECT_KEYS);
    const prefer = this.#checkPrefer(read.prefer);
    if (read.only !== undefined && typeof read.only !== 'boolean') throw new ArgumentError('options.only', read.only, 'true or false');
    const only = read.only === true;
    const dtype = read.dtype;
    if (dtype !== undefined && !DTYPES.includes(dtype as DType)) {
      throw new ArgumentError('options.dtype', dtype, DTYPES.map((d) => `'${d}'`).join(' or '));
    }
    const timeoutMs = checkTimeoutMs(read.timeoutMs, this.#timeoutMs);

    const skipped: BackendSkip[] = [];
    const order: BackendEntry[] = [];
    for (const name of prefer) {
      const entry = this.#entries.get(name);
      if (entry === undefined) {
        skipped.push({ name, reason: `not registered (registered: ${[...this.#entries.keys()].join(', ') || 'none'})` });
      } else if (!order.includes(entry)) {
        order.push(entry);
      }
    }
    if (!only) {
      for (const entry of this.#sorted()) if (!order.includes(entry)) order.push(entry);
    }
    for (const entry of order) {
      const outcome = await this.#tryInit(entry, dtype as DType | undefined, timeoutMs);
      if (typeof outcome === 'string') {
        skipped.push({ name: entry.name, reason: outcome });
        continue;
      }
      const reason = prefer.includes(entry.name) ? `preferred by the caller` : `highest priority available (priority ${entry.priority})`;
      // The factory registered under this name resolved to it: a `Registered` (see the class comment).
      return { backend: outcome.backend as Registered, name: entry.name, reason, skipped };
    }
    const wanted = dtype === undefined ? '' : ` for ${String(dtype)}`;
    throw new BackendUnavailableError(`no RMSProp backend could be initialised${wanted}:`, skipped);
  }

  /**
   * Initialise every registered backend once to report what is available here and why not; disposes them.
   * `timeoutMs` as for `select`. Rejects only with {@link ArgumentError} for bad options.
   */
  async list(options?: Pick<SelectOptions, 'timeoutMs'>): Promise<BackendAvailability[]> {
    const timeoutMs = checkTimeoutMs(readOptions(options, TIMEOUT_KEYS).timeoutMs, this.#timeoutMs);
    const out: BackendAvailability[] = [];
    for (const entry of this.#sorted()) {
      const outcome = await this.#tryInit(entry, undefined, timeoutMs);
      if (typeof outcome === 'string') {
        out.push({ name: entry.name, priority: entry.priority, available: false, reason: outcome });
        continue;
      }
      const failure = disposeQuietly(outcome.backend);
      const available: BackendAvailability = { name: entry.name, priority: entry.priority, available: true, details: outcome.details };
      out.push(failure === undefined ? available : { ...available, warning: `dispose() threw: ${failure}` });
    }
    return out;
  }

  /** The entries themselves (not copies), highest priority first. */
  #sorted(): BackendEntry[] {
    return [...this.#entries.values()].sort((a, b) => b.priority - a.priority);
  }

  /** A copy of `prefer` once checked: an array of names. */
  #checkPrefer(prefer: unknown): readonly string[] {
    if (prefer === undefined) return [];
    if (!Array.isArray(prefer)) throw new ArgumentError('options.prefer', prefer, 'an array of backend names');
    const names: string[] = [];
    for (let i = 0; i < prefer.length; i++) {
      const name: unknown = prefer[i];
      if (!isName(name)) throw new ArgumentError(`options.prefer[${i}]`, name, NAME_ALLOWED);
      names.push(name);
    }
    return names;
  }

  /** The backend and what was read of it, or why it is passed over (having disposed what it could). */
  async #tryInit(entry: BackendEntry, dtype: DType | undefined, timeoutMs: number): Promise<BackendShape | string> {
    const { factory } = entry;
    const settlement = await settleWithin(() => factory(), timeoutMs, disposeQuietly);
    if (settlement.status === 'timed-out') return `init timed out after ${timeoutMs} ms`;
    if (settlement.status === 'rejected') return `init failed: ${describeReason(settlement.reason)}`;
    const shape = readBackendShape(settlement.value);
    if (typeof shape === 'string') return disposedWith(settlement.value, `factory did not return a backend: ${shape}`);
    if (shape.specVersion !== SPEC_VERSION) {
      return disposedWith(shape.backend, `implements spec ${describeReason(shape.specVersion)}, not ${SPEC_VERSION}`);
    }
    if (dtype !== undefined && !shape.dtypes.includes(dtype)) {
      const supported = describeReason(shape.dtypes.map(describeReason).join(', ') || 'nothing');
      return disposedWith(shape.backend, `does not support ${dtype} here (supports ${supported})`);
    }
    return shape;
  }
}
