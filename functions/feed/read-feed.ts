import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import type { FeedLog } from './feed-log.ts';

/** One page of the feed: changes in order, the cursor to resume from, and where it stopped. */
export type FeedPage = {
  readonly changes: readonly FeedChange[];
  /** The last position read (changes and voided positions); pass it as `after` to resume. */
  readonly cursor: number;
  /** The log's head when the page was read: the highest readable position. */
  readonly head: number;
  /** A position at or below the head not yet written: the page stops before it, as every later one must wait. */
  readonly blockedAt?: number;
};

/**
 * Reads up to `limit` log positions after `after`, in order, and stops at the first position that is
 * not yet written. It never skips one, so no committed change is missed or seen out of
 * order by a consumer that resumes from the returned cursor (docs/feed.md, "Why there are no gaps").
 */
export const readFeed = async (
  log: FeedLog,
  options: { after: number; limit: number },
): Promise<FeedPage> => {
  const head = await log.head();
  const upto = Math.min(head, options.after + Math.max(1, options.limit));
  if (upto <= options.after) return { changes: [], cursor: options.after, head };
  const seqs = Array.from({ length: upto - options.after }, (_, i) => options.after + 1 + i);
  const entries = await log.read(seqs);
  const changes: FeedChange[] = [];
  let cursor = options.after;
  for (const seq of seqs) {
    const entry = entries.get(seq);
    if (!entry) return { changes, cursor, head, blockedAt: seq };
    if (entry.kind === 'CHANGE') changes.push({ ...entry.change, seq });
    cursor = seq;
  }
  return { changes, cursor, head };
};
