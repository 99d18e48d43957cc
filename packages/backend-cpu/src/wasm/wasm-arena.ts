import { ArgumentError, BackendUnavailableError } from '@rmsprop/core';
import { describeError } from './describe-error.js';

/** WebAssembly pages are 64 KiB. */
const PAGE = 65536;
/** The most pages a 32-bit WebAssembly memory can have (4 GiB). */
const MAX_PAGES = 65536;
/** Every block starts on a 16-byte boundary (one v128). */
const ALIGN = 16;

/** How the arena's memory behaves when it grows. */
export type ArenaMode = 'shared' | 'fixed';

/** A block of the arena that goes back to it once the views handed out for it are unreachable. */
export interface PendingBlock {
  readonly offset: number;
  readonly bytes: number;
}

/**
 * What tells the arena that a view handed out is unreachable: `register(target, block)` and, once `target`
 * has been collected, the callback it was made with is called with `block`. A FinalizationRegistry by
 * default; a test passes a stand-in (`WasmArena.create`'s `watch`) to say when.
 */
export interface UnreachableWatch {
  register(target: object, block: PendingBlock): void;
}

/**
 * One WebAssembly memory holding every slot's θ, g, v, m and b, with a first-fit allocator.
 *
 * Views handed out never go stale:
 * - `shared` (Node; browsers when cross-origin isolated): the memory is a shared one, which grows in
 *   place: growing it never detaches an earlier buffer, so every view made before stays valid.
 * - `fixed` (where shared memory is unavailable): an ordinary memory of `capacityBytes`, allocated once and
 *   never grown (growing would detach every view); an allocation that does not fit throws a typed error
 *   that names the `arenaBytes` option.
 *
 * And never alias memory that later belongs to someone else: a block whose views were handed out goes back
 * with `releaseWhenUnreachable`, which keeps it from the free list until the object the views hang on has
 * been collected (a FinalizationRegistry). Collection happens between tasks, so a loop that never yields
 * holds such blocks until it does (`pendingBytes`); blocks never handed out go back at once (`release`).
 */
export class WasmArena {
  readonly memory: WebAssembly.Memory;
  readonly mode: ArenaMode;
  /** The most bytes the arena can hold (4 GiB when shared, `arenaBytes` when fixed). */
  readonly capacityBytes: number;
  #top = ALIGN; // offset 0 is never handed out
  readonly #free: { offset: number; bytes: number }[] = [];
  /** Bytes of blocks waiting for their views to be collected. */
  #pending = 0;
  readonly #makeWatch: (onUnreachable: (block: PendingBlock) => void) => UnreachableWatch;
  #watch: UnreachableWatch | null = null;

  private constructor(
    memory: WebAssembly.Memory,
    mode: ArenaMode,
    capacityBytes: number,
    makeWatch: (onUnreachable: (block: PendingBlock) => void) => UnreachableWatch,
  ) {
    this.memory = memory;
    this.mode = mode;
    this.capacityBytes = capacityBytes;
    this.#makeWatch = makeWatch;
  }

