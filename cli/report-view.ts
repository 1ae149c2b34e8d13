import type { S3Client } from '@aws-sdk/client-s3';
import type { ReportEntry } from '../functions/ingest/report.ts';
import { decodeUtf8, splitLines } from '../functions/ingest/text-lines.ts';
import { openObject } from '../functions/shared/aws/s3.ts';
import { visibleText } from '../functions/shared/visible-text.ts';
import type { UploadStatusObject } from '../schemas/index.ts';
import { PREFIXES, reportKey } from '../schemas/object-keys.ts';
import { renderTable } from './table.ts';
import { readingUnder } from './upload-statuses.ts';

/** What the report of an upload is found by. */
type UploadRef = Pick<UploadStatusObject, 'org' | 'uploadId' | 'status'>;

/** The first issues of a rejection report and how many there are of each code. */
export type ReportDigest = {
  readonly first: readonly ReportEntry[];
  readonly total: number;
  readonly byCode: Readonly<Record<string, number>>;
};

const isEntry = (value: unknown): value is ReportEntry =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as ReportEntry).row === 'number' &&
  typeof (value as ReportEntry).code === 'string';

/**
 * Reads a JSON rejection report (functions/ingest/report.ts writes one entry per line) as a stream,
 * keeping the first `limit` entries and counting every entry by code: a report of any size is read in
 * constant memory.
 */
export const digestReport = async (text: AsyncIterable<string>, limit: number): Promise<ReportDigest> => {
  const first: ReportEntry[] = [];
  const byCode: Record<string, number> = {};
  let total = 0;
  for await (const { line } of splitLines(text)) {
    if (!line.startsWith('{"row":')) continue;
    const entry: unknown = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
    if (!isEntry(entry)) continue;
    total++;
    byCode[entry.code] = (byCode[entry.code] ?? 0) + 1;
    if (first.length < limit) first.push(entry);
  }
  return { first, total, byCode };
};

/**
 * Renders a digest for the terminal: the first issues as a table, then the count of each code. Report
 * text comes from the uploaded file (field names, values quoted in messages): it is escaped here and in
 * renderTable, so that a file cannot send escape sequences to the terminal.
 */
export const renderDigest = (digest: ReportDigest): string => {
  if (digest.total === 0) return 'No rejected rows and no warnings.';
  const shown = digest.first.length;
  const heading =
    shown < digest.total
      ? `Issues (the first ${shown} of ${digest.total}; the report has them all):`
      : `Issues (${digest.total}):`;
  const table = renderTable(
    ['line', 'ref', 'severity', 'field', 'code', 'message'],
    digest.first.map((e) => [e.line ?? '', e.sourceRecordRef ?? '', e.severity, e.field, e.code, e.message]),
  );
  const codes = Object.entries(digest.byCode)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `${visibleText(code)} ${n}`)
    .join(', ');
  return [heading, ...(shown > 0 ? [table] : []), `By code: ${codes}`].join('\n');
};

/**
 * The digest of an upload's JSON report in the data bucket, or undefined when there is none (an upload
 * still being processed, or a duplicate whose report says only that).
 */
const fetchDigest = async (
  s3: S3Client,
  bucket: string,
  entry: UploadRef,
  limit: number,
): Promise<ReportDigest | undefined> =>
  readingUnder(`${PREFIXES.reports}${entry.org}/`, async () => {
    try {
      const body = await openObject(s3, bucket, reportKey(entry.org, entry.uploadId, 'json'));
      return await digestReport(decodeUtf8(body), limit);
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  });

/**
 * The first `limit` issues of an upload's report as the terminal shows them under its status, or
 * nothing when none are asked for, the upload is still being read (its report is finished before it is
 * QUEUED or ends otherwise), the report is not there, or it lists no issue.
 */
export const issuesText = async (
  s3: S3Client,
  bucket: string,
  entry: UploadRef,
  limit: number,
): Promise<string | undefined> => {
  if (limit <= 0) return undefined;
  const digest = await digestFor(s3, bucket, entry, limit);
  return digest && digest.total > 0 ? renderDigest(digest) : undefined;
};

/**
 * The digest of an upload's report (its first `limit` issues and the count of each code), or undefined
 * while the upload is still being read or when it has no report.
 */
export const digestFor = async (
  s3: S3Client,
  bucket: string,
  entry: UploadRef,
  limit: number,
): Promise<ReportDigest | undefined> =>
  entry.status === 'RECEIVED' || entry.status === 'PROCESSING'
    ? undefined
    : fetchDigest(s3, bucket, entry, limit);

/**
 * Every entry of an upload's JSON report, in order, read as a stream (a report of any size in bounded
 * memory); nothing when it has none yet.
 */
export async function* reportEntries(
  s3: S3Client,
  bucket: string,
  entry: UploadRef,
): AsyncGenerator<ReportEntry> {
  const body = await readingUnder(`${PREFIXES.reports}${entry.org}/`, async () => {
    try {
      return await openObject(s3, bucket, reportKey(entry.org, entry.uploadId, 'json'));
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  });
  if (!body) return;
  for await (const { line } of splitLines(decodeUtf8(body))) {
    if (!line.startsWith('{"row":')) continue;
    const value: unknown = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
    if (isEntry(value)) yield value;
  }
}
