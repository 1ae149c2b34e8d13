import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '../errors.ts';
import { retryPending } from '../retry.ts';

/** One message to send: an id unique within its batch and a body. */
export type OutgoingMessage = { readonly id: string; readonly body: string };

/**
 * SendMessageBatch accepts at most 10 entries whose bodies add up to at most 1 MiB.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
 */
export const SQS_BATCH_LIMIT = 10;
export const SQS_BATCH_MAX_BYTES = 1024 * 1024;

/** Groups messages, in order, into batches that SendMessageBatch accepts (count and total size). */
export const batchForSqs = (messages: readonly OutgoingMessage[]): OutgoingMessage[][] => {
  const batches: OutgoingMessage[][] = [];
  let batch: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body);
    if (batch.length > 0 && (batch.length === SQS_BATCH_LIMIT || bytes + size > SQS_BATCH_MAX_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
};

/**
 * Sends up to ten messages with SendMessageBatch and retries the entries SQS reports as failed, with a
 * short exponential backoff. Throws a `TransientError` when entries still fail after the last attempt.
 */
export const sendMessageBatch = async (
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  options: { maxAttempts?: number; baseDelayMs?: number } = {},
): Promise<void> => {
  if (messages.length > SQS_BATCH_LIMIT)
    throw new RangeError(`At most ${SQS_BATCH_LIMIT} messages per batch`);
  if (messages.reduce((n, m) => n + Buffer.byteLength(m.body), 0) > SQS_BATCH_MAX_BYTES) {
    throw new RangeError(`At most ${SQS_BATCH_MAX_BYTES} bytes of message bodies per batch`);
  }
  let codes = '';
  await retryPending(
    messages,
    async (pending) => {
      const res = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((m) => ({ Id: m.id, MessageBody: m.body })),
        }),
      );
      const failed = res.Failed ?? [];
      codes = [...new Set(failed.map((f) => f.Code))].join(', ');
      const failedIds = new Set(failed.map((f) => f.Id));
      return pending.filter((m) => failedIds.has(m.id));
    },
    {
      maxAttempts: options.maxAttempts ?? 5,
      baseMs: options.baseDelayMs ?? 50,
      onExhausted: (pending, attempts) =>
        new TransientError(`${pending.length} SQS message(s) failed after ${attempts} attempts (${codes})`),
    },
  );
};
