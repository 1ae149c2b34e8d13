import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { profileEnv } from '../support/profile-env.ts';

// A consumer in "any language": it knows nothing of this project but docs/feed.md, "The pull protocol,
// in any language": the table, the `seq` keys, the HEAD, CHANGE and VOID items. It reads with the plain
// AWS SDK document client (it unmarshalls DynamoDB JSON) as the feed consumers' role, and must get exactly what `msht feed` prints.
const ORG = 'PF-E23000014';
const MSHT = new URL('../../bin/msht.mjs', import.meta.url).pathname;
const CSV = [
  'source_record_ref,source_system,roles,as_at',
  ...Array.from(
    { length: 30 },
    (_, i) => `P-${i},NICHE,${i % 2 ? 'suspect' : 'potential victim'},2026-10-01T10:00:00Z`,
  ),
].join('\n');

let stack: LocalStack;

/** The documented protocol: HEAD, then positions after the cursor in order, stopping at a missing one. */
const pullAll = async (db: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> => {
  const key = (n: number) => ({ seq: String(n).padStart(16, '0') });
  const out: Record<string, unknown>[] = [];
  let cursor = 0;
  for (;;) {
    const head = await db.send(
      new GetCommand({ TableName: table, Key: { seq: 'HEAD' }, ConsistentRead: true }),
    );
    const h = Number(head.Item?.head ?? 0);
    if (h <= cursor) return out;
    const last = Math.min(h, cursor + 100);
    const wanted = Array.from({ length: last - cursor }, (_, i) => key(cursor + 1 + i));
    const items = new Map<string, Record<string, unknown>>();
    let pending = wanted;
    while (pending.length > 0) {
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of res.Responses?.[table] ?? []) items.set(String(item.seq), item);
      pending = (res.UnprocessedKeys?.[table]?.Keys as typeof pending | undefined) ?? [];
    }
    for (let n = cursor + 1; n <= last; n++) {
      const item = items.get(key(n).seq);
      if (!item) return out; // not final yet: read again later
      if (item.kind === 'CHANGE') out.push({ ...(item.change as Record<string, unknown>), seq: n });
      cursor = n;
    }
  }
};

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-feed-pull-')),
    logLevel: 'ERROR',
    schedules: { feedPublisher: { everyMs: 60_000 }, pndExport: false },
  });
  await createAwsClients().s3.send(
    new PutObjectCommand({
      Bucket: stack.resources.landingBucket,
      Key: `incoming/${ORG}/2026-10/subjects.csv`,
      Body: CSV,
    }),
  );
  await stack.waitForIdle({ timeoutMs: 60_000 });
  await stack.schedules.feedPublisher?.runNow();
});

afterAll(async () => {
  await stack?.stop();
});

describe('the pull feed, read from its documented storage contract only', () => {
  it('gives, as the feed consumer, exactly the changes msht feed prints, in order', async () => {
    const credentials = stack.iam.credentials('feed');
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: stack.env.AWS_REGION,
        endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
        credentials,
      }),
    );
    const pulled = await pullAll(db, stack.resources.tables.feed);
    db.destroy();
    const printed = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [MSHT, 'feed', '--since', '0'],
        { env: profileEnv(stack, 'feed') },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    const expected = printed
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(pulled.length).toBeGreaterThanOrEqual(30);
    expect(pulled).toEqual(expected);
    expect(pulled.map((c) => c.seq)).toEqual(
      [...pulled.map((c) => c.seq)].sort((a, b) => Number(a) - Number(b)),
    );
  });
});
