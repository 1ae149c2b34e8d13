import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseIndex } from '../../cli/marker-summary.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { STAGES, type StageSettings } from '../../infra/config.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';

// Visibility timeout 6 × 1/6 s = 1 s, two receives: a failing message reaches the DLQ in about 2 s.
const settings: StageSettings = {
  ...STAGES.dev,
  functions: {
    ...STAGES.dev.functions,
    indexer: {
      ...STAGES.dev.functions.indexer,
      timeoutSeconds: 1 / 6,
      maxReceiveCount: 2,
      maxBatchingWindowSeconds: 0,
    },
  },
};

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;

beforeAll(async () => {
  stack = await startLocalStack({
    settings,
    // The short timeouts are for quick retries; a slow (loaded) machine must not turn success into a retry.
    enforceFunctionTimeouts: false,
    dataDir: await mkdtemp(join(tmpdir(), 'msht-dlq-')),
    logLevel: 'CRITICAL',
    log: () => undefined,
    schedules: { feedPublisher: false, pndExport: false },
  });
  clients = createAwsClients();
});

afterAll(async () => {
  await stack?.stop();
});

describe('a records message that always fails', () => {
  it('ends in the records DLQ, where the operator sees it, after maxReceiveCount attempts', async () => {
    // Prepare: a record the schema rejects (every delivery fails the same way)
    const body = JSON.stringify({
      v: 1,
      uploadId: 'u-poison',
      chunk: 0,
      records: [{ recordType: 'subject', sourceOrg: 'nowhere' }],
    });

    // Act
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrls.records, MessageBody: body }),
    );
    await stack.waitForIdle({ timeoutMs: 15_000 });

    // Assess
    const overview = await summariseIndex(clients, stack.resources.tables, {
      recordsDlqUrl: stack.resources.queueUrls.recordsDlq,
    });
    expect(overview.deadLetters).toBe(1);
    expect(overview.markers).toBe(0);
    const dead = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.resources.queueUrls.recordsDlq }),
    );
    expect(dead.Messages?.[0]?.Body).toBe(body);
  });
});
