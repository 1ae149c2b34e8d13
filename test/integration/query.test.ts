import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DuckDbQuerySession,
  fetchCuratedZone,
  openDuckDbSession,
} from '../../cli/query/duckdb-engine.ts';
import { type AggregateDeps, aggregateMonth } from '../../functions/aggregate/aggregate-month.ts';
import { EXPLOITATION_MIX } from '../../functions/aggregate/tables/categories.ts';
import { readObjectText } from '../../functions/shared/aws/s3.ts';
import { createLocalClients, destroyLocalClients, type LocalClients } from '../../infra/local/clients.ts';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import { AggregateLatestSchema, NationalPictureSchema } from '../../schemas/aggregate/national.ts';
import {
  type CanonicalRecord,
  curatedKey,
  type OrgCode,
  type UploadLedgerEntry,
} from '../../schemas/index.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const MONTH = '2026-10';
const MET = 'PF-E23000001';
const GMP = 'PF-E23000005';
const noop = async () => ({ batchItemFailures: [] });

let stack: LocalStack;
let admin: LocalClients;
let national: LocalClients;
let deps: AggregateDeps;
let dir: string;
let session: DuckDbQuerySession;

/** Writes one upload as ingest would: the curated object (at its Hive-style key) and its ledger entry. */
const putUpload = async (
  uploadId: string,
  org: OrgCode,
  fileName: string,
  records: readonly CanonicalRecord[],
  extra: { receivedAt?: string; status?: UploadLedgerEntry['status'] } = {},
): Promise<void> => {
  const recordType = records[0]?.recordType ?? 'subject';
  const key = curatedKey(recordType, MONTH, org, uploadId);
  // Two gzip members, as ingest may write them: both engines read multi-member gzip.
  const lines = records.map((record) => `${JSON.stringify(record)}\n`);
  const half = Math.ceil(lines.length / 2);
  const body = Buffer.concat([gzipSync(lines.slice(0, half).join('')), gzipSync(lines.slice(half).join(''))]);
  await admin.s3.send(new PutObjectCommand({ Bucket: stack.resources.bucket, Key: key, Body: body }));
  const entry: UploadLedgerEntry = {
    uploadId,
    org,
    period: MONTH,
    key: `incoming/${org}/${MONTH}/${fileName}`,
    fileName,
    recordType,
    format: 'jsonl',
    sha256: '0'.repeat(64),
    sizeBytes: body.length,
    status: extra.status ?? 'INDEXED',
    counts: {
      rows: records.length,
      accepted: records.length,
      warnings: 0,
      rejected: 0,
      indexed: records.length,
    },
    receivedAt: extra.receivedAt ?? '2026-11-02T09:00:00.000Z',
    schemaVersion: 1,
    curatedKey: key,
  };
  const db = DynamoDBDocumentClient.from(admin.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  await db.send(new PutCommand({ TableName: stack.resources.tables.uploads, Item: entry }));
};

const TYPES = ['SEXUAL', 'LABOUR', 'CRIMINAL', 'DOMESTIC_SERVITUDE'] as const;
const victims = (org: string, n: number, uploadId: string, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    subject(
      org,
      `V${from + i}`,
      {
        exploitationTypes: [TYPES[(from + i) % TYPES.length] as string] as never,
        nationalities: [i % 3 ? 'GBR' : 'ALB'] as never,
      },
      { uploadId },
    ),
  );

beforeAll(async () => {
  stack = await startLocalStack({
    handlers: { ingest: noop, indexer: noop },
    applyEnv: false,
    log: () => undefined,
  });
  admin = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('admin'));
  national = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials('national'));
  deps = {
    s3: admin.s3,
    dynamodb: DynamoDBDocumentClient.from(admin.dynamodb),
    bucket: stack.resources.bucket,
    uploadsTable: stack.resources.tables.uploads,
    markersTable: stack.resources.tables.markers,
    submissionDays: 5,
    now: () => new Date('2026-11-20T06:00:00.000Z'),
  };
  await putUpload('u-met-subjects', MET, 'subjects.jsonl', victims(MET, 20, 'u-met-subjects'));
  // A second Met file repeating V0 with a newer version (now labour, asAt later): one victim, newest wins.
  await putUpload('u-met-subjects-b', MET, 'subjects-b.jsonl', [
    subject(
      MET,
      'V0',
      { exploitationTypes: ['LABOUR'] },
      { uploadId: 'u-met-subjects-b', asAt: '2026-10-20T00:00:00.000Z' },
    ),
    subject(MET, 'S1', { roles: ['SUSPECT'], exploitationTypes: [] }, { uploadId: 'u-met-subjects-b' }),
  ]);
  await putUpload('u-met-ops', MET, 'operations.jsonl', [
    operation(MET, 'OP1', {}, { uploadId: 'u-met-ops' }),
    operation(MET, 'OP2', { openedOn: { date: '2026-08-03', precision: 'DAY' } }, { uploadId: 'u-met-ops' }),
  ]);
  await putUpload('u-gmp-ops', GMP, 'operations.jsonl', [
    operation(GMP, 'G-OP1', {}, { uploadId: 'u-gmp-ops' }),
  ]);
  await putUpload('u-gmp-subjects', GMP, 'subjects.jsonl', victims(GMP, 11, 'u-gmp-subjects', 100));
  // A later upload of the same GMP file supersedes the one above; a failed one counts for nothing.
  await putUpload('u-gmp-subjects-2', GMP, 'subjects.jsonl', victims(GMP, 7, 'u-gmp-subjects-2', 100), {
    receivedAt: '2026-11-09T09:00:00.000Z',
  });
  await putUpload('u-gmp-failed', GMP, 'subjects-x.jsonl', victims(GMP, 5, 'u-gmp-failed', 200), {
    status: 'FAILED',
  });
  await aggregateMonth({ month: MONTH, deps });
  dir = await mkdtemp(join(tmpdir(), 'msht-query-'));
  await fetchCuratedZone(national.s3, stack.resources.bucket, dir);
  session = await openDuckDbSession(dir);
}, 120_000);

