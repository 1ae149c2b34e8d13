import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, it, type TestContext } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { STAGES, type StageSettings } from '../../infra/config.ts';
import { createLocalClients, destroyLocalClients, type LocalClients } from '../../infra/local/clients.ts';
import {
  LOCAL_REGION,
  type LocalStackOptions,
  type SqsHandler,
  startLocalStack,
} from '../../infra/local/local-stack.ts';

// Visibility timeout = 6 × function timeout = 1 s, so a failed message comes back after a second.
const FUNCTION_TIMEOUT_SECONDS = 1 / 6;
const SETTINGS: StageSettings = {
  ...STAGES.dev,
  functions: {
    ingest: { ...STAGES.dev.functions.ingest, timeoutSeconds: FUNCTION_TIMEOUT_SECONDS, maxReceiveCount: 2 },
    indexer: {
      ...STAGES.dev.functions.indexer,
      timeoutSeconds: FUNCTION_TIMEOUT_SECONDS,
      maxReceiveCount: 3,
      maxBatchingWindowSeconds: 0,
    },
  },
};

/** An invocation as the handler saw it; `remainingMs` is the context's remaining time when it was called. */
type Invocation = { readonly event: SQSEvent; readonly context: Context; readonly remainingMs: number };
type Behaviour = (event: SQSEvent, call: number) => SQSBatchResponse | undefined;

/** A test handler that records every invocation and answers as `behaviour` says. */
const recordingHandler = (behaviour: Behaviour = () => undefined) => {
  const invocations: Invocation[] = [];
  const handler: SqsHandler = async (event, context) => {
    invocations.push({ event, context, remainingMs: context.getRemainingTimeInMillis() });
    return behaviour(event, invocations.length);
  };
  return { handler, invocations, records: (): SQSRecord[] => invocations.flatMap((i) => i.event.Records) };
};

const quiet = () => undefined;

/** Starts a stack with recording handlers; it stops (and its data directory goes) when the test ends. */
const start = async (ctx: TestContext, options: Partial<LocalStackOptions> = {}) => {
  const ingest = recordingHandler();
  const indexer = recordingHandler();
  const stack = await startLocalStack({
    settings: SETTINGS,
    // The 1/6 s timeout is for quick retries; a loaded machine must not turn a success into a retry.
    enforceFunctionTimeouts: false,
    handlers: { ingest: ingest.handler, indexer: indexer.handler },
    log: quiet,
    ...options,
  });
  const clients = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('admin'));
  ctx.onTestFinished(async () => {
    destroyLocalClients(clients);
    await stack.stop();
  });
  return { stack, clients, ingest, indexer };
};

const tempDir = async (ctx: TestContext): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-local-test-'));
  ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

