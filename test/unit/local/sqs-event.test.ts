import type { Message } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretBatchResponse, toSqsEvent, toSqsRecord } from '../../../infra/local/sqs-event.ts';

const SOURCE = { arn: 'arn:aws:sqs:eu-west-2:000000000000:msht-dev-records', region: 'eu-west-2' };

/** A message as ReceiveMessage returns it with attribute names All. */
const message = (overrides: Partial<Message> = {}): Message => ({
  MessageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
  ReceiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
  Body: '{"records":[]}',
  MD5OfBody: '9f2ab1b08bc9ab8c4eb0a9bb3a8c1d5e',
  Attributes: {
    ApproximateReceiveCount: '2',
    SentTimestamp: '1545082649183',
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  ...overrides,
});

describe('toSqsRecord', () => {
  it('maps a received message to the record Lambda puts in an SQSEvent', () => {
    // Act
    const record = toSqsRecord(message(), SOURCE);

    // Assess
    expect(record).toEqual({
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: '{"records":[]}',
      attributes: {
        ApproximateReceiveCount: '2',
        SentTimestamp: '1545082649183',
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: '1545082649185',
      },
      messageAttributes: {},
      md5OfBody: '9f2ab1b08bc9ab8c4eb0a9bb3a8c1d5e',
      eventSource: 'aws:sqs',
      eventSourceARN: SOURCE.arn,
      awsRegion: 'eu-west-2',
    });
  });

  it('gives message attributes Lambda’s shape: camel case, base64 binaries, empty lists', () => {
    // Prepare
    const received = message({
      MessageAttributes: {
        org: { DataType: 'String', StringValue: 'NA-NCA' },
        count: { DataType: 'Number', StringValue: '3' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
      },
      MD5OfMessageAttributes: 'abc123',
    });

    // Act
    const record = toSqsRecord(received, SOURCE);

    // Assess
    expect(record.messageAttributes).toEqual({
      org: { stringValue: 'NA-NCA', stringListValues: [], binaryListValues: [], dataType: 'String' },
      count: { stringValue: '3', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      blob: { binaryValue: 'AQL/', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    expect(record.md5OfMessageAttributes).toBe('abc123');
  });

  it('keeps the system attributes of a dead-lettered message', () => {
    // Prepare
    const received = message({
      Attributes: {
        ...message().Attributes,
        DeadLetterQueueSourceArn: 'arn:aws:sqs:eu-west-2:000000000000:q',
      },
    });

    // Act
    const record = toSqsRecord(received, SOURCE);

    // Assess
    expect(record.attributes.DeadLetterQueueSourceArn).toBe('arn:aws:sqs:eu-west-2:000000000000:q');
  });

  it('refuses a message without an id or receipt handle', () => {
    // Act
    const act = () => toSqsRecord(message({ ReceiptHandle: undefined }), SOURCE);

    // Assess
    expect(act).toThrow(/MessageId or ReceiptHandle/);
  });

  it('keeps the order of the batch in the event', () => {
    // Prepare
    const batch = ['a', 'b', 'c'].map((id) => message({ MessageId: id }));

    // Act
    const event = toSqsEvent(batch, SOURCE);

    // Assess
    expect(event.Records.map((r) => r.messageId)).toEqual(['a', 'b', 'c']);
  });
});

describe('interpretBatchResponse', () => {
  const ids = ['m1', 'm2', 'm3'];

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['an empty object', {}],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
  ])('treats %s as a full success', (_label, response) => {
    // Act
    const outcome = interpretBatchResponse(response, ids);

    // Assess
    expect(outcome).toEqual({ ok: true, failedIds: new Set() });
  });

  it('fails exactly the listed messages', () => {
    // Act
    const outcome = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids);

    // Assess
    expect(outcome).toEqual({ ok: true, failedIds: new Set(['m2']) });
  });

  it.each([
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'other' }] }],
    ['an empty id', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null id', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'm1' }] }],
    ['a list that is not a list', { batchItemFailures: 'm1' }],
    ['a string', 'ok'],
    ['an array', [{ itemIdentifier: 'm1' }]],
  ])('treats %s as a failure of the whole batch', (_label, response) => {
    // Act
    const outcome = interpretBatchResponse(response, ids);

    // Assess
    expect(outcome.ok).toBe(false);
  });

  it('never fails a message outside the batch', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1 }),
        fc.array(fc.nat()),
        (batch, picks) => {
          // Prepare
          const failures = picks.map((p) => ({ itemIdentifier: batch[p % batch.length] ?? '' }));

          // Act
          const outcome = interpretBatchResponse({ batchItemFailures: failures }, batch);

          // Assess
          expect(outcome.ok).toBe(true);
          if (outcome.ok) expect([...outcome.failedIds].every((id) => batch.includes(id))).toBe(true);
          if (outcome.ok)
            expect(outcome.failedIds.size).toBe(new Set(failures.map((f) => f.itemIdentifier)).size);
        },
      ),
    );
  });
});
