/** How a promise settled within a time limit: its value, its rejection reason, or that it had not settled. */
export type Settlement<T> =
  | { readonly status: 'fulfilled'; readonly value: T }
  | { readonly status: 'rejected'; readonly reason: unknown }
  | { readonly status: 'timed-out' };

/**
 * Start `start` and report how what it returns settles, or `'timed-out'` when it has not settled after `ms`
 * milliseconds (`Infinity`: no limit). Never rejects: a synchronous throw, a rejection or a thenable whose
 * `then` throws is `'rejected'`. Whatever settles after the time-out is not left dangling: a value goes to
 * `late` (to release it), a rejection is handled and dropped, and a throw from `late` is dropped too.
 * The timer is cleared as soon as the result settles. `ms` must be > 0 and at most 2147483647 (the caller
 * checks; `setTimeout` would fire at once for larger values).
 */
export function settleWithin<T>(start: () => T | PromiseLike<T>, ms: number, late: (value: T) => void): Promise<Settlement<T>> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer =
      ms === Infinity
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            resolve({ status: 'timed-out' });
          }, ms);
    Promise.resolve()
      .then(start)
      .then(
        (value) => {
          if (!timedOut) {
            clearTimeout(timer);
            resolve({ status: 'fulfilled', value });
            return;
          }
          try {
            late(value);
          } catch {
            // Nobody is waiting for this result any more; a failure to release it has nowhere to go.
          }
        },
        (reason: unknown) => {
          if (timedOut) return;
          clearTimeout(timer);
          resolve({ status: 'rejected', reason });
        },
      );
  });
}
