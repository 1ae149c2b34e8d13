import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseIndex } from '../../cli/marker-summary.ts';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { type FeedChange, FeedChangeSchema } from '../../schemas/feed/feed-change.ts';

const ORG = 'PF-E23000014';
const HEADER = 'source_record_ref,source_system,roles,as_at,pnc_id';
const OCTOBER = [
  HEADER,
  'P-1,NICHE,potential victim,2026-10-01T10:00:00Z,2001/0123456X',
  'P-2,NICHE,suspect;offender,2026-10-02T10:00:00Z,',
].join('\n');
// November: P-1 is now a victim (its potential-victim marker is superseded); P-2 unchanged.
const NOVEMBER = [
  HEADER,
  'P-1,NICHE,victim,2026-11-05T10:00:00Z,2001/0123456X',
  'P-2,NICHE,suspect;offender,2026-10-02T10:00:00Z,',
].join('\n');

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;

const upload = async (period: string, body: string) => {
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.resources.landingBucket,
      Key: `incoming/${ORG}/${period}/subjects.csv`,
      Body: body,
    }),
  );
  await stack.waitForIdle({ timeoutMs: 30_000 });
};
const readAll = async (after: number, limit = 2): Promise<{ changes: FeedChange[]; cursor: number }> => {
  const log = createDynamoFeedLog(clients.dynamodb, stack.resources.tables.feed, () =>
    new Date().toISOString(),
  );
  const changes: FeedChange[] = [];
  let cursor = after;
  for (;;) {
    const page = await readFeed(log, { after: cursor, limit });
    changes.push(...page.changes);
    if (page.cursor === cursor) return { changes, cursor };
    cursor = page.cursor;
  }
};
const pushed = async (): Promise<FeedChange[]> => {
  const out: FeedChange[] = [];
  for (;;) {
    const res = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.resources.queueUrls.feed, MaxNumberOfMessages: 10 }),
    );
    const messages = res.Messages ?? [];
    if (messages.length === 0) return out.sort((a, b) => a.seq - b.seq);
    out.push(...messages.map((m) => FeedChangeSchema.parse(JSON.parse(m.Body ?? ''))));
    await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.resources.queueUrls.feed,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
};
const publish = () => stack.schedules.feedPublisher?.runNow();

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-feed-')),
    logLevel: 'ERROR',
    schedules: { feedPublisher: { everyMs: 60_000 }, pndExport: false },
  });
  clients = createAwsClients();
});

afterAll(async () => {
  await stack?.stop();
});

describe('the marker feed on the local stack', () => {
  it('serves every committed change in order from any cursor, pushes each to the feed queue, pseudonymously', async () => {
    // Act
    await upload('2026-10', OCTOBER);
    await publish();
    const october = await readAll(0);

    // Assess: three markers (potential victim; suspect; offender), each change valid and pseudonymous
    expect(october.changes.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(october.changes.map((c) => c.markerType).sort()).toEqual([
      'MSHT_OFFENDER',
      'MSHT_POTENTIAL_VICTIM',
      'MSHT_SUSPECT',
    ]);
    for (const c of october.changes) expect(FeedChangeSchema.safeParse(c).success).toBe(true);
    expect(JSON.stringify(october.changes)).not.toMatch(/P-1|P-2|0123456X|NICHE/);
    expect(await pushed()).toEqual(october.changes);

    // Act: November, resuming from October's cursor
    await upload('2026-11', NOVEMBER);
    await publish();
    const november = await readAll(october.cursor, 1);

    // Assess: only the new changes, after the cursor, in order; the unchanged record made none
    expect(november.changes.map((c) => [c.markerType, c.status])).toEqual(
      expect.arrayContaining([
        ['MSHT_VICTIM', 'ACTIVE'],
        ['MSHT_POTENTIAL_VICTIM', 'SUPERSEDED'],
      ]),
    );
    expect(november.changes).toHaveLength(2);
    expect(november.changes.every((c) => c.seq > october.cursor)).toBe(true);
    expect(await pushed()).toEqual(november.changes);
    expect((await readAll(1)).changes.map((c) => c.seq)).toEqual([
      2,
      3,
      ...november.changes.map((c) => c.seq),
    ]);
    const overview = await summariseIndex(clients, stack.resources.tables);
    expect(overview.feed).toEqual({ head: november.cursor, pushCursor: november.cursor });
    expect(overview.byStatus).toEqual({ ACTIVE: 3, SUPERSEDED: 1 });
  });
});
