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
    neededBy: () => true,
    initialValue: (config) => config.initialMeanSquare,
  },
  {
    name: 'meanGrad',
    symbol: 'm',
    description: 'the moving average of g (centered only)',
    neededBy: (config) => config.centered,
    initialValue: () => 0,
  },
  {
    name: 'momentum',
    symbol: 'b',
    description: 'the momentum buffer (momentum > 0 only)',
    neededBy: (config) => config.momentum > 0,
    initialValue: () => 0,
  },
];

/** The state buffers a parameter keeps under `config`, in `STATE_BUFFERS` order. */
export function stateBuffersFor(config: Readonly<RMSPropConfig>): readonly StateBuffer[] {
  return STATE_BUFFERS.filter((buffer) => buffer.neededBy(config));
}

/** Per state buffer, a value of type T (null where the buffer is absent, for types that allow it). */
export type StateRecord<T> = { readonly [K in StateBufferName]: T };
