import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../../infra/local/clients.ts';
import { type Emulators, startEmulators } from '../../../infra/local/emulators.ts';

// The SQS journal (infra/local/sqs-journal.ts) through the emulator's own wire protocol: what one run of
// the emulators leaves in the queues, a second run on the same data folder finds, as SQS would keep it.

const REGION = 'eu-west-2';
const running: { emulators: Emulators; sqs: SQSClient }[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) {
    r.sqs.destroy();
    await r.emulators.close();
  }
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Starts the emulators on `dataDir` with a queue and its DLQ (maxReceiveCount 2), as the local stack does. */
const start = async (dataDir: string) => {
  const emulators = await startEmulators({ ports: { s3: 0, sqs: 0, dynamodb: 0 }, region: REGION, dataDir });
  const sqs = new SQSClient(localAwsClientConfig(emulators.endpoints.sqs, REGION));
  running.push({ emulators, sqs });
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }));
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: 'work',
      Attributes: {
        VisibilityTimeout: '600',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: `arn:aws:sqs:${REGION}:000000000000:work-dlq`,
          maxReceiveCount: 2,
        }),
      },
    }),
  );
  const restored = emulators.restoreQueues();
  return { emulators, sqs, url: queue.QueueUrl ?? '', dlqUrl: dlq.QueueUrl ?? '', restored };
};

const stop = async (emulators: Emulators): Promise<void> => {
  const i = running.findIndex((r) => r.emulators === emulators);
  const [r] = running.splice(i, 1);
  r?.sqs.destroy();
  await emulators.close();
};

const receiveAll = async (sqs: SQSClient, url: string) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    )
  ).Messages ?? [];

const depth = async (sqs: SQSClient, url: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return [
    Number(Attributes?.ApproximateNumberOfMessages),
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
  ];
};

const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-journal-'));
  dirs.push(dir);
  return dir;
};

describe('the SQS journal', () => {
  it('keeps sent messages, makes in-flight ones visible again with their receive count, and forgets deleted ones', async () => {
    // Prepare: three messages; one deleted, one received (in flight), one never received.
    const dataDir = await tempDir();
    const first = await start(dataDir);
    expect(first.restored).toEqual({ queues: {}, expired: 0, deadLettered: 0, tornTail: false });
    await first.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: first.url,
        Entries: ['a', 'b', 'c'].map((id) => ({
          Id: id,
          MessageBody: `body-${id}`,
          MessageAttributes: { org: { DataType: 'String', StringValue: `org-${id}` } },
        })),
      }),
    );
    const received = await receiveAll(first.sqs, first.url);
    expect(received).toHaveLength(3);
    const byBody = new Map(received.map((m) => [m.Body, m]));
    await first.sqs.send(
      new DeleteMessageCommand({ QueueUrl: first.url, ReceiptHandle: byBody.get('body-a')?.ReceiptHandle }),
    );
    // (local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too.)
    expect((await depth(first.sqs, first.url))[1]).toBe(2);

    // Act: a stop, then a start on the same folder.
    await stop(first.emulators);
    const second = await start(dataDir);

    // Assess
    expect(second.restored?.queues.work).toEqual({ messages: 2, receivedBefore: 2 });
    expect(await depth(second.sqs, second.url)).toEqual([2, 0]);
    const again = await receiveAll(second.sqs, second.url);
    expect(again.map((m) => m.Body).sort()).toEqual(['body-b', 'body-c']);
    for (const m of again) {
      const before = byBody.get(m.Body ?? '');
      expect(m.MessageId).toBe(before?.MessageId);
      expect(m.Attributes?.ApproximateReceiveCount).toBe('2');
      expect(m.Attributes?.SentTimestamp).toBe(before?.Attributes?.SentTimestamp);
      expect(m.MessageAttributes?.org?.StringValue).toBe(before?.MessageAttributes?.org?.StringValue);
    }
  });

  it('sends a message received maxReceiveCount times to its DLQ; a released receive does not count', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.url, MessageBody: 'poison' }));
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.url, MessageBody: 'released' }));
    const [one, two] = await receiveAll(first.sqs, first.url);
    const released = [one, two].find((m) => m?.Body === 'released');
    // The local stack releases the messages of an invocation it abandoned at a stop.
    first.emulators.releaseSqsMessages('work', [released?.MessageId ?? '']);
    await stop(first.emulators);

    // Second run: the poison message's second receive, then a crash (no delete).
    const second = await start(dataDir);
    const got = await receiveAll(second.sqs, second.url);
    expect(Object.fromEntries(got.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount]))).toEqual({
      poison: '2',
      released: '1',
    });
    await stop(second.emulators);

    // Third run: the poison message has used its two receives and is in the DLQ.
    const third = await start(dataDir);
    expect(third.restored?.deadLettered).toBe(1);
    expect((await receiveAll(third.sqs, third.url)).map((m) => m.Body)).toEqual(['released']);
    const dead = await receiveAll(third.sqs, third.dlqUrl);
    expect(dead.map((m) => m.Body)).toEqual(['poison']);
    expect(dead[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(`arn:aws:sqs:${REGION}:000000000000:work`);
  });

  it('ignores a last line torn by a kill while it was written', async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    await first.sqs.send(new SendMessageCommand({ QueueUrl: first.url, MessageBody: 'kept' }));
    await stop(first.emulators);
    await appendFile(join(dataDir, 'sqs', 'journal.jsonl'), '{"o":"a","q":"work","id":"x","b":"tor');

    const second = await start(dataDir);

    expect(second.restored?.tornTail).toBe(true);
    expect((await receiveAll(second.sqs, second.url)).map((m) => m.Body)).toEqual(['kept']);
  });
});