const eventually = async (check: () => Promise<boolean> | boolean, timeoutMs = 8_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const depth = async (clients: LocalClients, queueUrl: string): Promise<number> => {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
};

const receiveCounts = (records: readonly SQSRecord[], messageId: string): string[] =>
  records.filter((r) => r.messageId === messageId).map((r) => r.attributes.ApproximateReceiveCount);

describe.concurrent('local stack: S3 notifications', () => {
  it('delivers an object created under incoming/ to the ingest handler as the SQS event S3 would cause', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const { stack, clients, ingest } = await start(ctx);
    const key = 'incoming/PF-E23000001/2026-10/subjects march (2).csv';

    // Act
    await clients.s3.send(
      new PutObjectCommand({ Bucket: stack.resources.landingBucket, Key: key, Body: 'a,b\n1,2\n' }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    expect(ingest.invocations).toHaveLength(1);
    const [record] = ingest.records();
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:000000000000:${SETTINGS.queues.ingest}`,
      awsRegion: LOCAL_REGION,
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(Object.keys(record?.attributes ?? {}).sort()).toEqual([
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    const s3Event = JSON.parse(record?.body ?? '') as S3Event;
    expect(s3Event.Records).toHaveLength(1);
    const s3Record = s3Event.Records[0];
    expect(s3Record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: LOCAL_REGION,
      s3: {
        bucket: { name: SETTINGS.landingBucketName, arn: `arn:aws:s3:::${SETTINGS.landingBucketName}` },
        object: { key: 'incoming/PF-E23000001/2026-10/subjects+march+%282%29.csv', size: 8 },
      },
    });
    expect(s3Record?.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    const encoded = s3Record?.s3.object.key ?? '';
    expect(new URLSearchParams(`k=${encoded}`).get('k')).toBe(key);
    // The remaining time as the handler saw it on entry: read later, it measures this machine, not the stack.
    const { context, remainingMs } = ingest.invocations[0] ?? {};
    expect(context?.functionName).toBe(`${SETTINGS.prefix}-ingest`);
    expect(remainingMs).toBeGreaterThan(0);
    expect(remainingMs).toBeLessThanOrEqual(FUNCTION_TIMEOUT_SECONDS * 1000);
  });

  it('notifies a copy into incoming/ with the eTag and size s3rver leaves out', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const { stack, clients, ingest } = await start(ctx);
    const { bucket, landingBucket } = stack.resources;
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/NA-NCA/a.csv', Body: 'abc' }));

    // Act
    await clients.s3.send(
      new CopyObjectCommand({
        Bucket: landingBucket,
        Key: 'incoming/NA-NCA/2026-10/a.csv',
        CopySource: `${bucket}/reports/NA-NCA/a.csv`,
      }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    const [s3Record] = ingest.records().flatMap((r) => (JSON.parse(r.body) as S3Event).Records);
    expect(s3Record?.eventName).toBe('ObjectCreated:Copy');
    expect(s3Record?.s3.object).toMatchObject({
      key: 'incoming/NA-NCA/2026-10/a.csv',
      size: 3,
      eTag: '900150983cd24fb0d6963f7d28e17f72',
    });
  });

  it('ignores objects outside incoming/ of the landing bucket', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const { stack, clients, ingest } = await start(ctx);
    const { bucket, landingBucket } = stack.resources;

    // Act
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'reports/NA-NCA/u1.json', Body: '{}' }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'incoming/NA-NCA/2026-10/b.csv', Body: 'x' }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: landingBucket, Key: 'incomingx/NA-NCA/a.csv', Body: 'x' }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: landingBucket, Key: 'incoming/NA-NCA/2026-10/a.csv', Body: 'x' }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    const keys = ingest.records().map((r) => (JSON.parse(r.body) as S3Event).Records[0]?.s3.object.key);
    expect(keys).toEqual(['incoming/NA-NCA/2026-10/a.csv']);
  });
});

describe.concurrent('local stack: SQS event source mapping', () => {
  it('moves a message the handler keeps failing to the DLQ after maxReceiveCount receives', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const failing = recordingHandler((event) => ({
      batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: failing.handler },
    });
    const { queueUrls } = stack.resources;

    // Act
    const sent = await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrls.records, MessageBody: 'poison' }),
    );
    await eventually(async () => (await depth(clients, queueUrls.recordsDlq)) === 1);

    // Assess
    const maxReceiveCount = SETTINGS.functions.indexer.maxReceiveCount;
    expect(receiveCounts(failing.records(), sent.MessageId ?? '')).toEqual(
      Array.from({ length: maxReceiveCount }, (_, i) => String(i + 1)),
    );
    const dead = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.recordsDlq }));
    expect(dead.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'poison']]);
    await stack.waitForIdle({ timeoutMs: 3_000 });
  });

  it('deletes nothing when the handler throws: the whole batch comes back', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const indexer = recordingHandler();
    const throwing: SqsHandler = async (event, context) => {
      const call = indexer.invocations.length;
      await indexer.handler(event, context);
      if (call === 0) throw new Error('boom');
    };
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: throwing },
    });
    const { queueUrls } = stack.resources;

    // Act
    const sent = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrls.records,
        Entries: ['a', 'b', 'c'].map((id) => ({ Id: id, MessageBody: `body-${id}` })),
      }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    const ids = (sent.Successful ?? []).map((s) => s.MessageId ?? '');
    expect(ids).toHaveLength(3);
    expect(indexer.invocations[0]?.event.Records.map((r) => r.messageId).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(receiveCounts(indexer.records(), id)).toEqual(['1', '2']);
    expect(await depth(clients, queueUrls.recordsDlq)).toBe(0);
  });

  it('deletes the rest of a batch and retries only the messages reported in batchItemFailures', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const indexer = recordingHandler((event) => ({
      batchItemFailures: event.Records.filter(
        (r) => r.body === 'fail' && r.attributes.ApproximateReceiveCount === '1',
      ).map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: indexer.handler },
    });
    const { queueUrls } = stack.resources;

    // Act
    const sent = await clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrls.records,
        Entries: ['ok1', 'fail', 'ok2'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    const idOf = (body: string): string => sent.Successful?.find((s) => s.Id === body)?.MessageId ?? '';
    expect(indexer.invocations[0]?.event.Records).toHaveLength(3);
    expect(receiveCounts(indexer.records(), idOf('ok1'))).toEqual(['1']);
    expect(receiveCounts(indexer.records(), idOf('ok2'))).toEqual(['1']);
    expect(receiveCounts(indexer.records(), idOf('fail'))).toEqual(['1', '2']);
    expect(indexer.invocations[1]?.event.Records.map((r) => r.messageId)).toEqual([idOf('fail')]);
  });

  it('treats a response naming a message outside the batch as a failure of the whole batch', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const indexer = recordingHandler((_event, call) =>
      call === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : undefined,
    );
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: indexer.handler },
    });

    // Act
    const sent = await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queueUrls.records,
        MessageBody: 'x',
        MessageAttributes: { org: { DataType: 'String', StringValue: 'NA-NCA' } },
      }),
    );
    await stack.waitForIdle({ timeoutMs: 5_000 });

    // Assess
    expect(receiveCounts(indexer.records(), sent.MessageId ?? '')).toEqual(['1', '2']);
    expect(indexer.records()[0]?.messageAttributes).toEqual({
      org: { dataType: 'String', stringValue: 'NA-NCA', stringListValues: [], binaryListValues: [] },
    });
  });

  it('lets an invocation in progress finish when the stack stops, and stops only once', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    let finished = false;
    let started = false;
    const slow: SqsHandler = async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 100));
      finished = true;
    };
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: slow },
    });
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrls.records, MessageBody: 'x' }),
    );
    await eventually(() => started);

    // Act
    const stopping = stack.stop();
    const again = stack.stop();
    await stopping;

    // Assess
    expect(finished).toBe(true);
    expect(again).toBe(stopping);
  });
});

describe.concurrent('local stack: lifecycle', () => {
  it('keeps objects and table items in the data directory between runs', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const dataDir = await tempDir(ctx);
    const first = await start(ctx, { dataDir });
    const { bucket, tables } = first.stack.resources;
    await first.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'reports/NA-NCA/u1.json', Body: '{"n":1}' }),
    );
    await first.clients.dynamodb.send(
      new PutItemCommand({
        TableName: tables.uploads,
        Item: { uploadId: { S: 'u1' }, org: { S: 'NA-NCA' } },
      }),
    );
    destroyLocalClients(first.clients);
    await first.stack.stop();

    // Act
    const second = await start(ctx, { dataDir });

    // Assess
    const object = await second.clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'reports/NA-NCA/u1.json' }),
    );
    expect(await object.Body?.transformToString()).toBe('{"n":1}');
    const item = await second.clients.dynamodb.send(
      new GetItemCommand({ TableName: tables.uploads, Key: { uploadId: { S: 'u1' } } }),
    );
    expect(item.Item?.org).toEqual({ S: 'NA-NCA' });
  });

  it('rejects waitForIdle after the timeout, naming the queue that does not drain', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const indexer = recordingHandler((event) => ({
      batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
    }));
    const { stack, clients } = await start(ctx, {
      handlers: { ingest: recordingHandler().handler, indexer: indexer.handler },
    });
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrls.records, MessageBody: 'x' }),
    );

    // Act
    const waiting = stack.waitForIdle({ timeoutMs: 300 });

    // Assess
    await expect(waiting).rejects.toThrow(
      /not idle: no progress for 300 ms .*: queue msht-dev-records still holds messages/,
    );
  });

  it('gives the functions the Lambda environment, whose endpoints the AWS SDK honours', async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const before = process.env.AWS_ENDPOINT_URL_S3;
    const { stack } = await start(ctx, { applyEnv: true });

    // Act
    const s3 = new S3Client({ forcePathStyle: true });
    const sqs = new SQSClient({});
    const dynamodb = new DynamoDBClient({});
    const head = await s3.send(new HeadBucketCommand({ Bucket: stack.resources.bucket }));
    const queues = await sqs.send(new ListQueuesCommand({}));
    const tables = await dynamodb.send(new ListTablesCommand({}));
    for (const client of [s3, sqs, dynamodb]) client.destroy();
    await stack.stop();

    // Assess
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(queues.QueueUrls).toContain(stack.resources.queueUrls.records);
    expect(tables.TableNames?.sort()).toEqual(
      [SETTINGS.tables.feed.name, SETTINGS.tables.markers.name, SETTINGS.tables.uploads.name].sort(),
    );
    expect(stack.env).toMatchObject({
      [ENV.bucket]: SETTINGS.bucketName,
      [ENV.landingBucket]: SETTINGS.landingBucketName,
      [ENV.recordsQueueUrl]: stack.resources.queueUrls.records,
      [ENV.uploadsTable]: SETTINGS.tables.uploads.name,
      [ENV.markersTable]: SETTINGS.tables.markers.name,
      [ENV.stage]: 'dev',
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_S3: stack.endpoints.s3,
      AWS_ENDPOINT_URL_SQS: stack.endpoints.sqs,
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
    });
    expect(process.env.AWS_ENDPOINT_URL_S3).toBe(before);
  });
});
