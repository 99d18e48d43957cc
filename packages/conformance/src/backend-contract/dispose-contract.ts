/**
 * The backend contract's dispose points: a disposed slot refuses every use with DisposedError naming the
 * call, and the others go on; a disposed backend disposes its slots and refuses createSlot, createSlots and
 * step; disposing twice is a no-op; where measured, disposal gives back what the slots took.
 */
import { DisposedError, resolveConfig, type BackendSlot, type RMSPropBackend } from '@rmsprop/core';
import { describe, expect } from 'vitest';
import type { ContractContext } from '../define-backend-contract-suite.js';
import { ContractRng, expectTypedError, keepingEveryBuffer, randomArray, slotRequest, snapshot, stateFor } from './contract-fixtures.js';

/** Keeps every state buffer (checked when the suite is defined). */
const CONFIG = keepingEveryBuffer(resolveConfig({ learningRate: 0.01, momentum: 0.5, centered: true }));

/** Every use of a slot the interface offers, with the operation its DisposedError names. */
function slotUses(slot: BackendSlot): [string, () => unknown][] {
  const n = slot.length;
  const uses: [string, () => unknown][] = [
    ['readParams', () => slot.readParams()],
    ['writeParams', () => slot.writeParams(new Array(n).fill(1))],
    ['readState', () => slot.readState()],
    ['writeState', () => slot.writeState(stateFor(CONFIG, () => new Array(n).fill(1)))],
  ];
  if (slot.readParamsAsync !== undefined) uses.push(['readParamsAsync', () => slot.readParamsAsync!()]);
  if (slot.readStateAsync !== undefined) uses.push(['readStateAsync', () => slot.readStateAsync!()]);
  return uses;
}

async function expectDisposedSlot(slot: BackendSlot): Promise<void> {
  for (const [operation, use] of slotUses(slot)) {
    await expectTypedError(
      use,
      { type: DisposedError, code: 'DISPOSED', message: new RegExp(`^.+ slot "${slot.name}" was disposed; ${operation}\\(\\) is not allowed after dispose\\(\\)$`) },
      operation,
    );
  }
}

export function defineDisposeContract(ctx: ContractContext): void {
  const { pool, dtypes } = ctx;
  const first = dtypes[0];
  const make = (backend: RMSPropBackend, name: string, n = 3) => backend.createSlot(slotRequest(name, randomArray(new ContractRng(n), first, n), CONFIG));
  const update = (slot: BackendSlot, step = 1) => ({ slot, grads: randomArray(new ContractRng(90 + step), first, slot.length), hyper: { config: CONFIG, learningRate: 0.01, step } });

  describe('dispose', () => {
    ctx.test('a disposed slot refuses reads, writes and steps with DisposedError naming the call; disposing it twice is a no-op', async () => {
      const backend = await pool.shared();
      const slot = make(backend, 'd');
      slot.dispose();
      slot.dispose();
      await expectDisposedSlot(slot);
      await expectTypedError(() => backend.step([update(slot)]), {
        type: DisposedError,
        code: 'DISPOSED',
        message: /^.+ slot "d" was disposed; step\(\) is not allowed after dispose\(\)$/,
      });
    });

    ctx.test('disposing one slot leaves the backend and the other slots as they were, and they step on', async () => {
      const backend = await pool.shared();
      const [a, b, c] = ['x', 'y', 'z'].map((name, i) => make(backend, name, 3 + i));
      backend.step([update(a), update(b), update(c)]);
      const before = await snapshot([a, c]);
      b.dispose();
      expect(await snapshot([a, c])).toEqual(before);
      backend.step([update(a, 2), update(c, 2)]);
      expect(await snapshot([a, c])).not.toEqual(before);
    });

    ctx.test('backend.dispose() disposes every slot, then createSlot, createSlots and step throw DisposedError; disposing twice is a no-op', async () => {
      const backend = await pool.fresh();
      const slots = [make(backend, 'p'), make(backend, 'q', 0)];
      backend.step(slots.map((s) => update(s)));
      backend.dispose();
      backend.dispose();
      for (const slot of slots) await expectDisposedSlot(slot);
      const refused = (operation: string) => ({
        type: DisposedError,
        code: 'DISPOSED',
        message: new RegExp(`^.+ backend was disposed; ${operation}\\(\\) is not allowed after dispose\\(\\)$`),
      });
      const request = slotRequest('late', randomArray(new ContractRng(1), first, 2), CONFIG);
      await expectTypedError(() => backend.createSlot(request), refused('createSlot'));
      if (backend.createSlots !== undefined) await expectTypedError(() => backend.createSlots!([request]), refused('createSlots'));
      await expectTypedError(() => backend.step([]), refused('step'));
      for (const slot of slots) slot.dispose(); // still a no-op
    });

    ctx.test("an adopted array stays the caller's after dispose, with the trained values", async (skip) => {
      const backend = await pool.fresh();
      if (backend.capabilities.hostArrays === 'copied') skip("capabilities.hostArrays is 'copied': slots never hold the caller’s array");
      const values = randomArray(new ContractRng(5), first, 5);
      const slot = backend.createSlot(slotRequest('own', values, CONFIG, true));
      backend.step([update(slot)]);
      const trained = Array.from(values);
      backend.dispose();
      expect(Array.from(values)).toEqual(trained);
    });

    ctx.test('disposing slots gives back what they took (options.usage back where it was)', async (skip) => {
      const usage = ctx.usage;
      if (usage === undefined) skip('no options.usage: what the backend holds is not measured');
      const backend = await pool.fresh();
      make(backend, 'u0', 1); // what a backend takes once, at its first slot (a descriptor table), is not the slots'
      const before = usage!(backend);
      const slots = [make(backend, 'u1', 7), make(backend, 'u2', 33)];
      backend.step(slots.map((s) => update(s)));
      expect(usage!(backend)).toBeGreaterThan(before);
      for (const slot of slots.reverse()) slot.dispose();
      expect(usage!(backend)).toBe(before);
    });
  });
}