afterAll(async () => {
  session?.close();
  destroyLocalClients(admin);
  destroyLocalClients(national);
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const internalPicture = async () => {
  const latest = AggregateLatestSchema.parse(
    JSON.parse(await readObjectText(admin.s3, stack.resources.bucket, `aggregates/${MONTH}/latest.json`)),
  );
  return NationalPictureSchema.parse(
    JSON.parse(
      await readObjectText(admin.s3, stack.resources.bucket, `${latest.prefix}internal/national.json`),
    ),
  );
};

const rowTotals = (table: { rows: readonly string[]; rowTotals: readonly unknown[] } | undefined) =>
  Object.fromEntries(
    (table?.rows ?? []).map((row, i) => [row, table?.rowTotals[i]]).filter(([, n]) => n !== 0),
  );

describe('SQL over the curated zone (DuckDB) agrees with the national picture', () => {
  it('reads every record, the uploads manifest and the counted uploads', async () => {
    const all = await session.query('SELECT count(*) AS n FROM subjects');
    expect(all.rows).toEqual([[20 + 2 + 11 + 7 + 5]]);
    const selection = await session.query(
      'SELECT "selection", count(*) AS n FROM uploads GROUP BY 1 ORDER BY 1',
    );
    expect(selection.rows).toEqual([
      ['COUNTED', 5],
      ['FAILED', 1],
      ['SUPERSEDED', 1],
    ]);
  });

  it('counts victims by exploitation type as table A2a does', async () => {
    const picture = await internalPicture();
    const result = await session.query(
      `SELECT exploitationTypes[1] AS type, count(*) AS victims FROM current_subjects
       WHERE contains(roles, 'POTENTIAL_VICTIM') AND month = '${MONTH}' GROUP BY 1 ORDER BY 1`,
    );
    const sql = Object.fromEntries(
      result.rows.map(([type, n]) => [EXPLOITATION_MIX[type as keyof typeof EXPLOITATION_MIX], n]),
    );
    expect(sql).toEqual(rowTotals(picture.tables.find((t) => t.id === 'A2a')));
    expect(result.rows.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(27);
  });

  it('counts operations opened in the month as table A1d does, and current records per organisation as A9', async () => {
    const picture = await internalPicture();
    const opened = await session.query(
      `SELECT count(*) FROM current_operations WHERE month = '${MONTH}' AND openedOn."date" LIKE '${MONTH}-%'`,
    );
    expect(opened.rows).toEqual([[picture.tables.find((t) => t.id === 'A1d')?.grandTotal]]);
    expect(opened.rows).toEqual([[2]]);
  });
});

describe('the worked examples of docs/query.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/query.md'), 'utf8');
  const examples = [...(doc.split('## Worked examples')[1]?.matchAll(/```sql\n([\s\S]*?)```/g) ?? [])].map(
    (m) => m[1] ?? '',
  );

  it('run in DuckDB as they stand', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const sql of examples) {
      const result = await session.query(sql);
      expect(result.rows.length, sql).toBeGreaterThan(0);
    }
  });
});
