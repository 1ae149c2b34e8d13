import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_COULD_NOT_RUN } from '../../../cli/errors.ts';
import { run } from '../../../cli/main.ts';
import { newestReceived, type StatusListing } from '../../../cli/upload-statuses.ts';
import type { UploadStatusObject } from '../../../schemas/index.ts';

// `msht status` reads status objects from S3 only; what S3 refuses is told in one line with exit 4.

const s3Mock = mockClient(S3Client);
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');

const status = (uploadId: string, receivedAtMs: number): UploadStatusObject => ({
  uploadId,
  org: 'PF-E23000001',
  period: '2026-10',
  key: `incoming/PF-E23000001/2026-10/${uploadId}.csv`,
  fileName: `${uploadId}.csv`,
  recordType: 'subject',
  format: 'csv',
  sizeBytes: 10,
  status: 'INDEXED',
  counts: { rows: 1, accepted: 1, warnings: 0, rejected: 0, indexed: 1 },
  receivedAt: new Date(receivedAtMs).toISOString(),
  schemaVersion: 1,
});

describe('newestReceived', () => {
  it('gives the uploads received last, newest first, and stops reading at objects written before them', async () => {
    // Prepare: u-old was received first but written last (a late INDEXED); the others in order.
    const received: Record<string, number> = {
      'u-old': T0,
      u1: T0 + 60 * MINUTE,
      u2: T0 + 120 * MINUTE,
      u3: T0 + 180 * MINUTE,
      u4: T0 + 240 * MINUTE,
    };
    const listed: StatusListing[] = [
      { key: 'u-old', lastModified: T0 + 300 * MINUTE },
      ...['u1', 'u2', 'u3', 'u4'].map((k) => ({ key: k, lastModified: (received[k] as number) + MINUTE })),
    ];
    const reads: string[] = [];
    const read = async (key: string) => {
      reads.push(key);
      return status(key, received[key] as number);
    };

    // Act
    const latest = await newestReceived(listed, 2, read);

    // Assess
    expect(latest.map((s) => s.uploadId)).toEqual(['u4', 'u3']);
    expect(reads).toEqual(['u-old', 'u4', 'u3']); // u2 was written before u3 was received: not read
  });

  it('skips objects gone between the listing and the read', async () => {
    const latest = await newestReceived([{ key: 'gone', lastModified: T0 }], 5, async () => undefined);
    expect(latest).toEqual([]);
  });
});

describe('msht status and S3 refusing to list', () => {
  const stderr: string[] = [];
  beforeEach(() => {
    s3Mock.reset();
    stderr.length = 0;
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    vi.stubEnv('AWS_REGION', 'eu-west-2');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'k');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 's');
    vi.stubEnv('MSHT_BUCKET', 'data');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });
  const accessDenied = Object.assign(new Error('User is not authorized to perform: s3:ListBucket'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });

  it('without --org, for an organisation role: names the prefix it may not read and what to do (exit 4)', async () => {
    // Prepare: the role may list its own prefix only.
    s3Mock.on(ListObjectsV2Command).rejects(accessDenied);
    s3Mock.on(ListObjectsV2Command, { Prefix: 'reports/PF-E23000001/uploads/' }).resolves({ Contents: [] });

    // Act
    await run(['node', 'msht', 'status']);

    // Assess
    expect(process.exitCode).toBe(EXIT_COULD_NOT_RUN);
    const text = stderr.join('');
    expect(text).toMatch(
      /^msht: your credentials may not read reports\/PF-[^/]+\/uploads\/: User is not authorized/,
    );
    expect(text).toContain("Only the national team's role may read every organisation's reports");
    expect(text).toContain('--org CODE');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('with --org of another organisation: one line naming that prefix (exit 4)', async () => {
    // Prepare
    s3Mock.on(ListObjectsV2Command).rejects(accessDenied);

    // Act
    await run(['node', 'msht', 'status', 'u0123', '--org', 'PF-E23000002']);

    // Assess
    expect(process.exitCode).toBe(EXIT_COULD_NOT_RUN);
    expect(stderr.join('')).toBe(
      'msht: your credentials may not read reports/PF-E23000002/uploads/: User is not authorized to perform: s3:ListBucket\n',
    );
  });
});
