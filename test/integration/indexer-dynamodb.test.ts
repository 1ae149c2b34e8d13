import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOf } from '../../functions/feed/change.ts';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { createDynamoOutbox } from '../../functions/feed/outbox.ts';
import { publishFeed } from '../../functions/feed/publish.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { sequenceFeed } from '../../functions/feed/sequence.ts';
import { type CommitDeps, indexRecordUpdate } from '../../functions/indexer/commit.ts';
import { createDynamoIndexStore } from '../../functions/indexer/marker-store.ts';
import type { RecordUpdate } from '../../functions/indexer/ordering.ts';
import { fromMarkerItem } from '../../functions/shared/markers/marker-item.ts';
import { STAGES } from '../../infra/config.ts';
import { localAwsClientConfig } from '../../infra/local/clients.ts';
import { type Emulators, startEmulators } from '../../infra/local/emulators.ts';
import { createTableInput } from '../../infra/local/resources.ts';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import { deliveriesArb, expectedIndex, observable, RULES, updateOf } from '../unit/indexer/fixtures.ts';

let emulators: Emulators;
let raw: DynamoDBClient;
let db: DynamoDBDocumentClient;
let tableNo = 0;

beforeAll(async () => {
  emulators = await startEmulators({ ports: { s3: 0, sqs: 0, dynamodb: 0 }, region: 'eu-west-2' });
  raw = new DynamoDBClient(localAwsClientConfig(emulators.endpoints.dynamodb, 'eu-west-2'));
  db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(async () => {
  raw.destroy();
  await emulators.close();
});

/** Fresh markers and feed tables (the local emulator creates them at once). */
const freshTables = async () => {
  tableNo++;
  const markers = { ...STAGES.dev.tables.markers, name: `markers-${tableNo}` };
  const feed = { ...STAGES.dev.tables.feed, name: `feed-${tableNo}` };
  await raw.send(new CreateTableCommand(createTableInput(markers)));
  await raw.send(new CreateTableCommand(createTableInput(feed)));
  return { markers: markers.name, feed: feed.name };
};

describe('indexer on DynamoDB (the local emulator), concurrent deliveries', () => {
  it('ends in the in-order index and a gap-free feed, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(deliveriesArb(['P-1', 'P-2']), async ({ specs, delivered }) => {
        // Prepare
        const tables = await freshTables();
        const now = () => '2026-11-20T00:00:00.000Z';
        const log = createDynamoFeedLog(db, tables.feed, now);
        const deps: CommitDeps = {
          store: createDynamoIndexStore(db, tables.markers),
          now,
          rules: RULES,
        };
        const updates = specs.map(updateOf);
        const pushed: FeedChange[] = [];
        const sequence = () =>
          sequenceFeed({
            log,
            outbox: createDynamoOutbox(db, tables.markers),
            now,
            maxPerRun: 1000,
            blockSize: 2,
          });
        const publish = () =>
          publishFeed({
            log,
            send: async (c) => void pushed.push(...c),
            now,
            holeTimeoutMs: 0,
            maxPerRun: 1000,
          });

        // Act: every delivery at once (separate HTTP requests interleave in the emulator), plus the sequencer
        // and a sealer.
        await Promise.all([
          ...delivered.map((i) => indexRecordUpdate(deps, updates[i] as RecordUpdate)),
          sequence(),
          publish(),
        ]);
        await sequence();
        await publish();

        // Assess
        const items = (await db.send(new ScanCommand({ TableName: tables.markers }))).Items ?? [];
        const markers = items.filter((i) => i.itemType === 'MARKER').map(fromMarkerItem);
        expect(new Map(markers.map((m) => [m.naturalKey, observable(m)]))).toEqual(
          expectedIndex(updates).markers,
        );
        const all: FeedChange[] = [];
        for (let cursor = 0; ; ) {
          const page = await readFeed(log, { after: cursor, limit: 3 });
          all.push(...page.changes);
          if (page.cursor === cursor) break;
          cursor = page.cursor;
        }
        expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b));
        // The last change of each key is its current state, and nothing is left unlogged.
        for (const m of markers) {
          expect(all.filter((c) => c.naturalKey === m.naturalKey).at(-1)).toEqual({
            ...changeOf(m),
            seq: expect.any(Number),
          });
          expect(m.loggedFeedSeq).toBe(m.feedSeq);
        }
        expect([...new Set(pushed.map((c) => c.seq))]).toEqual(all.map((c) => c.seq));
      }),
      { numRuns: 12 },
    );
  });
});
