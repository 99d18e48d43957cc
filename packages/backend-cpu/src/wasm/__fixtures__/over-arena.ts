import type { FloatArray } from '@rmsprop/core';
import type { WasmArena } from '../wasm-arena.js';

/**
 * Whether `view` is over the arena's memory: a SharedArrayBuffer of its own (a slot's views hang on one, see
 * WasmSlot) whose bytes are the arena's, as a byte flipped through the arena's buffer shows.
 */
export function overArena(view: FloatArray, arena: WasmArena): boolean {
  if (!(view.buffer instanceof SharedArrayBuffer) || view.buffer === (arena.memory.buffer as unknown) || view.byteLength === 0) return false;
  const arenaByte = new Uint8Array(arena.memory.buffer, view.byteOffset, 1);
  const viewByte = new Uint8Array(view.buffer, view.byteOffset, 1);
  const old = arenaByte[0];
  arenaByte[0] = old ^ 0xff;
  const seen = viewByte[0] === arenaByte[0];
  arenaByte[0] = old;
  return seen;
}
