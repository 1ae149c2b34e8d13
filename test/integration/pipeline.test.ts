import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { paginateScan, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { readUploadStatus } from '../../functions/shared/upload-status.ts';
import { STAGES, type StageSettings } from '../../infra/config.ts';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { type UploadLedgerEntry, uploadStatusKey, uploadStatusOf } from '../../schemas/index.ts';

// Short timeouts so that a failed ingest message comes back within seconds, not an hour.
const settings: StageSettings = {
  ...STAGES.dev,
  functions: {
    ingest: { ...STAGES.dev.functions.ingest, timeoutSeconds: 1, maxReceiveCount: 3 },
    indexer: { ...STAGES.dev.functions.indexer, timeoutSeconds: 1, maxReceiveCount: 3 },
  },
};

const ORG = 'PF-E23000014';
const SUBJECTS_CSV = [
  'Source_Record_Ref,Source System,Role,Gender,DOB,Nationality,Exploitation Types',
  'P-1,NICHE,potential victim,F,14/03/2009,Albanian,labour',
  'P-2,NICHE,suspect,male,1990-01-02,GBR,sexual',
  'P-3,NICHE,,F,01/01/2000,VNM,labour',
  'P-4,NICHE,victim,woman,31/02/1990,Vietnamese,criminal',
  '"P-5",NICHE,"offender","M","1985","UK","county lines"',
].join('\r\n');

let stack: LocalStack;
let clients: ReturnType<typeof createAwsClients>;
let ledger: ReturnType<typeof createLedger>;

const put = async (key: string, body: string | Buffer): Promise<void> => {
  await clients.s3.send(
    new PutObjectCommand({ Bucket: stack.resources.landingBucket, Key: key, Body: body }),
  );
};
const getText = async (key: string): Promise<string> => {
  const res = await clients.s3.send(new GetObjectCommand({ Bucket: stack.resources.bucket, Key: key }));
  return Buffer.from(
    await (res.Body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray(),
  ).toString('utf-8');
};
const getBytes = async (key: string): Promise<Buffer> => {
  const res = await clients.s3.send(new GetObjectCommand({ Bucket: stack.resources.bucket, Key: key }));
  return Buffer.from(
    await (res.Body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray(),
  );
};
/**
 * The ledger entry of the upload at `key`, once the stack is idle; it checks on the way that the upload's
 * status object (what the organisation reads instead of the ledger) says the same.
 */
const entryFor = async (key: string): Promise<UploadLedgerEntry> => {
  const entries = await ledger.listByOrg(ORG, 100);
  const entry = entries.find((e) => e.key === key);
  if (!entry) throw new Error(`no ledger entry for ${key}`);
  const object = await readUploadStatus(
    clients.s3,
    stack.resources.bucket,
    uploadStatusKey(ORG, entry.uploadId),
  );
  expect(object).toEqual(uploadStatusOf(entry));
  return entry;
};
const markerCount = async (): Promise<number> => {
  let count = 0;
  const pages = paginateScan(
    { client: clients.dynamodb },
    {
      TableName: stack.resources.tables.markers,
      Select: 'COUNT',
      FilterExpression: 'itemType = :marker',
      ExpressionAttributeValues: { ':marker': 'MARKER' },
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
};

beforeAll(async () => {
  stack = await startLocalStack({
    settings,
    // The short timeouts are for quick retries; a slow (loaded) machine must not turn success into a retry.
    enforceFunctionTimeouts: false,
    dataDir: await mkdtemp(join(tmpdir(), 'msht-pipeline-')),
    logLevel: 'ERROR',
  });
  clients = createAwsClients();
  ledger = createLedger(clients.dynamodb, stack.resources.tables.uploads);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the pipeline on the local stack', () => {
  const key = `incoming/${ORG}/2026-10/subjects.csv`;

  it('ingests an upload end to end: every row accepted and indexed or rejected with a reason', async () => {
    // Act
    await put(key, SUBJECTS_CSV);
    await stack.waitForIdle({ timeoutMs: 30_000 });
    // Assess
    const entry = await entryFor(key);
    expect(entry.status).toBe('INDEXED');
    expect(entry.counts).toEqual({
      rows: 5,
      accepted: 3,
      warnings: entry.counts.warnings,
      rejected: 2,
      indexed: 3,
    });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);

    const report = JSON.parse(await getText(`reports/${ORG}/${entry.uploadId}.json`));
    const errors = report.entries.filter((e: { severity: string }) => e.severity === 'error');
    expect(errors.map((e: { row: number; field: string; code: string }) => [e.row, e.field, e.code])).toEqual(
      [
        [3, 'roles', 'REQUIRED_MISSING'],
        [4, 'date_of_birth', 'INVALID_DATE'],
      ],
    );
    const csv = await getText(`reports/${ORG}/${entry.uploadId}.csv`);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFline,row,source_record_ref,severity,field,code,message,value');

    const curated = gunzipSync(
      await getBytes(`curated/record_type=subject/month=2026-10/org=${ORG}/${entry.uploadId}.jsonl.gz`),
    )
      .toString('utf-8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(curated.map((r) => r.sourceRecordRef)).toEqual(['P-1', 'P-2', 'P-5']);
    expect(curated.every((r) => r.provenance.fileSha256 === entry.sha256 && r.schemaVersion === 1)).toBe(
      true,
    );
    expect(await markerCount()).toBe(3);
  });

  it('does nothing more when S3 delivers the same event again', async () => {
    // Prepare
    const before = await entryFor(key);
    const markers = await markerCount();
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-2',
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: {
              name: stack.resources.landingBucket,
              arn: `arn:aws:s3:::${stack.resources.landingBucket}`,
            },
            object: { key, size: SUBJECTS_CSV.length, eTag: (await headETag(key)) ?? '' },
          },
        },
      ],
    };
    // Act
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.resources.queueUrls.ingest,
        MessageBody: JSON.stringify(event),
      }),
    );
    await stack.waitForIdle({ timeoutMs: 30_000 });
    // Assess
    const after = await entryFor(key);
    expect(after).toEqual(before);
    expect(after.attempts).toBe(1);
    expect(await markerCount()).toBe(markers);
  });

  it('withdraws the markers of a record its source withdrew (an explicit withdrawal row)', async () => {
    // Act: next month's extract says P-1 was deleted at source.
    const withdrawal = `incoming/${ORG}/2026-11/subjects-withdrawn.csv`;
    await put(
      withdrawal,
      'source_record_ref,source_system,roles,record_status,as_at\nP-1,NICHE,potential victim,withdrawn,2026-11-20T10:00:00Z\n',
    );
    await stack.waitForIdle({ timeoutMs: 30_000 });
    // Assess
    expect((await entryFor(withdrawal)).status).toBe('INDEXED');
    const res = await clients.dynamodb.send(
      new ScanCommand({
        TableName: stack.resources.tables.markers,
        FilterExpression: 'itemType = :marker AND sourceRecordRef = :ref',
        ExpressionAttributeValues: { ':marker': 'MARKER', ':ref': 'P-1' },
      }),
    );
    expect(res.Items?.map((item) => [item.markerType, item.status])).toEqual([
      ['MSHT_POTENTIAL_VICTIM', 'WITHDRAWN'],
    ]);
  });

  it('marks an identical file uploaded again as DUPLICATE and applies nothing', async () => {
    const again = `incoming/${ORG}/2026-10/subjects-resent.csv`;
    const markers = await markerCount();
    await put(again, SUBJECTS_CSV);
    await stack.waitForIdle({ timeoutMs: 30_000 });
    const entry = await entryFor(again);
    expect(entry.status).toBe('DUPLICATE');
    expect(entry.duplicateOf).toBe((await entryFor(key)).uploadId);
    expect(await markerCount()).toBe(markers);
  });

  it('rejects a binary file as a whole with one clear reason and applies nothing from it', async () => {
    const bad = `incoming/${ORG}/2026-10/objects.csv`;
    await put(bad, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10, 0x00]));
    await stack.waitForIdle({ timeoutMs: 30_000 });
    const entry = await entryFor(bad);
    expect(entry.status).toBe('FAILED');
    expect(entry.failure?.code).toBe('BINARY_CONTENT');
    const report = JSON.parse(await getText(`reports/${ORG}/${entry.uploadId}.json`));
    expect(report.entries).toEqual([
      expect.objectContaining({ row: 0, severity: 'error', field: '(file)', code: 'BINARY_CONTENT' }),
    ]);
    await expect(
      getBytes(`curated/record_type=object/month=2026-10/org=${ORG}/${entry.uploadId}.jsonl.gz`),
    ).rejects.toThrow();
  });

  it('rejects a file whose header lacks a required column', async () => {
    const bad = `incoming/${ORG}/2026-10/locations-bad.csv`;
    await put(bad, 'town,postcode\nLeeds,LS1 1AA\n');
    await stack.waitForIdle({ timeoutMs: 30_000 });
    const entry = await entryFor(bad);
    expect(entry.status).toBe('FAILED');
    expect(entry.failure?.code).toBe('MISSING_REQUIRED_COLUMN');
    expect(entry.failure?.message).toContain('source_record_ref');
  });
});

const headETag = async (key: string): Promise<string | undefined> => {
  const res = await clients.s3.send(
    new HeadObjectCommand({ Bucket: stack.resources.landingBucket, Key: key }),
  );
  return res.ETag?.replaceAll('"', '');
};
