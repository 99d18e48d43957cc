import { mapStateBuffers, STATE_BUFFERS, type RMSPropConfig, type StateArrays, type StateBuffer, type StateRecord } from '@rmsprop/core';

/**
 * A `StateArrays` with `make(buffer, index)` for every state buffer of `STATE_BUFFERS`, in order (null for
 * a buffer that is absent). A buffer every config keeps (`switchedBy` null) must not come out null: that
 * throws, naming it, since `StateArrays` has no null there.
 */
export function stateArrays<T>(make: (buffer: StateBuffer, index: number) => T | null): StateArrays<T> {
  const out: Record<string, T | null> = {};
  STATE_BUFFERS.forEach((buffer, index) => {
    const value = make(buffer, index);
    if (value === null && buffer.switchedBy === null) throw new Error(`state buffer ${buffer.name} is kept by every config; it cannot be null`);
    out[buffer.name] = value;
  });
  return out as unknown as StateArrays<T>;
}

/** Per state buffer, whether a parameter under `config` keeps it. */
export function keepsOf(config: Readonly<RMSPropConfig>): StateRecord<boolean> {
  return mapStateBuffers((buffer) => buffer.neededBy(config));
}

/** The symbols of the state buffers as a list for titles and messages: "v, m and b". */
export function stateSymbols(buffers: readonly StateBuffer[] = STATE_BUFFERS): string {
  const symbols = buffers.map((b) => b.symbol);
  return symbols.length <= 1 ? symbols.join('') : `${symbols.slice(0, -1).join(', ')} and ${symbols[symbols.length - 1]}`;
}
