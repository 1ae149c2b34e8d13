import { ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AggregateLatest,
  AggregateLatestSchema,
  type NationalPicture,
  NationalPictureSchema,
} from '../../schemas/aggregate/national.ts';
import { type CanonicalRecord, CanonicalRecordSchema } from '../../schemas/canonical/record.ts';
import type { UploadLedgerEntry } from '../../schemas/canonical/upload-ledger.ts';
import { ORG_CODES } from '../../schemas/common/organisations.ts';
import { gunzip } from '../ingest/byte-source.ts';
import { decodeUtf8, splitLines } from '../ingest/text-lines.ts';
import { deleteObject, openObject, putObject, readObjectText } from '../shared/aws/s3.ts';
import { MshtError } from '../shared/errors.ts';
import type { AggregationResult, HistoryMonth } from './aggregate-core.ts';
import { MARKER_FACT_ATTRIBUTES, type MarkerFacts, MarkerFactsSchema } from './marker-facts.ts';
import { addMonths, type Month } from './month.ts';
import { latestKey, monthPrefix, outputKey, runPrefix } from './output-keys.ts';

const isMissing = (error: unknown): boolean =>
  error instanceof NoSuchKey ||
  (error as { name?: string } | undefined)?.name === 'NoSuchKey' ||
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 404;

/**
 * Every ledger entry of a month, organisation by organisation through the `byOrg` index (paginated,
 * filtered on the period), so no table scan is needed.
 */
export const listMonthUploads = async (
  db: DynamoDBDocumentClient,
  table: string,
  month: Month,
): Promise<UploadLedgerEntry[]> => {
  const entries: UploadLedgerEntry[] = [];
  for (const org of ORG_CODES) {
    let start: Record<string, unknown> | undefined;
    do {
      const res = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'byOrg',
          KeyConditionExpression: 'org = :org',
          FilterExpression: '#period = :period',
          ExpressionAttributeNames: { '#period': 'period' },
          ExpressionAttributeValues: { ':org': org, ':period': month },
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      for (const item of res.Items ?? []) entries.push(item as UploadLedgerEntry);
      start = res.LastEvaluatedKey;
    } while (start !== undefined);
  }
  return entries;
};

/**
 * Streams the canonical records of the given uploads' curated objects (gzip JSON Lines), one upload after
 * another, one line at a time: the month is never held in memory. A line that is not a valid canonical
 * record stops the run (the curated zone is ours; an invalid line means a bug or tampering).
 */
export async function* readCuratedRecords(
  s3: S3Client,
  bucket: string,
  uploads: readonly UploadLedgerEntry[],
): AsyncGenerator<CanonicalRecord> {
  for (const upload of uploads) {
    if (upload.curatedKey === undefined) continue;
    const bytes = await openObject(s3, bucket, upload.curatedKey);
    let lineNumber = 0;
    for await (const { line } of splitLines(decodeUtf8(gunzip(bytes)))) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      const parsed = CanonicalRecordSchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        throw new MshtError(
          'CURATED_RECORD_INVALID',
          'A curated record does not match the canonical schema',
          {
            context: { uploadId: upload.uploadId, line: lineNumber },
          },
        );
      }
      yield parsed.data;
    }
  }
}

/**
 * Streams the few attributes that the A8 tables use of the markers relevant to a month: derived from the
 * month's records, or reviewed or due for review in it (a paginated scan, filtered and projected, so only
 * those markers reach the function).
 */
