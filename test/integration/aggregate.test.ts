import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AggregateDeps, aggregateMonth } from '../../functions/aggregate/aggregate-month.ts';
import { MonthEmptyError, MonthNotStartedError } from '../../functions/aggregate/refused.ts';
import { readObjectText } from '../../functions/shared/aws/s3.ts';
import { createLocalClients, destroyLocalClients, type LocalClients } from '../../infra/local/clients.ts';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import {
  AggregateLatestSchema,
  NationalPictureSchema,
  ShareableLatestSchema,
} from '../../schemas/aggregate/national.ts';
import {
  type CanonicalRecord,
  curatedKey,
  type OrgCode,
  type UploadLedgerEntry,
} from '../../schemas/index.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const MONTH = '2026-10';
const noop = async () => ({ batchItemFailures: [] });

let stack: LocalStack;
let clients: LocalClients;
let db: DynamoDBDocumentClient;
let deps: AggregateDeps;

/** Writes one upload as ingest would: the curated gzip JSON Lines object and its ledger entry. */
const putUpload = async (
  uploadId: string,
  org: OrgCode,
  fileName: string,
  records: readonly CanonicalRecord[],
  extra: { receivedAt?: string; rejected?: number; period?: string } = {},
): Promise<void> => {
  const period = extra.period ?? MONTH;
  const key = curatedKey(records[0]?.recordType ?? 'subject', period, org, uploadId);
  const body = gzipSync(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.resources.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/gzip',
    }),
  );
  const rejected = extra.rejected ?? 0;
  const entry: UploadLedgerEntry = {
    uploadId,
    org,
    period,
    key: `incoming/${org}/${period}/${fileName}`,
    fileName,
    recordType: records[0]?.recordType ?? 'subject',
    format: 'jsonl',
    sha256: uploadId.padEnd(64, '0').replace(/[^0-9a-f]/g, '0'),
    sizeBytes: body.length,
    status: 'INDEXED',
    counts: {
      rows: records.length + rejected,
      accepted: records.length,
      warnings: 0,
      rejected,
      indexed: records.length,
    },
    receivedAt: extra.receivedAt ?? '2026-11-02T09:00:00.000Z',
    schemaVersion: 1,
    curatedKey: key,
  };
  await db.send(new PutCommand({ TableName: stack.resources.tables.uploads, Item: entry }));
};

/** `n` potential victims of an organisation; the first of the Met's carries the NRM reference GMP shares. */
const victims = (org: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    subject(org, `V${from + i}`, {
      sex: i % 2 === 0 ? 'FEMALE' : 'MALE',
      identifiers: org === 'PF-E23000001' && from + i === 0 ? { nrmReference: 'NRM-SHARED' } : {},
    }),
  );

const listRunFiles = async (): Promise<string[]> => {
  const res = await clients.s3.send(
    new ListObjectsV2Command({ Bucket: stack.resources.bucket, Prefix: `aggregates/${MONTH}/` }),
  );
  return (res.Contents ?? []).map((object) => object.Key ?? '').sort();
};

