import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '../errors.ts';

/** One message to send: an id unique within its batch and a body. */
export type OutgoingMessage = { readonly id: string; readonly body: string };

/** SendMessageBatch accepts at most 10 entries. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html */
export const SQS_BATCH_LIMIT = 10;

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
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 50;
  let pending = [...messages];
  for (let attempt = 1; pending.length > 0; attempt++) {
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: pending.map((m) => ({ Id: m.id, MessageBody: m.body })),
      }),
    );
    const failedIds = new Set((res.Failed ?? []).map((f) => f.Id));
    pending = pending.filter((m) => failedIds.has(m.id));
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) {
      const codes = [...new Set((res.Failed ?? []).map((f) => f.Code))].join(', ');
      throw new TransientError(
        `${pending.length} SQS message(s) failed after ${attempt} attempts (${codes})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
  }
};