  /**
   * A shared arena where shared WebAssembly memory exists, else a fixed one of `fixedBytes` (rounded up to
   * whole pages). `options.shared: false` makes a fixed one anyway (for tests of the fixed mode where shared
   * memory exists). `options.watch`: what says when views are unreachable (default: a FinalizationRegistry
   * made at the first `releaseWhenUnreachable`; tests pass a stand-in).
   */
  static create(
    fixedBytes: number,
    options: {
      readonly shared?: boolean;
      readonly watch?: (onUnreachable: (block: PendingBlock) => void) => UnreachableWatch;
    } = {},
  ): WasmArena {
    checkArenaBytes(fixedBytes);
    const watch = options.watch ?? ((onUnreachable) => new FinalizationRegistry<PendingBlock>(onUnreachable));
    if (options.shared !== false && typeof SharedArrayBuffer !== 'undefined') {
      try {
        const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
        if (memory.buffer instanceof SharedArrayBuffer) return new WasmArena(memory, 'shared', MAX_PAGES * PAGE, watch);
      } catch {
        // not cross-origin isolated, or no threads support: a fixed ordinary memory
      }
    }
    const pages = Math.ceil(fixedBytes / PAGE);
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    } catch (error) {
      throw new BackendUnavailableError(`could not allocate a WebAssembly memory of ${pages * PAGE} bytes (${(error as Error).message})`, []);
    }
    return new WasmArena(memory, 'fixed', pages * PAGE, watch);
  }

  /** Bytes handed out or held by the allocator so far (the high-water mark). */
  get usedBytes(): number {
    return this.#top;
  }

  /** Bytes of blocks given back with `releaseWhenUnreachable` whose views have not been collected yet. */
  get pendingBytes(): number {
    return this.#pending;
  }

  /** The offset of a new block of `bytes` (16-byte aligned, zero-filled). */
  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 0));
    if (size === 0) return ALIGN; // an empty block: any aligned offset, never read
    const hole = this.#free.findIndex((b) => b.bytes >= size);
    let offset: number;
    if (hole >= 0) {
      const block = this.#free[hole];
      offset = block.offset;
      if (block.bytes === size) this.#free.splice(hole, 1);
      else this.#free[hole] = { offset: block.offset + size, bytes: block.bytes - size };
    } else {
      offset = this.#top;
      const end = offset + size;
      if (end > this.capacityBytes) throw this.#fullError(end);
      this.#growTo(end);
      this.#top = end;
    }
    new Uint8Array(this.memory.buffer, offset, size).fill(0);
    return offset;
  }

  /**
   * Makes room for blocks of `sizes` that the next `alloc` calls will ask for, in this order, before any of
   * them is made: walks them through the free list and the top as `alloc` will, checks the highest end they
   * reach against `capacityBytes`, and grows the memory once to that end. Throws BackendUnavailableError
   * naming `what` (the parameters they are for), the bytes needed and the limit, or the engine's reason the
   * memory would not grow; either way the arena and its memory are as they were. The `alloc` calls that
   * follow neither grow the memory nor fail. So a request that can never fit is refused at once, rather
   * than after growing (and zero-filling) gigabytes that a WebAssembly memory never gives back.
   */
  reserve(sizes: readonly number[], what: string): void {
    const holes = this.#free.map((block) => block.bytes);
    let top = this.#top;
    let total = 0;
    for (const bytes of sizes) {
      const size = roundUp(Math.max(bytes, 0));
      if (size === 0) continue;
      total += size;
      const hole = holes.findIndex((free) => free >= size);
      if (hole < 0) top += size;
      else if (holes[hole] === size) holes.splice(hole, 1);
      else holes[hole] -= size;
    }
    if (top > this.capacityBytes) throw this.#fullError(top, `${total} bytes asked for ${what}`);
    this.#growTo(top, ` for ${what}`);
  }

  /** The memory grown to at least `end` bytes in one call, or a typed error and the memory unchanged. */
  #growTo(end: number, forWhat = ''): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    try {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    } catch (error) {
      throw new BackendUnavailableError(
        `the CPU backend's WebAssembly arena could not grow to ${end} bytes${forWhat} (${describeError(error)})`,
        [],
      );
    }
  }

  /** The error for an arena that cannot reach `end` bytes; `asked`: who asks for how much. */
  #fullError(end: number, asked?: string): BackendUnavailableError {
    return new BackendUnavailableError(
      `the CPU backend's WebAssembly arena is full: ${end} bytes needed, ${this.capacityBytes} available` +
        (this.#pending === 0
          ? ''
          : `; ${this.#pending} of them hold blocks of disposed slots whose views handed out are still reachable ` +
            `(they come back once those views are collected)`) +
        (asked === undefined ? '' : `; ${asked}`) +
        (this.mode === 'fixed'
          ? ` (shared WebAssembly memory is unavailable here, so the arena cannot grow; create the backend with a larger { arenaBytes }, or with { kernel: 'js' })`
          : ' (the 4 GiB limit of 32-bit WebAssembly memory)'),
      [],
    );
  }

  /**
   * Give a block back once `target` is unreachable: the object every view handed out for the block hangs
   * on (the slot's own SharedArrayBuffer, or in a fixed arena the view itself). Until then the block is
   * no one's, so writing through a view kept after dispose changes nothing that anyone else owns.
   */
  releaseWhenUnreachable(target: object, offset: number, bytes: number): void {
    const size = roundUp(bytes);
    if (size === 0) return;
    this.#pending += size;
    this.#watch ??= this.#makeWatch((block) => {
      this.#pending -= block.bytes;
      this.release(block.offset, block.bytes);
    });
    this.#watch.register(target, { offset, bytes: size });
  }

  /**
   * A SharedArrayBuffer object of its own over the arena's memory (as long as the memory is now), for a
   * slot's views to hang on so that `releaseWhenUnreachable` can watch it: every view made over it, and
   * every subarray of those, holds it. Null in a fixed arena, whose one ArrayBuffer cannot be duplicated.
   */
  separateBuffer(): SharedArrayBuffer | null {
    if (this.mode !== 'shared') return null;
    // Cloning a SharedArrayBuffer gives another object over the same memory (the clone made by postMessage).
    return structuredClone(this.memory.buffer as unknown as SharedArrayBuffer);
  }

  /** Give a block back now (no view of it may be used again: see `releaseWhenUnreachable`). */
  release(offset: number, bytes: number): void {
    const size = roundUp(bytes);
    if (size === 0) return;
    this.#free.push({ offset, bytes: size });
    this.#free.sort((a, b) => a.offset - b.offset);
    // Merge neighbours, and give a free block at the top back to the bump pointer.
    for (let i = this.#free.length - 1; i > 0; i--) {
      const prev = this.#free[i - 1];
      const cur = this.#free[i];
      if (prev.offset + prev.bytes === cur.offset) {
        prev.bytes += cur.bytes;
        this.#free.splice(i, 1);
      }
    }
    const last = this.#free.at(-1);
    if (last !== undefined && last.offset + last.bytes === this.#top) {
      this.#top = last.offset;
      this.#free.pop();
    }
  }

  /**
   * A Float32Array or Float64Array over a block (valid for the block's life, whatever the arena does), over
   * the memory's buffer or over `buffer` (from `separateBuffer`, made after the block).
   */
  view(dtype: 'float32' | 'float64', offset: number, length: number, buffer: ArrayBufferLike = this.memory.buffer): Float32Array | Float64Array {
    return dtype === 'float32' ? new Float32Array(buffer, offset, length) : new Float64Array(buffer, offset, length);
  }

  /** An Int32Array over a block. */
  int32View(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }
}

/**
 * The `arenaBytes` option: a number of bytes from one page (64 KiB) to 4 GiB, or an ArgumentError naming
 * `options.arenaBytes`.
 */
export function checkArenaBytes(bytes: unknown): asserts bytes is number {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < PAGE || bytes > MAX_PAGES * PAGE) {
    throw new ArgumentError('options.arenaBytes', bytes, `a number of bytes from ${PAGE} to ${MAX_PAGES * PAGE}`);
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