beforeAll(async () => {
  stack = await startLocalStack({
    handlers: { ingest: noop, indexer: noop },
    applyEnv: false,
    log: () => undefined,
  });
  clients = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('admin'));
  db = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  deps = {
    s3: clients.s3,
    dynamodb: db,
    bucket: stack.resources.bucket,
    uploadsTable: stack.resources.tables.uploads,
    markersTable: stack.resources.tables.markers,
    submissionDays: 5,
    now: () => new Date('2026-11-06T06:00:00.000Z'),
  };
  for (let i = 0; i < 15; i += 1) {
    await db.send(
      new PutCommand({
        TableName: stack.resources.tables.markers,
        Item: {
          naturalKey: `marker-${i}`,
          markerType: i % 2 === 0 ? 'MSHT_POTENTIAL_VICTIM' : 'MSHT_VEHICLE',
          sourceOrg: 'PF-E23000001',
          period: i < 12 ? MONTH : '2026-08',
          status: 'ACTIVE',
          pndSyncState: i % 3 === 0 ? 'HELD' : 'PENDING',
          itemType: 'MARKER',
        },
      }),
    );
  }
  // A record head beside the markers: never counted.
  await db.send(
    new PutCommand({
      TableName: stack.resources.tables.markers,
      Item: {
        naturalKey: 'record#x',
        itemType: 'RECORD',
        markerType: 'MSHT_VICTIM',
        sourceOrg: 'PF-E23000001',
        period: MONTH,
      },
    }),
  );
  await putUpload('u-met-subjects', 'PF-E23000001', 'subjects.jsonl', victims('PF-E23000001', 24), {
    rejected: 2,
  });
  await putUpload('u-met-ops', 'PF-E23000001', 'operations.jsonl', [
    operation('PF-E23000001', 'OP1'),
    operation('PF-E23000001', 'OP2'),
  ]);
  await putUpload('u-gmp-subjects', 'PF-E23000005', 'subjects.jsonl', [
    subject('PF-E23000005', 'G1', { identifiers: { nrmReference: 'NRM-SHARED' } }),
    ...victims('PF-E23000005', 11, 100),
  ]);
  // A later, corrected upload of the same GMP file: it replaces the one above.
  await putUpload(
    'u-gmp-subjects-2',
    'PF-E23000005',
    'subjects.jsonl',
    [
      subject('PF-E23000005', 'G1', { identifiers: { nrmReference: 'NRM-SHARED' } }),
      ...victims('PF-E23000005', 12, 100),
    ],
    { receivedAt: '2026-11-09T09:00:00.000Z' },
  );
}, 60_000);

afterAll(async () => {
  destroyLocalClients(clients);
  await stack?.stop();
});

