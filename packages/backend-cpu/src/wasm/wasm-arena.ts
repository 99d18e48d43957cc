import { ArgumentError, BackendUnavailableError } from '@rmsprop/core';

/** WebAssembly pages are 64 KiB. */
const PAGE = 65536;
/** The most pages a 32-bit WebAssembly memory can have (4 GiB). */
const MAX_PAGES = 65536;
/** Every block starts on a 16-byte boundary (one v128). */
const ALIGN = 16;

/** How the arena's memory behaves when it grows. */
export type ArenaMode = 'shared' | 'fixed';

/**
 * One WebAssembly memory holding every slot's θ, g, v, m and b, with a first-fit allocator.
 *
 * Views handed out never go stale:
 * - `shared` (Node; browsers when cross-origin isolated): the memory is a shared one, which grows in
 *   place: growing it never detaches an earlier buffer, so every view made before stays valid.
 * - `fixed` (where shared memory is unavailable): an ordinary memory of `capacityBytes`, allocated once and
 *   never grown (growing would detach every view); an allocation that does not fit throws a typed error
 *   that names the `arenaBytes` option.
 */
export class WasmArena {
  readonly memory: WebAssembly.Memory;
  readonly mode: ArenaMode;
  /** The most bytes the arena can hold (4 GiB when shared, `arenaBytes` when fixed). */
  readonly capacityBytes: number;
  #top = ALIGN; // offset 0 is never handed out
  readonly #free: { offset: number; bytes: number }[] = [];

  private constructor(memory: WebAssembly.Memory, mode: ArenaMode, capacityBytes: number) {
    this.memory = memory;
    this.mode = mode;
    this.capacityBytes = capacityBytes;
  }

  /**
   * A shared arena where shared WebAssembly memory exists, else a fixed one of `fixedBytes` (rounded up to
   * whole pages). `options.shared: false` makes a fixed one anyway (for tests of the fixed mode where shared
   * memory exists).
   */
  static create(fixedBytes: number, options: { readonly shared?: boolean } = {}): WasmArena {
    checkArenaBytes(fixedBytes);
    if (options.shared !== false && typeof SharedArrayBuffer !== 'undefined') {
      try {
        const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
        if (memory.buffer instanceof SharedArrayBuffer) return new WasmArena(memory, 'shared', MAX_PAGES * PAGE);
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
    return new WasmArena(memory, 'fixed', pages * PAGE);
  }

  /** Bytes handed out or held by the allocator so far (the high-water mark). */
  get usedBytes(): number {
    return this.#top;
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
      if (end > this.capacityBytes) {
        throw new BackendUnavailableError(
          `the CPU backend's WebAssembly arena is full: ${end} bytes needed, ${this.capacityBytes} available ` +
            (this.mode === 'fixed'
              ? `(shared WebAssembly memory is unavailable here, so the arena cannot grow; create the backend with a larger { arenaBytes }, or with { kernel: 'js' })`
              : '(the 4 GiB limit of 32-bit WebAssembly memory)'),
          [],
        );
      }
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        try {
          this.memory.grow(Math.ceil((end - have) / PAGE));
        } catch (error) {
          throw new BackendUnavailableError(
            `the CPU backend's WebAssembly arena could not grow to ${end} bytes (${(error as Error).message})`,
            [],
          );
        }
      }
      this.#top = end;
    }
    new Uint8Array(this.memory.buffer, offset, size).fill(0);
    return offset;
  }

  /** Give a block back (its views must no longer be used). */
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

  /** A Float32Array or Float64Array over a block (valid for the block's life, whatever the arena does). */
  view(dtype: 'float32' | 'float64', offset: number, length: number): Float32Array | Float64Array {
    return dtype === 'float32' ? new Float32Array(this.memory.buffer, offset, length) : new Float64Array(this.memory.buffer, offset, length);
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
