/** createAllSlots: one createSlots call where the backend has it, else createSlot each, all or none. */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from './__fixtures__/reference-backend.js';
import type { RMSPropBackend, SlotRequest } from './backend.js';
import { createAllSlots } from './create-all-slots.js';

function request(name: string, length = 1): SlotRequest {
  return { name, dtype: 'float64', length, values: new Float64Array(length), adopt: false, state: { meanSquare: 0, meanGrad: null, momentum: null } };
}

describe('createAllSlots', () => {
  it('creates one slot per request, in order, with createSlot', () => {
    const backend = createReferenceBackend();
    const slots = createAllSlots(backend, [request('a'), request('b', 3)]);
    expect(slots.map((s) => [s.name, s.length])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    expect(backend.requests.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('makes one createSlots call where the backend has it, and returns its slots', () => {
    const backend = createReferenceBackend();
    const batches: string[][] = [];
    const batching = {
      ...backend,
      createSlots: (requests: readonly SlotRequest[]) => {
        batches.push(requests.map((r) => r.name));
        return requests.map((r) => backend.createSlot(r));
      },
      createSlot: () => {
        throw new Error('createSlot must not be called when createSlots exists');
      },
    } as RMSPropBackend;
    const slots = createAllSlots(batching, [request('a'), request('b'), request('c')]);
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(slots.map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('disposes the slots already made when a later createSlot throws (nothing leaks)', () => {
    const backend = createReferenceBackend();
    const failing = {
      ...backend,
      createSlot: (r: SlotRequest) => {
        if (r.name === 'c') throw new Error('out of memory');
        return backend.createSlot(r);
      },
    } as RMSPropBackend;
    expect(() => createAllSlots(failing, [request('a'), request('b', 2), request('c', 3)])).toThrow('out of memory');
    expect(backend.disposedSlots).toEqual(['a', 'b']);
  });

  it('rejects a createSlots that returns the wrong number of slots, or no array', () => {
    const backend = createReferenceBackend();
    const short = { ...backend, createSlots: () => [] } as unknown as RMSPropBackend;
    expect(() => createAllSlots(short, [request('a')])).toThrow(/^backend "reference": createSlots returned 0 slots for 1 requests$/);
    const broken = { ...backend, createSlots: () => undefined } as unknown as RMSPropBackend;
    expect(() => createAllSlots(broken, [request('a')])).toThrow(TypeError);
    expect(() => createAllSlots(broken, [request('a')])).toThrow(/createSlots returned undefined for 1 requests$/);
  });

  it('says what a wrong createSlots returned in a short message, and disposes the slots it did make', () => {
    const backend = createReferenceBackend();
    const huge = { ...backend, createSlots: () => 'x'.repeat(1e6) } as unknown as RMSPropBackend;
    expect(() => createAllSlots(huge, [request('a')])).toThrow(/^backend "reference": createSlots returned "x{100}"… \(1000000 characters\) for 1 requests$/);
    const bare = { ...backend, createSlots: () => Object.create(null) } as unknown as RMSPropBackend;
    expect(() => createAllSlots(bare, [request('a')])).toThrow(/^backend "reference": createSlots returned Object for 1 requests$/);
    const short = { ...backend, createSlots: (requests: readonly SlotRequest[]) => [backend.createSlot(requests[0])] } as unknown as RMSPropBackend;
    expect(() => createAllSlots(short, [request('a'), request('b')])).toThrow(/createSlots returned 1 slots for 2 requests$/);
    expect(backend.disposedSlots).toEqual(['a']);
  });
});
