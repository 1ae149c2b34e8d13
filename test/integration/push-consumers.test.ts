import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../infra/config.ts';
import { createLocalClients, destroyLocalClients } from '../../infra/local/clients.ts';
import { pushConsumerProfile } from '../../infra/local/iam/personas.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { FeedChangeSchema } from '../../schemas/feed/feed-change.ts';
import { pushQueueName } from '../../schemas/feed/push-consumers.ts';
import { parseStageSettings } from '../../schemas/settings/stage-settings.ts';

// Two downstream systems with a push queue each (stage settings `pushConsumers`): each must receive
// every change, under its own role, which may read its own queue and nothing else.
const ORG = 'PF-E23000014';
const CONSUMERS = ['case-system', 'analytics'] as const;
const settings = parseStageSettings({
  ...STAGES.dev,
  pushConsumers: CONSUMERS.map((name) => ({ name, principals: [] })),
});
const CSV = [
  'source_record_ref,source_system,roles,as_at',
  ...Array.from(
    { length: 12 },
    (_, i) => `P-${i},NICHE,${i % 3 ? 'suspect' : 'potential victim'},2026-10-01T10:00:00Z`,
  ),
].join('\n');

let stack: LocalStack;

const sqsAs = (profile: string) =>
  new SQSClient({
    region: stack.env.AWS_REGION,
    endpoint: stack.env.AWS_ENDPOINT_URL_SQS,
    credentials: stack.iam.credentials(profile),
    maxAttempts: 1,
  });
const urls = new Map<string, string>();
const queueUrl = (name: string): string => urls.get(name) ?? 'no such queue';

/** Receives and deletes everything in a queue, as its consumer; the changes' seqs in order. */
const drain = async (sqs: SQSClient, url: string): Promise<number[]> => {
  const seqs: number[] = [];
  for (;;) {
    const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const messages = res.Messages ?? [];
    if (messages.length === 0) return seqs.sort((a, b) => a - b);
    seqs.push(...messages.map((m) => FeedChangeSchema.parse(JSON.parse(m.Body ?? '')).seq));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
};

beforeAll(async () => {
  stack = await startLocalStack({
    settings,
    dataDir: await mkdtemp(join(tmpdir(), 'msht-push-')),
    logLevel: 'ERROR',
    schedules: { feedPublisher: { everyMs: 60_000 }, pndExport: false },
  });
  const clients = createLocalClients(
    stack.endpoints,
    stack.env.AWS_REGION ?? 'eu-west-2',
    stack.iam.credentials('admin'),
  );
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.resources.landingBucket,
      Key: `incoming/${ORG}/2026-10/subjects.csv`,
      Body: CSV,
    }),
  );
  for (const name of CONSUMERS) {
    const { QueueUrl } = await clients.sqs.send(
      new GetQueueUrlCommand({ QueueName: pushQueueName(settings, name) }),
    );
    urls.set(name, QueueUrl ?? '');
  }
  destroyLocalClients(clients);
  await stack.waitForIdle({ timeoutMs: 60_000 });
  await stack.schedules.feedPublisher?.runNow();
});

afterAll(async () => {
  await stack?.stop();
});

describe('push consumers with a queue each', () => {
  it('delivers every change to each consumer, which reads it under its own role', async () => {
    const defaultQueue = await drain(sqsAs('feed'), stack.resources.queueUrls.feed);
    expect(defaultQueue.length).toBeGreaterThanOrEqual(12);
    for (const name of CONSUMERS) {
      const sqs = sqsAs(pushConsumerProfile(name));
      expect(await drain(sqs, queueUrl(name))).toEqual(defaultQueue);
      sqs.destroy();
    }
  });

  it('a consumer may read its own queue only: not the other consumer’s, the default one or the feed log', async () => {
    const [first, second] = CONSUMERS;
    const sqs = sqsAs(pushConsumerProfile(first));
    for (const url of [queueUrl(second), stack.resources.queueUrls.feed])
      await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).rejects.toMatchObject({
        name: expect.stringMatching(/AccessDenied/),
      });
    sqs.destroy();
    const db = new DynamoDBClient({
      region: stack.env.AWS_REGION,
      endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: stack.iam.credentials(pushConsumerProfile(first)),
      maxAttempts: 1,
    });
    await expect(
      db.send(new GetItemCommand({ TableName: stack.resources.tables.feed, Key: { seq: { S: 'HEAD' } } })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/AccessDenied/) });
    db.destroy();
  });
});
