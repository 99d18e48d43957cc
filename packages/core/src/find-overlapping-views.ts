/** The memory a typed array views: its buffer and the byte range within it. */
export interface MemoryView {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/**
 * The first pair of `views` that share memory (the same buffer, overlapping byte ranges), as indices
 * `[earlier, later]` into `views`, or null when every view has its own bytes. Views of one buffer that
 * only touch (one ends where the next starts) and empty views share nothing.
 *
 * O(n log n), not pairwise: the views are grouped by buffer (one Map look-up each; most buffers hold one
 * view and are never sorted), and each buffer holding several is swept in order of byte offset, keeping
 * the view that reaches furthest so far: a view starting before that reach overlaps it.
 */
export function findOverlappingViews(views: readonly MemoryView[]): [number, number] | null {
  // The first view of each buffer; a buffer's later views go to `shared`, with its first.
  const first = new Map<ArrayBufferLike, number>();
  let shared: Map<ArrayBufferLike, number[]> | null = null;
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    if (view.byteLength === 0) continue;
    const buffer = view.buffer;
    const k = first.get(buffer);
    if (k === undefined) {
      first.set(buffer, i);
      continue;
    }
    shared ??= new Map();
    const list = shared.get(buffer);
    if (list === undefined) shared.set(buffer, [k, i]);
    else list.push(i);
  }
  if (shared === null) return null;
  for (const list of shared.values()) {
    // By offset; on a tie, in the order given (so `[earlier, later]` holds for equal starts).
    list.sort((a, b) => views[a].byteOffset - views[b].byteOffset || a - b);
    let reach = -1;
    let reacher = -1;
    for (const i of list) {
      const { byteOffset, byteLength } = views[i];
      if (byteOffset < reach) return reacher < i ? [reacher, i] : [i, reacher];
      if (byteOffset + byteLength > reach) {
        reach = byteOffset + byteLength;
        reacher = i;
      }
    }
  }
  return null;
}
