import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchForSqs, sendMessageBatch } from '../../../functions/shared/aws/sqs.ts';
import { TransientError } from '../../../functions/shared/errors.ts';

const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: 'eu-west-2' });
const messages = [
  { id: '0', body: 'a' },
  { id: '1', body: 'b' },
  { id: '2', body: 'c' },
];

describe('sendMessageBatch', () => {
  beforeEach(() => sqsMock.reset());

  it('re-sends only the entries SQS reports as failed', async () => {
    // Prepare
    sqsMock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }], Successful: [] })
      .resolves({ Failed: [], Successful: [] });
    // Act
    await sendMessageBatch(sqs, 'https://queue', messages, { baseDelayMs: 1 });
    // Assess
    const calls = sqsMock.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.map((e) => e.Id))).toEqual([['0', '1', '2'], ['1']]);
  });

  it('gives up with a TransientError naming the failure codes after the last attempt', async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: '2', Code: 'KMS.ThrottlingException', SenderFault: false }],
      Successful: [],
    });
    await expect(
      sendMessageBatch(sqs, 'https://queue', messages, { maxAttempts: 3, baseDelayMs: 1 }),
    ).rejects.toThrow(
      new TransientError('1 SQS message(s) failed after 3 attempts (KMS.ThrottlingException)'),
    );
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('refuses more than ten messages, the SendMessageBatch limit', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ id: String(i), body: 'x' }));
    await expect(sendMessageBatch(sqs, 'https://queue', many)).rejects.toThrow(RangeError);
  });
});

describe('batchForSqs', () => {
  beforeEach(() => sqsMock.reset());

  it('keeps each batch within ten entries and 1 MiB of bodies, in order', () => {
    const big = (id: number) => ({ id: String(id), body: 'x'.repeat(300 * 1024) });
    const small = (id: number) => ({ id: String(id), body: 'y' });
    const input = [big(0), big(1), big(2), big(3), ...Array.from({ length: 12 }, (_, i) => small(4 + i))];
    const batches = batchForSqs(input);
    expect(batches.map((b) => b.map((m) => m.id))).toEqual([
      ['0', '1', '2'],
      ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
      ['13', '14', '15'],
    ]);
    expect(batches.flat()).toEqual(input);
  });

  it('refuses a batch over 1 MiB before calling SQS', async () => {
    const heavy = Array.from({ length: 5 }, (_, i) => ({ id: String(i), body: 'z'.repeat(256 * 1024) }));
    await expect(sendMessageBatch(sqs, 'https://queue', heavy)).rejects.toThrow(RangeError);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
