import { describe, expect, it } from 'vitest';
import { decodeS3Key, objectsFromS3EventBody } from '../../../functions/ingest/s3-event.ts';

const s3Event = (key: string, eventName = 'ObjectCreated:Put') =>
  JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-2',
        eventTime: '2026-11-01T00:00:00.000Z',
        eventName,
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: 'msht-dev-data', arn: 'arn:aws:s3:::msht-dev-data' },
          object: { key, size: 120, eTag: 'abc', sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  });

describe('objectsFromS3EventBody', () => {
  it('reads bucket, decoded key, size and eTag of ObjectCreated records', () => {
    expect(objectsFromS3EventBody(s3Event('incoming/NA-NCA/2026-10/subjects+march%282%29.csv'))).toEqual([
      {
        bucket: 'msht-dev-data',
        key: 'incoming/NA-NCA/2026-10/subjects march(2).csv',
        size: 120,
        eTag: 'abc',
      },
    ]);
  });

  it('ignores removal events and the S3 test event', () => {
    expect(objectsFromS3EventBody(s3Event('incoming/x', 'ObjectRemoved:Delete'))).toEqual([]);
    expect(objectsFromS3EventBody(JSON.stringify({ Event: 's3:TestEvent', Bucket: 'b' }))).toEqual([]);
  });

  it('throws on a body that is not an S3 event', () => {
    expect(() => objectsFromS3EventBody('{"hello":1}')).toThrow();
    expect(() => objectsFromS3EventBody('not json')).toThrow();
  });

  it('decodes keys as S3 encodes them', () => {
    expect(decodeS3Key('a+b%2Bc')).toBe('a b+c');
  });
});
