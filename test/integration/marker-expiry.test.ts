import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { createDynamoOutbox } from '../../functions/feed/outbox.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { sequenceFeed } from '../../functions/feed/sequence.ts';
import { type CommitDeps, indexRecordUpdate } from '../../functions/indexer/commit.ts';
import { createDynamoIndexStore } from '../../functions/indexer/marker-store.ts';
import { recordUpdateOf } from '../../functions/indexer/ordering.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { fromMarkerItem } from '../../functions/shared/markers/marker-item.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import type { CanonicalRecord, StoredMarker } from '../../schemas/index.ts';
import { TEST_KEY } from '../support/pseudonym-key.ts';
import { RULES, subjectRecord } from '../unit/indexer/fixtures.ts';

// The expiry Lambda handler, run by the local stack's schedule against the local DynamoDB emulator, after markers were
// written years ago (the commit API with an old clock) and nothing has written them since.
let stack: LocalStack;
let db: DynamoDBDocumentClient;

const record = (ref: string, mopiGroup: string, asAt: string): CanonicalRecord =>
  ({
    ...subjectRecord({ ref, roles: ['VICTIM'], asAt, exploitation: 'LABOUR', withdrawn: false }),
    mopiGroup,
  }) as CanonicalRecord;

const markers = async (): Promise<Map<string, StoredMarker>> => {
  const found = new Map<string, StoredMarker>();
  for await (const page of paginateScan({ client: db }, { TableName: stack.resources.tables.markers })) {
    for (const item of page.Items ?? [])
      if (item.itemType === 'MARKER') found.set(String(item.sourceRecordRef), fromMarkerItem(item));
  }
  return found;
};

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-expiry-')),
    logLevel: 'ERROR',
    // Only the expiry pass, and only when the test runs it.
    schedules: { markerExpiry: { everyMs: 3_600_000 }, feedPublisher: false, pndExport: false },
  });
  db = createAwsClients().dynamodb;
  const written = '2020-01-01T00:00:00.000Z';
  const deps: CommitDeps = {
    store: createDynamoIndexStore(db, stack.resources.tables.markers),
    now: () => written,
    rules: RULES,
  };
  for (const r of [
    record('EXP-3', '3', '2019-01-10T00:00:00.000Z'), // group 3, time-based disposal: due 2025-01-10
    record('REV-1', '1', '2015-01-10T00:00:00.000Z'), // group 1, review: due 2025-01-10
  ]) {
    const update = recordUpdateOf(r, TEST_KEY);
    if (!update) throw new Error('no update');
    await indexRecordUpdate(deps, update);
  }
  await sequence();
});

/** What the feed publisher's sequencer does on its schedule (off here): logs the committed changes. */
const sequence = () =>
  sequenceFeed({
    log: createDynamoFeedLog(db, stack.resources.tables.feed, () => new Date().toISOString()),
    outbox: createDynamoOutbox(db, stack.resources.tables.markers),
    now: () => new Date().toISOString(),
    maxPerRun: 1000,
  });

afterAll(async () => {
  await stack?.stop();
});

describe('the marker expiry function on the local stack', () => {
  it('writes EXPIRED with a feed change on a marker due under time-based disposal, and nothing else', async () => {
    // Prepare
    const before = await markers();
    expect([before.get('EXP-3')?.status, before.get('REV-1')?.status]).toEqual(['ACTIVE', 'ACTIVE']);

    // Act
    const result = await stack.schedules.markerExpiry?.runNow();

    // Assess
    expect(result).toEqual({ examined: 2, expired: 1, retries: 0 });
    await sequence();
    const after = await markers();
    expect(after.get('EXP-3')).toMatchObject({ status: 'EXPIRED', pndSyncState: 'PENDING' });
    expect(after.get('REV-1')).toEqual(before.get('REV-1'));
    const feed = await readFeed(
      createDynamoFeedLog(db, stack.resources.tables.feed, () => ''),
      { after: 0, limit: 100 },
    );
    expect(feed.changes.map((c) => [c.seq, c.status])).toEqual([
      [1, 'ACTIVE'],
      [2, 'ACTIVE'],
      [3, 'EXPIRED'],
    ]);
  });

  it('changes nothing when it runs again', async () => {
    const before = await markers();
    expect(await stack.schedules.markerExpiry?.runNow()).toEqual({ examined: 1, expired: 0, retries: 0 });
    expect(await markers()).toEqual(before);
  });
});
