import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { findUpload } from '../../../cli/commands/upload.ts';
import { type UploadStatusObject, uploadStatusKey } from '../../../schemas/index.ts';

// `msht upload` finds its upload by the id ingest derives, or else among the status objects of its
// organisation written since it started: never the ledger.

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-2', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });
const ORG = 'PF-E23000001';
const KEY = `incoming/${ORG}/2026-10/subjects.csv`;
const SINCE = '2026-11-01T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(SINCE) + minutes * 60_000);

const status = (uploadId: string, key: string, receivedAt: Date): UploadStatusObject => ({
  uploadId,
  org: ORG,
  period: '2026-10',
  key,
  fileName: 'subjects.csv',
  recordType: 'subject',
  format: 'csv',
  sizeBytes: 10,
  status: 'QUEUED',
  counts: { rows: 1, accepted: 1, warnings: 0, rejected: 0, indexed: 0 },
  receivedAt: receivedAt.toISOString(),
  schemaVersion: 1,
});

/** Status objects in the bucket, with when each was written. */
const bucket = (objects: { status: UploadStatusObject; written: Date }[]) => {
  s3Mock.on(ListObjectsV2Command).callsFake(({ Prefix = '' }) => ({
    Contents: objects
      .map((o) => ({ Key: uploadStatusKey(ORG, o.status.uploadId), LastModified: o.written }))
      .filter((c) => c.Key.startsWith(Prefix)),
  }));
  s3Mock.on(GetObjectCommand).callsFake(({ Key }) => {
    const found = objects.find((o) => uploadStatusKey(ORG, o.status.uploadId) === Key);
    if (!found) throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
    const text = JSON.stringify(found.status);
    return { Body: { transformToString: async () => text } };
  });
};

describe('findUpload', () => {
  beforeEach(() => s3Mock.reset());

  it('reads the status object of the id ingest derives when there is one', async () => {
    bucket([{ status: status('u-direct', KEY, at(1)), written: at(1) }]);
    const found = await findUpload(s3, 'data', {
      uploadId: 'u-direct',
      org: ORG,
      key: KEY,
      since: SINCE,
      earlier: new Set(),
    });
    expect(found?.uploadId).toBe('u-direct');
  });

  it('else takes the newest upload of the same key written and received since it started, not an earlier one', async () => {
    // Prepare
    bucket([
      { status: status('u-long-ago', KEY, at(-600)), written: at(-599) },
      { status: status('u-late-rewrite', KEY, at(-600)), written: at(2) }, // old upload, status written now
      { status: status('u-just-before', KEY, at(-1)), written: at(-1) }, // within clock skew, but listed before
      { status: status('u-other-file', `incoming/${ORG}/2026-10/objects.csv`, at(1)), written: at(1) },
      { status: status('u-mine', KEY, at(1)), written: at(1) },
    ]);

    // Act
    const found = await findUpload(s3, 'data', {
      uploadId: 'u-derived-from-another-etag',
      org: ORG,
      key: KEY,
      since: SINCE,
      earlier: new Set(['u-just-before']),
    });

    // Assess
    expect(found?.uploadId).toBe('u-mine');
  });

  it('finds nothing while ingest has written no status object yet', async () => {
    bucket([]);
    const found = await findUpload(s3, 'data', {
      uploadId: 'u-x',
      org: ORG,
      key: KEY,
      since: SINCE,
      earlier: new Set(),
    });
    expect(found).toBeUndefined();
  });
});
