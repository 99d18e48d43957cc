import type { RMSPropConfig } from './rmsprop-config.js';

/**
 * One per-parameter state buffer of the spec: its name (the key everywhere: slots, state dicts, kernels),
 * its symbol in docs/spec.md, when a config needs it, and the value it starts from.
 */
export interface StateBuffer {
  /** The key used everywhere: `SlotState`, the state dict's entries, the kernels' buffers. */
  readonly name: StateBufferName;
  /** Its symbol in the spec's formula. */
  readonly symbol: string;
  /** What it holds, for docs and messages. */
  readonly description: string;
  /**
   * The config field that decides whether a parameter keeps this buffer, and the value of it under which
   * it does not (as messages say it); null for a buffer every config keeps.
   */
  readonly switchedBy: { readonly field: 'centered' | 'momentum'; readonly off: string } | null;
  /** Whether its values are never negative (an average of squares): state holding a negative value is refused. */
  readonly nonNegative: boolean;
  /** Whether a parameter under `config` keeps this buffer. */
  readonly neededBy: (config: Readonly<RMSPropConfig>) => boolean;
  /** The value every element starts from under `config`. */
  readonly initialValue: (config: Readonly<RMSPropConfig>) => number;
}

/** The names of the state buffers, in their fixed order. */
export const STATE_BUFFER_NAMES = ['meanSquare', 'meanGrad', 'momentum'] as const;

/** A state buffer's name. */
export type StateBufferName = (typeof STATE_BUFFER_NAMES)[number];

/**
 * Every state buffer of the spec, declared once, in a fixed order (the order of the kernels' buffer
 * arguments and of the state dict's fields). Code that handles state iterates over this list by name;
 * adding a buffer here (and to the update program and the reference) is how a switch gains state.
 */
export const STATE_BUFFERS: readonly StateBuffer[] = [
  {
    name: 'meanSquare',
    symbol: 'v',
    description: 'the moving average of g²',
    switchedBy: null,
    nonNegative: true,
    neededBy: () => true,
    initialValue: (config) => config.initialMeanSquare,
  },
  {
    name: 'meanGrad',
    symbol: 'm',
    description: 'the moving average of g (centered only)',
    switchedBy: { field: 'centered', off: 'false' },
    nonNegative: false,
    neededBy: (config) => config.centered,
    initialValue: () => 0,
  },
  {
    name: 'momentum',
    symbol: 'b',
    description: 'the momentum buffer (momentum > 0 only)',
    switchedBy: { field: 'momentum', off: '0' },
    nonNegative: false,
    neededBy: (config) => config.momentum > 0,
    initialValue: () => 0,
  },
];

/** The state buffers a parameter keeps under `config`, in `STATE_BUFFERS` order. */
export function stateBuffersFor(config: Readonly<RMSPropConfig>): readonly StateBuffer[] {
  return STATE_BUFFERS.filter((buffer) => buffer.neededBy(config));
}

/** Per state buffer, a value of type T. */
export type StateRecord<T> = { readonly [K in StateBufferName]: T };

/** The buffers every config keeps (their `neededBy` is always true). */
export type RequiredStateBufferName = 'meanSquare';

/** One parameter's state buffers by name: the required ones always present, the others null where absent. */
export type StateArrays<T> = { readonly [K in RequiredStateBufferName]: T } & { readonly [K in Exclude<StateBufferName, RequiredStateBufferName>]: T | null };

/**
 * The state a parameter starts from under `config`, as a slot request gives it: each buffer's initial value,
 * or null where the parameter keeps no such buffer.
 */
export function initialState(config: Readonly<RMSPropConfig>): StateRecord<number | null> {
  const state: { [K in StateBufferName]?: number | null } = {};
  for (const buffer of STATE_BUFFERS) state[buffer.name] = buffer.neededBy(config) ? buffer.initialValue(config) : null;
  return state as StateRecord<number | null>;
}

/** A record with `make(buffer)` for every state buffer, in `STATE_BUFFERS` order. */
export function mapStateBuffers<T>(make: (buffer: StateBuffer) => T): StateRecord<T> {
  const out: { [K in StateBufferName]?: T } = {};
  for (const buffer of STATE_BUFFERS) out[buffer.name] = make(buffer);
  return out as StateRecord<T>;
}
