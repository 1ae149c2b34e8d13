import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../functions/feed/feed-log.ts';
import { publishFeed } from '../../functions/feed/publish.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
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

/** Reads the whole feed after `after`, in pages of `limit`, until it reaches the head. */
const drain = async (log: CommitDeps['log'], after: number, limit: number): Promise<FeedChange[]> => {
  const out: FeedChange[] = [];
  let cursor = after;
  for (;;) {
    const page = await readFeed(log, { after: cursor, limit });
    out.push(...page.changes);
    if (page.cursor === cursor) return out;
    cursor = page.cursor;
  }
};

describe('indexer with concurrent writers, the change log and its sealer', () => {
  it('ends in the in-order index, and the feed holds every committed change exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveriesArb(['P-1', 'P-2']),
        fc.scheduler(),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        async ({ specs, delivered }, s, aggressiveSealer, pageSize) => {
          // Prepare
          let concurrent = true;
          const yieldPoint = () =>
            concurrent ? s.schedule(Promise.resolve()).then(() => undefined) : Promise.resolve();
          const index = memoryIndexStore(yieldPoint);
          const feed = memoryFeedLog(yieldPoint);
          const committed = new Map<string, number>();
          const putMarker = index.store.putMarker;
          const store = {
            ...index.store,
            putMarker: async (...args: Parameters<typeof putMarker>) => {
              const ok = await putMarker(...args);
              if (ok) committed.set(args[0].naturalKey, (committed.get(args[0].naturalKey) ?? 0) + 1);
              return ok;
            },
          };
          const deps: CommitDeps = { store, log: feed.log, now: () => NOW, rules: RULES };
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
            publish(),
            publish(),
            reader(),
          ]);
          const results = await s.waitFor(work);
          const readerCursor = results.at(-1) as number;
          concurrent = false;
          await publish();
          const rest = await drain(feed.log, readerCursor, pageSize);

          // Assess: the index
          const got = new Map([...index.markers].map(([k, m]) => [k, observable(m)]));
          expect(got).toEqual(expectedIndex(updates).markers);
          // Every position is decided, every stored state has its change at its position.
          const entries = [...feed.entries].sort(([a], [b]) => a - b);
          expect(entries.map(([seq]) => seq)).toEqual(Array.from({ length: feed.head() }, (_, i) => i + 1));
          for (const m of index.markers.values()) {
            const entry = feed.entries.get(m.feedSeq) as LogEntry;
            expect(entry.kind === 'CHANGE' && entry.change.naturalKey === m.naturalKey).toBe(true);
          }
          // Exactly one change per committed write, in per-key commit order.
          const changes = entries.flatMap(([seq, e]) => (e.kind === 'CHANGE' ? [{ ...e.change, seq }] : []));
          const perKey = new Map<string, number>();
          for (const c of changes) perKey.set(c.naturalKey, (perKey.get(c.naturalKey) ?? 0) + 1);
          expect(perKey).toEqual(committed);
          for (const m of index.markers.values()) {
            const last = changes.filter((c) => c.naturalKey === m.naturalKey).at(-1);
            expect(last?.seq).toBe(m.feedSeq);
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
