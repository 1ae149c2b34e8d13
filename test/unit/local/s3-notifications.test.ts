import type { S3Event } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { S3rverEventRecord } from '../../../infra/local/emulators.ts';
import {
  createSequencer,
  encodeS3EventKey,
  isForwarded,
  s3EventName,
  s3NotificationBody,
  toS3NotificationRecord,
} from '../../../infra/local/s3-notifications.ts';

/** A record as s3rver 3.7 emits it for a PUT (lib/models/event.js). */
const s3rverRecord = (overrides: Partial<S3rverEventRecord> = {}): S3rverEventRecord =>
  ({
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-11-01T10:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:ABC' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'I2' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'testConfigId',
      bucket: {
        name: 'msht-dev-data',
        ownerIdentity: { principalId: 'OWNER' },
        arn: 'arn:aws:s3: : :msht-dev-data',
      },
      object: {
        key: 'incoming/NA-NCA/2026-10/subjects (2).csv',
        size: 120,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: '18B',
      },
    },
    ...overrides,
  }) as S3rverEventRecord;

const formDecode = (encoded: string): string | null => new URLSearchParams(`k=${encoded}`).get('k');

describe('encodeS3EventKey', () => {
  it.each([
    ['incoming/NA-NCA/2026-10/subjects.csv', 'incoming/NA-NCA/2026-10/subjects.csv'],
    ['incoming/a b.csv', 'incoming/a+b.csv'],
    ['incoming/subjects (2).csv', 'incoming/subjects+%282%29.csv'],
    ['incoming/a+b=c&d.csv', 'incoming/a%2Bb%3Dc%26d.csv'],
    ['incoming/Ysgol Gymraeg ŵ.csv', 'incoming/Ysgol+Gymraeg+%C5%B5.csv'],
  ])('encodes %s as S3 does in event notifications', (key, expected) => {
    // Act
    const encoded = encodeS3EventKey(key);

    // Assess
    expect(encoded).toBe(expected);
  });

  it('is undone by form URL decoding, for any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (key) => {
        expect(formDecode(encodeS3EventKey(key))).toBe(key);
      }),
    );
  });
});

describe('s3EventName', () => {
  it('names a multipart completion as S3 does, and keeps every other name', () => {
    // Act
    const names = [
      s3EventName('ObjectCreated:Post', { method: 'POST', query: { uploadId: 'u1' } }),
      s3EventName('ObjectCreated:Post', { method: 'POST', query: {} }),
      s3EventName('ObjectCreated:Put', { method: 'PUT', query: {} }),
      s3EventName('ObjectCreated:Copy', undefined),
    ];

    // Assess
    expect(names).toEqual([
      'ObjectCreated:CompleteMultipartUpload',
      'ObjectCreated:Post',
      'ObjectCreated:Put',
      'ObjectCreated:Copy',
    ]);
  });
});

describe('createSequencer', () => {
  it('hands out 18-digit hex sequencers that strictly increase, even when the clock stands still or goes back', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }), { minLength: 2 }),
        (times) => {
          // Prepare
          let i = 0;
          const next = createSequencer(() => times[i++] ?? 0);

          // Act
          const sequencers = times.map(() => next());

          // Assess
          for (const s of sequencers) expect(s).toMatch(/^[0-9A-F]{18}$/);
          for (let j = 1; j < sequencers.length; j++) {
            expect((sequencers[j] ?? '') > (sequencers[j - 1] ?? '')).toBe(true);
          }
        },
      ),
    );
  });
});

describe('toS3NotificationRecord', () => {
  it('turns an s3rver record into the record S3 sends', () => {
    // Act
    const record = toS3NotificationRecord(s3rverRecord(), {
      region: 'eu-west-2',
      sequencer: '0055AED6DCD90281E5',
    });

    // Assess
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-2',
      eventTime: '2026-11-01T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:ABC' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'I2' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'msht-local-incoming',
        bucket: {
          name: 'msht-dev-data',
          ownerIdentity: { principalId: 'OWNER' },
          arn: 'arn:aws:s3:::msht-dev-data',
        },
        object: {
          key: 'incoming/NA-NCA/2026-10/subjects+%282%29.csv',
          size: 120,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          sequencer: '0055AED6DCD90281E5',
        },
      },
    });
  });

  it('fills in the eTag and size s3rver leaves out of a copy event', () => {
    // Prepare
    const copy = s3rverRecord({
      eventName: 'ObjectCreated:Copy',
      s3: { bucket: { name: 'msht-dev-data' }, object: { key: 'incoming/x.csv' } },
    });

    // Act
    const record = toS3NotificationRecord(copy, {
      region: 'eu-west-2',
      sequencer: '1',
      eTag: 'abc',
      size: 7,
    });

    // Assess
    expect(record.s3.object).toEqual({ key: 'incoming/x.csv', size: 7, eTag: 'abc', sequencer: '1' });
    expect(record.eventName).toBe('ObjectCreated:Copy');
  });

  it('wraps one record in the message body S3 sends to SQS', () => {
    // Prepare
    const record = toS3NotificationRecord(s3rverRecord(), { region: 'eu-west-2', sequencer: '1' });

    // Act
    const body = JSON.parse(s3NotificationBody(record)) as S3Event;

    // Assess
    expect(body).toEqual({ Records: [record] });
  });
});

describe('isForwarded', () => {
  it.each([
    ['ObjectCreated:Put', 'msht-dev-data', 'incoming/NA-NCA/2026-10/a.csv', true],
    ['ObjectCreated:CompleteMultipartUpload', 'msht-dev-data', 'incoming/a.csv', true],
    ['ObjectRemoved:Delete', 'msht-dev-data', 'incoming/a.csv', false],
    ['ObjectCreated:Put', 'msht-dev-data', 'reports/NA-NCA/u.json', false],
    ['ObjectCreated:Put', 'msht-dev-data', 'incomingx/a.csv', false],
    ['ObjectCreated:Put', 'other-bucket', 'incoming/a.csv', false],
  ])('%s of s3://%s/%s → %s', (eventName, bucket, key, expected) => {
    // Prepare
    const record = s3rverRecord({ eventName, s3: { bucket: { name: bucket }, object: { key } } });

    // Act
    const forwarded = isForwarded(record, 'msht-dev-data', 'incoming/');

    // Assess
    expect(forwarded).toBe(expected);
  });
});
