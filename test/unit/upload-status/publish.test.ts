import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishUploadStatus, readUploadStatus } from '../../../functions/shared/upload-status.ts';
import { type UploadLedgerEntry, UploadStatusObjectSchema, uploadStatusOf } from '../../../schemas/index.ts';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-2' });

const ENTRY: UploadLedgerEntry = {
  uploadId: 'u0123456789abcdef01234567',
  org: 'PF-E23000001',
  period: '2026-10',
  key: 'incoming/PF-E23000001/2026-10/subjects.csv',
  fileName: 'subjects.csv',
  recordType: 'subject',
  format: 'csv',
  sha256: 'a'.repeat(64),
  sizeBytes: 120,
  status: 'INDEXED',
  counts: { rows: 3, accepted: 2, warnings: 0, rejected: 1, indexed: 2 },
  receivedAt: '2026-11-01T10:00:00.000Z',
  completedAt: '2026-11-01T10:00:05.000Z',
  indexedAt: '2026-11-01T10:00:09.000Z',
  schemaVersion: 1,
  attempts: 1,
  reportKey: 'reports/PF-E23000001/u0123456789abcdef01234567.json',
  curatedKey: 'curated/2026-10/PF-E23000001/u0123456789abcdef01234567.jsonl.gz',
};

describe('publishUploadStatus', () => {
  beforeEach(() => s3Mock.reset());

  it('writes the organisation view of the entry to reports/{org}/uploads/{uploadId}.json, with the bucket default encryption', async () => {
    // Act
    await publishUploadStatus(s3, 'data', ENTRY);

    // Assess
    const [call] = s3Mock.commandCalls(PutObjectCommand);
    const input = call?.args[0].input;
    expect(input).toMatchObject({
      Bucket: 'data',
      Key: 'reports/PF-E23000001/uploads/u0123456789abcdef01234567.json',
      ContentType: 'application/json',
    });
    expect(input?.ServerSideEncryption).toBeUndefined();
    const body = JSON.parse(String(input?.Body));
    expect(UploadStatusObjectSchema.parse(body)).toEqual(uploadStatusOf(ENTRY));
    // Nothing the organisation does not need: no content hash, attempts or curated key.
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['sha256']));
    expect(body).not.toHaveProperty('attempts');
    expect(body).not.toHaveProperty('curatedKey');
    expect(body).toMatchObject({ status: 'INDEXED', indexedAt: ENTRY.indexedAt, counts: ENTRY.counts });
  });
});

describe('readUploadStatus', () => {
  beforeEach(() => s3Mock.reset());

  it('reads a status object, and gives undefined when there is none', async () => {
    // Prepare
    const text = JSON.stringify(uploadStatusOf(ENTRY));
    s3Mock
      .on(GetObjectCommand, { Key: 'present' })
      .resolves({ Body: { transformToString: async () => text } as never })
      .on(GetObjectCommand, { Key: 'absent' })
      .rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }));

    // Act, Assess
    expect(await readUploadStatus(s3, 'data', 'present')).toEqual(uploadStatusOf(ENTRY));
    expect(await readUploadStatus(s3, 'data', 'absent')).toBeUndefined();
  });
});
