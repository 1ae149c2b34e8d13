import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import type { FeedLog, StoredCursor } from './feed-log.ts';
import { readFeed } from './read-feed.ts';

/** What the push publisher needs: the log, a sender, a clock and its limits. */
export type PublishDeps = {
  readonly log: FeedLog;
  /** Delivers changes in order; throws when any could not be delivered (they are sent again). */
  readonly send: (changes: readonly FeedChange[]) => Promise<void>;
  readonly now: () => string;
  /** How long a gap below the head may stay open before it is voided (a safety net; the sequencer leaves none). */
  readonly holeTimeoutMs: number;
  readonly maxPerRun: number;
  /** The cursor's name in the log table; default `push`. */
  readonly name?: string;
};

export type PublishResult = { readonly published: number; readonly voided: number; readonly cursor: number };

/**
 * Push feed: sends every change after the publisher's stored cursor, in order, then moves the cursor
 * (at least once: a run that dies after sending and before moving sends again; consumers drop a `seq`
 * they have seen). A gap below the head should never occur (the sequencer moves the head only over
 * written positions); should one stay open for `holeTimeoutMs`, it is voided with a conditional write,
 * so nothing can stall the feed for good.
 */
export const publishFeed = async (deps: PublishDeps): Promise<PublishResult> => {
  const name = deps.name ?? 'push';
  let published = 0;
  let voided = 0;
  for (;;) {
    const stored = await deps.log.getCursor(name);
    const from: StoredCursor = stored ?? { cursor: 0 };
    const page = await readFeed(deps.log, {
      after: from.cursor,
      limit: Math.min(500, deps.maxPerRun - published),
    });
    if (page.changes.length > 0) await deps.send(page.changes);
    published += page.changes.length;
    let next: StoredCursor = { cursor: page.cursor };
    let sealed = false;
    if (page.blockedAt !== undefined) {
      const since = from.gapSeq === page.blockedAt && from.gapSince ? from.gapSince : deps.now();
      if (Date.parse(deps.now()) - Date.parse(since) >= deps.holeTimeoutMs) {
        if (await deps.log.put(page.blockedAt, { kind: 'VOID' })) voided++;
        sealed = true;
      } else {
        next = { cursor: page.cursor, gapSeq: page.blockedAt, gapSince: since };
      }
    }
    const moved = next.cursor !== from.cursor || next.gapSeq !== from.gapSeq;
    if (moved && !(await deps.log.setCursor(name, next, stored))) break; // another run is publishing
    if ((!sealed && page.cursor === from.cursor) || published >= deps.maxPerRun) break;
  }
  const final = await deps.log.getCursor(name);
  return { published, voided, cursor: final?.cursor ?? 0 };
};

/** A sender to an SQS queue: one message per change, ten per request, `seq` also as a message attribute. */
export const sqsSender =
  (sqs: SQSClient, queueUrl: string) =>
  async (changes: readonly FeedChange[]): Promise<void> => {
    for (let i = 0; i < changes.length; i += 10) {
      const batch = changes.slice(i, i + 10);
      const res = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((c) => ({
            Id: String(c.seq),
            MessageBody: JSON.stringify(c),
            MessageAttributes: { seq: { DataType: 'Number', StringValue: String(c.seq) } },
          })),
        }),
      );
      if (res.Failed && res.Failed.length > 0)
        throw new Error(`${res.Failed.length} feed messages were not sent`);
    }
  };
