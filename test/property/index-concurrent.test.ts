import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeOf } from '../../functions/feed/change.ts';
import type { FeedLog } from '../../functions/feed/feed-log.ts';
import { publishFeed } from '../../functions/feed/publish.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { sequenceFeed } from '../../functions/feed/sequence.ts';
import { type CommitDeps, indexRecordUpdate } from '../../functions/indexer/commit.ts';
import type { RecordUpdate } from '../../functions/indexer/ordering.ts';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import {
  deliveriesArb,
  expectedIndex,
  memoryFeedLog,
  memoryIndexStore,
  observable,
  RULES,
  updateOf,
} from '../unit/indexer/fixtures.ts';

const NOW = '2026-11-20T00:00:00.000Z';

/** Wraps every function of `api` so that the `crashAt`-th call (counted over all of them) throws: a process that died there. */
const crashing = <T extends object>(api: T, crashAt: number): T => {
  let calls = 0;
  return Object.fromEntries(
    Object.entries(api).map(([k, f]) => [
      k,
      async (...args: unknown[]) => {
        if (++calls === crashAt) throw new Error('crashed');
        return (f as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as T;
};

/** Reads the whole feed after `after`, in pages of `limit`, until it reaches the head. */
const drain = async (log: FeedLog, after: number, limit: number): Promise<FeedChange[]> => {
  const out: FeedChange[] = [];
  let cursor = after;
  for (;;) {
    const page = await readFeed(log, { after: cursor, limit });
    out.push(...page.changes);
    if (page.cursor === cursor) return out;
    cursor = page.cursor;
  }
};

describe('indexer with concurrent writers, the sequencer (also crashing ones), the change log and its sealer', () => {
  it('ends in the in-order index, and the feed holds every committed change exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveriesArb(['P-1', 'P-2']),
        fc.scheduler(),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 2 }),
        fc.integer({ min: 1, max: 3 }),
        async ({ specs, delivered }, s, aggressiveSealer, pageSize, crashPoints, blockSize) => {
          // Prepare
          let concurrent = true;
          const yieldPoint = () =>
            concurrent ? s.schedule(Promise.resolve()).then(() => undefined) : Promise.resolve();
          const index = memoryIndexStore(yieldPoint);
          const feed = memoryFeedLog(yieldPoint);
          const committed = new Map<string, number>();
          const committedStates = new Set<string>();
          const { putMarker, commit } = index.store;
          const noteCommitted = (marker: { naturalKey: string; feedSeq: number }) => {
            committed.set(marker.naturalKey, (committed.get(marker.naturalKey) ?? 0) + 1);
            committedStates.add(`${marker.naturalKey}@${marker.feedSeq}`);
          };
          const store = {
            ...index.store,
            putMarker: async (...args: Parameters<typeof putMarker>) => {
              const ok = await putMarker(...args);
              if (ok) noteCommitted(args[0]);
              return ok;
            },
            commit: async (...args: Parameters<typeof commit>) => {
              const written = await commit(...args);
              args[0].forEach((write, i) => {
                if (written[i] !== 'lost') for (const m of write.markers) noteCommitted(m.item);
              });
              return written;
            },
          };
          const deps: CommitDeps = { store, now: () => NOW, rules: RULES };
          // Sequencers: healthy ones, and ones that die at their k-th call (their claim is taken over at once).
          const sequence = (crashAt?: number) =>
            sequenceFeed({
              log: crashAt === undefined ? feed.log : crashing(feed.log, crashAt),
              outbox: crashAt === undefined ? index.outbox : crashing(index.outbox, crashAt),
              now: () => NOW,
              maxPerRun: 1000,
              blockSize,
              claimTimeoutMs: 0,
            }).catch(() => undefined);
          const updates = specs.map(updateOf);
          const pushed: FeedChange[] = [];
          const publish = () =>
            publishFeed({
              log: feed.log,
              send: async (changes) => {
                pushed.push(...changes);
              },
              now: () => NOW,
              holeTimeoutMs: aggressiveSealer ? 0 : 60_000,
              maxPerRun: 1000,
            });
          const seenDuring: FeedChange[] = [];
          const reader = async () => {
            let cursor = 0;
            for (let i = 0; i < 6; i++) {
              const page = await readFeed(feed.log, { after: cursor, limit: pageSize });
              seenDuring.push(...page.changes);
              cursor = page.cursor;
            }
            return cursor;
          };

          // Act
          const work = Promise.all([
            ...delivered.map((i) => indexRecordUpdate(deps, updates[i] as RecordUpdate)),
            ...crashPoints.map((k) => sequence(k)),
            sequence(),
            publish(),
            sequence(),
            publish(),
            reader(),
          ]);
          const results = await s.waitFor(work);
          const readerCursor = results.at(-1) as number;
          concurrent = false;
          await sequence();
          await publish();
          const rest = await drain(feed.log, readerCursor, pageSize);

          // Assess: the index
          const got = new Map([...index.markers].map(([k, m]) => [k, observable(m)]));
          expect(got).toEqual(expectedIndex(updates).markers);
          // Every position up to the head is decided (no claim left open), nothing is left unlogged.
          const entries = [...feed.entries].sort(([a], [b]) => a - b);
          expect(entries.map(([seq]) => seq)).toEqual(Array.from({ length: feed.head() }, (_, i) => i + 1));
          expect(feed.claim().claimed).toBe(feed.head());
          for (const m of index.markers.values()) expect(m.loggedFeedSeq).toBe(m.feedSeq);
          // Exactly one change per committed write (each committed state once), in per-key commit order.
          const logged = entries.flatMap(([seq, e]) =>
            e.kind === 'CHANGE' ? [{ change: { ...e.change, seq }, markerSeq: e.markerSeq as number }] : [],
          );
          const changes = logged.map((l) => l.change);
          const perKey = new Map<string, number>();
          for (const c of changes) perKey.set(c.naturalKey, (perKey.get(c.naturalKey) ?? 0) + 1);
          expect(perKey).toEqual(committed);
          expect(new Set(logged.map((l) => `${l.change.naturalKey}@${l.markerSeq}`))).toEqual(
            committedStates,
          );
          for (const m of index.markers.values()) {
            const mine = logged.filter((l) => l.change.naturalKey === m.naturalKey).map((l) => l.markerSeq);
            expect(mine).toEqual([...mine].sort((a, b) => a - b));
            // The last change of a key is its current state.
            expect(mine.at(-1)).toBe(m.feedSeq);
            const last = changes.filter((c) => c.naturalKey === m.naturalKey).at(-1);
            expect(last).toEqual({ ...changeOf(m), seq: last?.seq });
          }
          // A consumer reading while writers wrote, then resuming from its cursor, saw each change once, in order.
          expect([...seenDuring, ...rest].map((c) => c.seq)).toEqual(changes.map((c) => c.seq));
          // The push publishers (two raced here) delivered every change, first copies in order (at least once).
          expect([...new Set(pushed.map((c) => c.seq))]).toEqual(changes.map((c) => c.seq));
        },
      ),
      { numRuns: 300 },
    );
  });
});