describe('aggregateMonth on the local stack', () => {
  it('writes both tiers (national.json, a CSV per table, report.html) and then the latest pointer', async () => {
    // Act
    const result = await aggregateMonth({ month: MONTH, deps });
    // Assess
    const latest = AggregateLatestSchema.parse(
      JSON.parse(await readObjectText(clients.s3, stack.resources.bucket, result.latestKey)),
    );
    expect(latest.runId).toBe(result.runId);
    expect(latest.uploads).toEqual({ counted: 3, superseded: 1, failed: 0, duplicate: 0, inFlight: 0 });
    const internal = NationalPictureSchema.parse(
      JSON.parse(
        await readObjectText(clients.s3, stack.resources.bucket, `${latest.prefix}internal/national.json`),
      ),
    );
    const victimsTable = internal.tables.find((t) => t.id === 'A2a');
    // 24 Met + 13 GMP victims, one of them linked to a Met victim by the shared NRM reference.
    expect(victimsTable?.grandTotal).toBe(36);
    expect(internal.linking.linksMade).toBe(1);
    expect(internal.tables.find((t) => t.id === 'A8a')?.grandTotal).toBe(12);
    expect(internal.submitters.late).toEqual(['PF-E23000005']);
    expect(result.headline.find((h) => h.id === 'victims')?.value).toBe(36);
    // The shareable publication has its own pointer, with no figure in it, and its own run id.
    const pointerText = await readObjectText(clients.s3, stack.resources.bucket, result.shareableLatestKey);
    const shareable = ShareableLatestSchema.parse(JSON.parse(pointerText));
    expect(shareable).toMatchObject({ runId: result.shareableRunId, revision: 0 });
    expect(shareable.runId).not.toBe(result.runId);
    expect(shareable.prefix).toBe(`aggregates/${MONTH}/shareable/${result.shareableRunId}/`);
    expect(pointerText).not.toMatch(/recordsRead|uploads|counted/);
    const csv = await readObjectText(clients.s3, stack.resources.bucket, `${shareable.prefix}tables/A2a.csv`);
    expect(csv.split('\r\n')[0]).toBe('Exploitation type,Female,Male,Other,Not known,Total');
    const report = await readObjectText(clients.s3, stack.resources.bucket, result.reportKeys.shareable);
    expect(report).toContain('<svg');
    expect(shareable.files).toContain('report.html');
    expect(latest.files).toContain('shareable/report.html');
    expect(latest.shareableRunId).toBe(result.shareableRunId);
    expect(latest.files.filter((f) => f.endsWith('.csv')).length).toBeGreaterThan(40);
  });

  it('re-running the same inputs writes the same run again; new inputs switch the pointer and prune old runs', async () => {
    // Prepare
    const first = await aggregateMonth({ month: MONTH, deps });
    // Act
    const again = await aggregateMonth({ month: MONTH, deps });
    await putUpload('u-nca-subjects', 'NA-NCA', 'subjects.jsonl', victims('NA-NCA', 10, 200));
    const second = await aggregateMonth({ month: MONTH, deps });
    await putUpload('u-nca-ops', 'NA-NCA', 'operations.jsonl', [operation('NA-NCA', 'N1')]);
    const third = await aggregateMonth({ month: MONTH, deps });
    // Assess
    expect(again.runId).toBe(first.runId);
    expect(again.shareableRunId).toBe(first.shareableRunId);
    expect(again.revision).toBe(first.revision);
    expect(second.runId).not.toBe(first.runId);
    expect(second.revision).toBe(first.revision + 1);
    expect(second.headline.find((h) => h.id === 'victims')?.value).toBe(46);
    const runs = new Set((await listRunFiles()).flatMap((key) => /runs\/([^/]+)\//.exec(key)?.[1] ?? []));
    // The current run and the one the previous pointer named remain; the first run is gone.
    expect([...runs].sort()).toEqual([second.runId, third.runId].sort());
    const latest = JSON.parse(await readObjectText(clients.s3, stack.resources.bucket, third.latestKey));
    expect(latest.runId).toBe(third.runId);
    // Only the current shareable publication is left: earlier versions are not readable once replaced.
    const shareableVersions = new Set(
      (await listRunFiles()).flatMap((key) => /\/shareable\/([0-9a-f]+)\//.exec(key)?.[1] ?? []),
    );
    expect([...shareableVersions]).toEqual([third.shareableRunId]);
    const revised = NationalPictureSchema.parse(
      JSON.parse(
        await readObjectText(
          clients.s3,
          stack.resources.bucket,
          `aggregates/${MONTH}/shareable/${third.shareableRunId}/national.json`,
        ),
      ),
    );
    expect(revised.revision).toMatchObject({ number: third.revision, replaces: second.shareableRunId });
    for (const change of revised.revision?.changes ?? []) {
      for (const value of [change.from, change.to])
        expect(value === '[c]' || (value as number) % 5 === 0).toBe(true);
    }
  });

  it('uses the previous month for month-on-month change once it has been aggregated', async () => {
    // Prepare
    await putUpload(
      'u-sep',
      'PF-E23000001',
      'subjects.jsonl',
      victims('PF-E23000001', 20).map((v) => ({ ...v, period: '2026-09' })),
      {
        period: '2026-09',
        receivedAt: '2026-10-02T09:00:00.000Z',
      },
    );
    await aggregateMonth({ month: '2026-09', deps });
    // Act
    const october = await aggregateMonth({ month: MONTH, deps });
    // Assess
    const figure = october.headline.find((h) => h.id === 'victims');
    expect(figure?.previous).toBe(20);
    expect(figure?.change).toBe(26);
  });

  it('refuses a month that has not started, and an empty month unless asked, publishing nothing', async () => {
    // Act
    const future = aggregateMonth({ month: '2026-12', deps });
    const empty = aggregateMonth({ month: '2026-07', deps });
    // Assess
    await expect(future).rejects.toThrow(MonthNotStartedError);
    await expect(future).rejects.toThrow('2026-12 has not started yet (this month is 2026-11)');
    await expect(empty).rejects.toThrow(MonthEmptyError);
    await expect(empty).rejects.toThrow('No upload for 2026-07 is counted');
    const listed = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.resources.bucket, Prefix: 'aggregates/2026-07/' }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
    // Act: asked to, it publishes the empty month
    const published = await aggregateMonth({ month: '2026-07', deps, allowEmpty: true });
    // Assess
    expect(published.uploads.counted).toBe(0);
    expect(published.recordsRead).toBe(0);
  });
});
