import type { BackendFactory, RMSPropBackend } from './backend.js';
import type { DType } from './dtype.js';
import { ArgumentError, BackendUnavailableError, type BackendSkip } from './errors.js';
import { SPEC_VERSION } from './rmsprop-config.js';

/** A registered backend. */
export interface BackendEntry {
  readonly name: string;
  readonly factory: BackendFactory;
  /** Higher is tried first. */
  readonly priority: number;
}

/** What `select` chose and what it passed over, with reasons. */
export interface BackendSelection {
  readonly backend: RMSPropBackend;
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
  /** The probed capabilities' details, when available. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface SelectOptions {
  /**
   * Names to try first, in order, before the rest by priority. With `only: true`, nothing else is tried.
   */
  readonly prefer?: readonly string[];
  readonly only?: boolean;
  /** Skip backends that cannot run this dtype. */
  readonly dtype?: DType;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A registry of backends. Nothing registers itself on import: callers register the backends they want
 * (`registry.register('cpu', createCpuBackend, 100)`), then `select` initialises the best one available.
 */
export class BackendRegistry {
  readonly #entries = new Map<string, BackendEntry>();

  /** Register (or replace) a backend under `name`. */
  register(name: string, factory: BackendFactory, priority = 0): this {
    if (typeof name !== 'string' || name.length === 0) throw new ArgumentError('name', name, 'a non-empty string');
    if (typeof factory !== 'function') throw new ArgumentError('factory', factory, 'an async function returning a backend');
    if (!Number.isFinite(priority)) throw new ArgumentError('priority', priority, 'a finite number');
    this.#entries.set(name, { name, factory, priority });
    return this;
  }

  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  /** Registered entries, highest priority first (ties keep registration order). */
  entries(): BackendEntry[] {
    return [...this.#entries.values()].sort((a, b) => b.priority - a.priority);
  }

  /**
   * Initialise backends in order (preferred names first, then by priority) and return the first that
   * initialises, supports `dtype` and declares this spec version. Each one passed over is reported with
   * its reason. Rejects with {@link BackendUnavailableError} listing every reason when none works.
   * Backends initialised but not chosen are disposed.
   */
  async select(options: SelectOptions = {}): Promise<BackendSelection> {
    const prefer = options.prefer ?? [];
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
    if (options.only !== true) {
      for (const entry of this.entries()) if (!order.includes(entry)) order.push(entry);
    }
    for (const entry of order) {
      const outcome = await this.#tryInit(entry, options.dtype);
      if (typeof outcome === 'string') {
        skipped.push({ name: entry.name, reason: outcome });
        continue;
      }
      const preferred = prefer.includes(entry.name);
      const reason = preferred
        ? `preferred by the caller`
        : `highest priority available (priority ${entry.priority})`;
      return { backend: outcome, name: entry.name, reason, skipped };
    }
    const wanted = options.dtype === undefined ? '' : ` for ${options.dtype}`;
    throw new BackendUnavailableError(`no RMSProp backend could be initialised${wanted}:`, skipped);
  }

  /** Initialise every registered backend once to report what is available here and why not; disposes them. */
  async list(): Promise<BackendAvailability[]> {
    const out: BackendAvailability[] = [];
    for (const entry of this.entries()) {
      const outcome = await this.#tryInit(entry, undefined);
      if (typeof outcome === 'string') {
        out.push({ name: entry.name, priority: entry.priority, available: false, reason: outcome });
      } else {
        out.push({ name: entry.name, priority: entry.priority, available: true, details: outcome.capabilities.details });
        outcome.dispose();
      }
    }
    return out;
  }

  async #tryInit(entry: BackendEntry, dtype: DType | undefined): Promise<RMSPropBackend | string> {
    let backend: RMSPropBackend;
    try {
      backend = await entry.factory();
    } catch (error) {
      return `init failed: ${reasonOf(error)}`;
    }
    if (backend === null || typeof backend !== 'object' || typeof backend.createSlot !== 'function') {
      return 'factory did not return a backend';
    }
    if (backend.specVersion !== SPEC_VERSION) {
      backend.dispose();
      return `implements spec ${String(backend.specVersion)}, not ${SPEC_VERSION}`;
    }
    if (dtype !== undefined && !backend.capabilities.dtypes.includes(dtype)) {
      backend.dispose();
      return `does not support ${dtype} here (supports ${backend.capabilities.dtypes.join(', ') || 'nothing'})`;
    }
    return backend;
  }
}
