import { describe, expect, it } from 'vitest';
import { settleWithin } from './settle-within.js';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('settleWithin', () => {
  it('reports a value or a rejection that comes in time', async () => {
    const late: unknown[] = [];
    expect(await settleWithin(() => after(5, 'a'), 1000, (v) => late.push(v))).toEqual({ status: 'fulfilled', value: 'a' });
    expect(await settleWithin(() => 7, 1000, (v) => late.push(v))).toEqual({ status: 'fulfilled', value: 7 });
    const error = new Error('no');
    expect(await settleWithin(() => Promise.reject(error), 1000, (v) => late.push(v))).toEqual({ status: 'rejected', reason: error });
    expect(late).toEqual([]);
  });

  it('turns a synchronous throw and a throwing thenable into a rejection', async () => {
    const error = new Error('sync');
    expect(
      await settleWithin(
        () => {
          throw error;
        },
        1000,
        () => {},
      ),
    ).toEqual({ status: 'rejected', reason: error });
    const thenable = {
      then() {
        throw error;
      },
    };
    expect(await settleWithin(() => thenable as unknown as PromiseLike<number>, 1000, () => {})).toEqual({ status: 'rejected', reason: error });
  });

  it('times out, then hands a late value to `late` and drops a late rejection or a throw from `late`', async () => {
    const late: string[] = [];
    expect(await settleWithin(() => new Promise<never>(() => {}), 5, () => {})).toEqual({ status: 'timed-out' });
    expect(await settleWithin(() => after(30, 'b'), 5, (v) => late.push(v))).toEqual({ status: 'timed-out' });
    expect(late).toEqual([]);
    await tick(40);
    expect(late).toEqual(['b']);
    expect(await settleWithin(() => after(10, 0).then(() => Promise.reject(new Error('late'))), 1, () => {})).toEqual({ status: 'timed-out' });
    const throwing = () => {
      throw new Error('cannot release');
    };
    expect(await settleWithin(() => after(10, 'c'), 1, throwing)).toEqual({ status: 'timed-out' });
    await tick(30); // an unhandled rejection here would fail the run
  });

  it('with Infinity waits as long as it takes', async () => {
    expect(await settleWithin(() => after(20, 'd'), Infinity, () => {})).toEqual({ status: 'fulfilled', value: 'd' });
  });
});
