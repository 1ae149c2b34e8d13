import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type {
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttribute,
  SQSMessageAttributes,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';

/** Where the records of an event come from: the queue's ARN and region. */
export type EventSourceQueue = { readonly arn: string; readonly region: string };

/** A message attribute as Lambda presents it: camel-case names, base64 binaries, list fields always present. */
export const toLambdaMessageAttribute = (value: MessageAttributeValue): SQSMessageAttribute => ({
  ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
  ...(value.BinaryValue === undefined
    ? {}
    : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
  stringListValues: value.StringListValues ?? [],
  binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
  dataType: value.DataType ?? 'String',
});

const toAttributes = (attributes: Message['Attributes']): SQSRecordAttributes => {
  const all: Record<string, string> = { ...attributes };
  return {
    ...all,
    ApproximateReceiveCount: all.ApproximateReceiveCount ?? '1',
    SentTimestamp: all.SentTimestamp ?? '',
    SenderId: all.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: all.ApproximateFirstReceiveTimestamp ?? '',
  };
};

/**
 * Maps a message from ReceiveMessage (attribute names All) to the record Lambda's SQS event source
 * puts in an `SQSEvent`. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export const toSqsRecord = (message: Message, source: EventSourceQueue): SQSRecord => {
  if (!message.MessageId || !message.ReceiptHandle) {
    throw new Error('An SQS message without MessageId or ReceiptHandle cannot become an SQS record');
  }
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = toLambdaMessageAttribute(value);
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: toAttributes(message.Attributes),
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: source.arn,
    awsRegion: source.region,
  };
};

/** The `SQSEvent` for one received batch. */
export const toSqsEvent = (messages: readonly Message[], source: EventSourceQueue): SQSEvent => ({
  Records: messages.map((m) => toSqsRecord(m, source)),
});

/** What to do with a batch after the handler returned: delete these messages, keep the others. */
export type BatchOutcome =
  | { readonly ok: true; readonly failedIds: ReadonlySet<string> }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a handler's response as Lambda does with ReportBatchItemFailures: nothing, `{}` or an empty
 * list means all succeeded; listed ids failed; an id that is empty, missing or not in the batch, or a
 * response of the wrong shape, fails the whole batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export const interpretBatchResponse = (response: unknown, batchIds: readonly string[]): BatchOutcome => {
  if (response === undefined || response === null) return { ok: true, failedIds: new Set() };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return {
      ok: false,
      reason: `handler returned ${Array.isArray(response) ? 'an array' : typeof response}`,
    };
  }
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return { ok: true, failedIds: new Set() };
  if (!Array.isArray(failures)) return { ok: false, reason: 'batchItemFailures is not a list' };
  const ids = new Set(batchIds);
  const failedIds = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '')
      return { ok: false, reason: 'a batch item failure has no itemIdentifier' };
    if (!ids.has(id)) return { ok: false, reason: 'a batch item failure names a message not in the batch' };
    failedIds.add(id);
  }
  return { ok: true, failedIds };
};
