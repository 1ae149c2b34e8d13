/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff: `baseMs * 2^attempt` (attempt counted from 0), at most `maxMs`. */
export const backoffMs = (attempt: number, { baseMs = 20, maxMs = 1000 } = {}): number =>
  Math.min(maxMs, baseMs * 2 ** attempt);

/**
 * Runs `step` on what is left to do until nothing is: each call gets the pending items and returns those
 * still pending (the unprocessed keys of a BatchGetItem, the failed entries of a SendMessageBatch),
 * waiting `backoffMs(attempt)` between calls. After `maxAttempts` calls with items still pending it
 * throws what `onExhausted` makes of them.
 */
export const retryPending = async <T>(
  items: readonly T[],
  step: (pending: readonly T[], attempt: number) => Promise<readonly T[]>,
  options: {
    readonly baseMs?: number;
    readonly maxMs?: number;
    readonly maxAttempts?: number;
    readonly onExhausted?: (pending: readonly T[], attempts: number) => Error;
  } = {},
): Promise<void> => {
  const { maxAttempts = Number.POSITIVE_INFINITY } = options;
  let pending = items;
  for (let attempt = 0; pending.length > 0; attempt++) {
    pending = await step(pending, attempt);
    if (pending.length === 0) return;
    if (attempt + 1 >= maxAttempts) {
      throw (
        options.onExhausted?.(pending, attempt + 1) ??
        new Error(`${pending.length} item(s) still pending after ${attempt + 1} attempts`)
      );
    }
    await sleep(
      backoffMs(attempt, {
        ...(options.baseMs === undefined ? {} : { baseMs: options.baseMs }),
        ...(options.maxMs === undefined ? {} : { maxMs: options.maxMs }),
      }),
    );
  }
};
