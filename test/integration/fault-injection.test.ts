import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { STAGES, type StageSettings } from '../../infra/config.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import type { UploadLedgerEntry } from '../../schemas/index.ts';

// Fault injection on the at-least-once paths, with the real handlers on the emulators. Faults are injected
// by wrapping the SDK clients' `send`, which every adapter (ours and the handlers') goes through.
const settings: StageSettings = {
  ...STAGES.dev,
  functions: {
    ingest: { ...STAGES.dev.functions.ingest, timeoutSeconds: 3, maxReceiveCount: 4 },
    indexer: { ...STAGES.dev.functions.indexer, timeoutSeconds: 8, batchSize: 1, maxReceiveCount: 4 },
  },
};
const ORG = 'PF-E23000010';

const subjectsCsv = (rows: number, prefix: string): string =>
  [
    'source_record_ref,source_system,roles,sex',
    ...Array.from(
      { length: rows },
      (_, i) => `${prefix}-${i},NICHE,${i % 2 ? 'SUSPECT' : 'POTENTIAL_VICTIM'},F`,
    ),
  ].join('\n');

type Send = (this: unknown, command: unknown, ...rest: unknown[]) => Promise<unknown>;
const originalSqsSend = SQSClient.prototype.send as unknown as Send;
const originalDynamoSend = DynamoDBDocumentClient.prototype.send as unknown as Send;

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;
let ledger: ReturnType<typeof createLedger>;

const upload = async (key: string, body: string): Promise<UploadLedgerEntry> => {
  await clients.s3.send(
    new PutObjectCommand({ Bucket: stack.resources.landingBucket, Key: key, Body: body }),
  );
  // Fails only after 60 s without any progress (a loaded machine is slow, not stuck).
  await stack.waitForIdle({ timeoutMs: 60_000 });
  const entry = (await ledger.listByOrg(ORG, 100)).find((e) => e.key === key);
  if (!entry) throw new Error(`no ledger entry for ${key}`);
  return entry;
};
const markersWithPrefix = async (prefix: string): Promise<number> => {
  let count = 0;
  const pages = paginateScan(
    { client: clients.dynamodb },
    {
      TableName: stack.resources.tables.markers,
      ProjectionExpression: 'sourceRecordRef',
      FilterExpression: 'itemType = :marker AND begins_with(sourceRecordRef, :prefix)',
      ExpressionAttributeValues: { ':marker': 'MARKER', ':prefix': `${prefix}-` },
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
};
const dlqDepth = async (url: string): Promise<number> => {
  const res = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(res.Attributes?.ApproximateNumberOfMessages ?? 0);
};

beforeAll(async () => {
  stack = await startLocalStack({
    settings,
    // The short timeouts are for quick retries; a slow (loaded) machine must not turn success into a retry.
    enforceFunctionTimeouts: false,
    dataDir: await mkdtemp(join(tmpdir(), 'msht-faults-')),
    logLevel: 'ERROR',
    // The faults are injected by patching the AWS SDK in this process, so the handlers must run here.
    inProcessHandlers: true,
  });
  clients = createAwsClients();
  ledger = createLedger(clients.dynamodb, stack.resources.tables.uploads);
});

afterEach(() => {
  SQSClient.prototype.send = originalSqsSend as typeof SQSClient.prototype.send;
  DynamoDBDocumentClient.prototype.send = originalDynamoSend as typeof DynamoDBDocumentClient.prototype.send;
});

afterAll(async () => {
  await stack?.stop();
});

describe('fault injection', () => {
  it('an ingest that dies mid-file is retried and ends with the same records, no gaps and no duplicates', async () => {
    // Prepare: the first run crashes at its second SendMessageBatch, after some records were queued.
    let batches = 0;
    SQSClient.prototype.send = async function (this: unknown, command: unknown, ...rest: unknown[]) {
      if (command instanceof SendMessageBatchCommand && ++batches === 2)
        throw new Error('injected crash mid-file');
      return originalSqsSend.call(this, command, ...rest);
    } as typeof SQSClient.prototype.send;
    // Act
    const entry = await upload(`incoming/${ORG}/2026-10/subjects-crash.csv`, subjectsCsv(6000, 'C'));
    // Assess
    expect(batches).toBeGreaterThan(2);
    expect(entry.attempts).toBe(2);
    expect(entry.status).toBe('INDEXED');
    expect(entry.counts).toMatchObject({ rows: 6000, accepted: 6000, rejected: 0, indexed: 6000 });
    expect(await markersWithPrefix('C')).toBe(6000);
  }, 600_000);

  it('SQS reporting some entries of a batch as failed: they are re-sent and nothing is lost', async () => {
    let injected = 0;
    SQSClient.prototype.send = async function (this: unknown, command: unknown, ...rest: unknown[]) {
      if (
        command instanceof SendMessageBatchCommand &&
        injected === 0 &&
        (command.input.Entries?.length ?? 0) > 1
      ) {
        injected++;
        const [victim, ...others] = command.input.Entries ?? [];
        const sent = (await originalSqsSend.call(
          this,
          new SendMessageBatchCommand({ ...command.input, Entries: others }),
          ...rest,
        )) as { Successful?: unknown[] };
        return { ...sent, Failed: [{ Id: victim?.Id, Code: 'InternalError', SenderFault: false }] };
      }
      return originalSqsSend.call(this, command, ...rest);
    } as typeof SQSClient.prototype.send;
    const entry = await upload(`incoming/${ORG}/2026-10/subjects-partial.csv`, subjectsCsv(1500, 'S'));
    expect(injected).toBe(1);
    expect(entry.status).toBe('INDEXED');
    expect(entry.counts).toMatchObject({ rows: 1500, accepted: 1500, indexed: 1500 });
    expect(await markersWithPrefix('S')).toBe(1500);
  }, 600_000);

  it('DynamoDB throttling the indexer: the message is redelivered and every record is indexed once', async () => {
    let throttled = 0;
    DynamoDBDocumentClient.prototype.send = async function (
      this: unknown,
      command: unknown,
      ...rest: unknown[]
    ) {
      // A write to the markers table: a single-item write, or a transaction the indexer commits with.
      const input = (
        command as {
          input?: { TableName?: string; TransactItems?: { Put?: { TableName?: string } }[] };
        }
      ).input;
      const markers = stack.resources.tables.markers;
      const writesMarkers =
        input?.TableName === markers ||
        (input?.TransactItems ?? []).some((a) => a.Put?.TableName === markers);
      if (writesMarkers && throttled < 3) {
        throttled++;
        const error = new Error('Rate of requests exceeds the allowed throughput.');
        error.name = 'ThrottlingException';
        throw error;
      }
      return originalDynamoSend.call(this, command, ...rest);
    } as typeof DynamoDBDocumentClient.prototype.send;
    const entry = await upload(`incoming/${ORG}/2026-10/subjects-throttled.csv`, subjectsCsv(300, 'T'));
    expect(throttled).toBe(3);
    expect(entry.status).toBe('INDEXED');
    expect(entry.counts).toMatchObject({ rows: 300, accepted: 300, indexed: 300 });
    expect(await markersWithPrefix('T')).toBe(300);
    expect(await dlqDepth(stack.resources.queueUrls.recordsDlq)).toBe(0);
  }, 600_000);
});