export async function* scanMarkerFacts(
  db: DynamoDBDocumentClient,
  table: string,
  month: Month,
): AsyncGenerator<MarkerFacts> {
  const names: Record<string, string> = Object.fromEntries(
    MARKER_FACT_ATTRIBUTES.map((name, i) => [`#a${i}`, name]),
  );
  const alias = (attribute: string): string =>
    Object.entries(names).find(([, name]) => name === attribute)?.[0] ?? attribute;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: Object.keys(names).join(', '),
        FilterExpression:
          `${alias('period')} = :month OR begins_with(${alias('lastReviewedOn')}, :month) OR ` +
          `begins_with(${alias('reviewDueOn')}, :month)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':month': month },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of res.Items ?? []) {
      const parsed = MarkerFactsSchema.safeParse(item);
      if (parsed.success && (parsed.data.itemType ?? 'MARKER') === 'MARKER') yield parsed.data;
    }
    start = res.LastEvaluatedKey;
  } while (start !== undefined);
}

/** The current pointer of a month, or undefined when the month has never been aggregated. */
export const readLatest = async (
  s3: S3Client,
  bucket: string,
  month: Month,
): Promise<AggregateLatest | undefined> => {
  try {
    return AggregateLatestSchema.parse(JSON.parse(await readObjectText(s3, bucket, latestKey(month))));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
};

const readNational = async (
  s3: S3Client,
  bucket: string,
  latest: AggregateLatest,
  tier: 'internal' | 'shareable',
): Promise<NationalPicture | undefined> => {
  try {
    const text = await readObjectText(
      s3,
      bucket,
      outputKey(latest.month, latest.runId, tier, 'national.json'),
    );
    return NationalPictureSchema.parse(JSON.parse(text));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
};

/** The current outputs of the 11 months before `month` that have been aggregated (through their pointers). */
export const readHistory = async (s3: S3Client, bucket: string, month: Month): Promise<HistoryMonth[]> => {
  const history: HistoryMonth[] = [];
  for (let back = 11; back >= 1; back -= 1) {
    const earlier = addMonths(month, -back);
    const latest = await readLatest(s3, bucket, earlier);
    if (latest === undefined) continue;
    const internal = await readNational(s3, bucket, latest, 'internal');
    const shareable = await readNational(s3, bucket, latest, 'shareable');
    history.push({
      month: earlier,
      ...(internal === undefined ? {} : { internal }),
      ...(shareable === undefined ? {} : { shareable }),
    });
  }
  return history;
};

const CONTENT_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.csv$/, 'text/csv; charset=utf-8'],
  [/\.html$/, 'text/html; charset=utf-8'],
];

const contentType = (path: string): string =>
  CONTENT_TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'application/octet-stream';

/** Run metadata stored in the pointer (not part of the deterministic outputs). */
export type RunMetadata = Pick<AggregateLatest, 'generatedAt' | 'uploads' | 'recordsRead'>;

/**
 * Publishes a run atomically for readers: (1) every file goes under `aggregates/{month}/runs/{runId}/`,
 * a prefix no reader looks at yet; (2) `aggregates/{month}/latest.json` is replaced in one PUT, which S3
 * applies atomically (a reader sees the old or the new pointer, never a mix); (3) runs other than the new
 * one and the one the old pointer named are deleted, so a reader that has just read the old pointer can
 * still finish. A crash before (2) leaves the old outputs current; the run id is a digest of the outputs,
 * so re-running writes the same files again.
 */
export const writeRun = async (
  s3: S3Client,
  bucket: string,
  result: AggregationResult,
  metadata: RunMetadata,
): Promise<AggregateLatest> => {
  const { month, runId } = result;
  const previous = await readLatest(s3, bucket, month);
  const files: string[] = [];
  for (const tier of ['internal', 'shareable'] as const) {
    for (const [path, body] of result.tiers[tier].files) {
      const key = outputKey(month, runId, tier, path);
      await putObject(s3, { bucket, key, body, contentType: contentType(path) });
      files.push(`${tier}/${path}`);
    }
  }
  const latest: AggregateLatest = {
    schemaVersion: 1,
    month,
    runId,
    prefix: runPrefix(month, runId),
    ...metadata,
    files: files.sort(),
  };
  await putObject(s3, {
    bucket,
    key: latestKey(month),
    body: `${JSON.stringify(latest, null, 2)}\n`,
    contentType: 'application/json; charset=utf-8',
  });
  const keep = new Set([runPrefix(month, runId), ...(previous ? [runPrefix(month, previous.runId)] : [])]);
  let token: string | undefined;
  do {
    const res = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: `${monthPrefix(month)}runs/`,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    for (const object of res.Contents ?? []) {
      const key = object.Key ?? '';
      const run = /^(.*\/runs\/[^/]+\/)/.exec(key)?.[1];
      if (run !== undefined && !keep.has(run)) await deleteObject(s3, bucket, key);
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return latest;
};
