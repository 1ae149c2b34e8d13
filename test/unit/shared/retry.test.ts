import { describe, expect, it } from 'vitest';
import { backoffMs, retryPending } from '../../../functions/shared/retry.ts';

describe('backoffMs', () => {
  it('doubles from the base with each attempt, up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffMs(attempt))).toEqual([20, 40, 80, 160, 1000]);
    expect(backoffMs(3, { baseMs: 50, maxMs: 300 })).toBe(300);
  });
});

describe('retryPending', () => {
  it('retries only the items still pending, then stops when none are', async () => {
    const calls: (readonly string[])[] = [];
    // Each call gets the first pending item done.
    await retryPending(
      ['a', 'b', 'c'],
      async (pending) => {
        calls.push(pending);
        return pending.slice(1);
      },
      { baseMs: 1 },
    );
    expect(calls).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
  });

  it('makes no call for no items', async () => {
    let calls = 0;
    await retryPending([], async () => {
      calls++;
      return [];
    });
    expect(calls).toBe(0);
  });

  it('throws what onExhausted makes of the items still pending after the last attempt', async () => {
    let calls = 0;
    const run = retryPending(
      [1, 2],
      async (pending) => {
        calls++;
        return pending.slice(1);
      },
      {
        baseMs: 1,
        maxAttempts: 1,
        onExhausted: (pending, attempts) => new RangeError(`${pending.join()} after ${attempts}`),
      },
    );
    await expect(run).rejects.toThrow(new RangeError('2 after 1'));
    expect(calls).toBe(1);
  });

  it('without onExhausted, throws an error counting the items and the attempts', async () => {
    let calls = 0;
    const run = retryPending(
      ['x'],
      async (pending) => {
        calls++;
        return pending;
      },
      { baseMs: 1, maxAttempts: 3 },
    );
    await expect(run).rejects.toThrow('1 item(s) still pending after 3 attempts');
    expect(calls).toBe(3);
  });
});
