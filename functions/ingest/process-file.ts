import type { ExtractFormat, IsoMonth, OrgCode, PseudonymKey, RecordType } from '../../schemas/index.ts';
import { type NormaliseContext, normaliseRow } from '../../schemas/normalise/normalise-row.ts';
import { FileRejectedError } from '../shared/errors.ts';
import { visibleText } from '../shared/visible-text.ts';
import { decodeText } from './decode.ts';
import type { TextEncoding } from './inspect.ts';
import type { IngestLimits } from './limits.ts';
import { maxRecordBytes } from './pack.ts';
import { type HeaderReport, type RawRow, readCsvRows, readJsonlRows } from './read-rows.ts';
import type { ReportWriter } from './report.ts';
import type { TextSink } from './text-sink.ts';
import { readXlsxRows } from './xlsx/read-xlsx-rows.ts';

/** Accepted records are handed to the curated sink in pieces of at least this many characters. */
const CURATED_WRITE_CHARS = 256 * 1024;

/** Everything known about a file before its rows are read. */
export type FileJob = {
  /** Name shown in messages: the object key or the local path. */
  readonly file: string;
  readonly recordType: RecordType;
  readonly format: ExtractFormat;
  readonly org: OrgCode;
  readonly period: IsoMonth;
  readonly uploadId: string;
  readonly fileSha256: string;
  readonly encoding: TextEncoding;
  readonly ingestedAt: string;
  /** The key of the records' pseudonymous references. */
  readonly pseudonymKey: PseudonymKey;
  readonly limits: IngestLimits;
  /**
   * The largest serialised record a queue message can carry; a row whose record is larger is rejected
   * (`TOO_LONG`) rather than failing the upload when it is packed.
   * @default maxRecordBytes(uploadId) with the default pack limits
   */
  readonly maxRecordBytes?: number;
};

/** Row counts of a file: `rows = accepted + rejected`; `warnings` counts accepted rows that had warnings. */
export type RowCounts = { rows: number; accepted: number; warnings: number; rejected: number };

export type FileOutcome = {
  readonly counts: RowCounts;
  readonly unknownColumns: readonly string[];
  /** How often each issue code occurred, errors and warnings alike. */
  readonly issueCounts: Readonly<Record<string, number>>;
};

/** Where a row is in the sender's file, for its report entries: its line and its source_record_ref. */
const whereOf = (row: RawRow): { line?: number; sourceRecordRef?: unknown } => ({
  ...(row.line === undefined ? {} : { line: row.line }),
  ...(row.fields ? { sourceRecordRef: row.fields.source_record_ref } : {}),
});

/**
 * The ingest chain for one file: decode, parse, validate and normalise every row, writing each accepted
 * record (one JSON line) to `curated` and each issue to the report. Every row ends accepted or rejected
 * with a reason. Throws `FileRejectedError` when the file as a whole cannot be ingested.
 */
export const processFile = async (
  bytes: AsyncIterable<Uint8Array>,
  job: FileJob,
  out: { readonly curated: TextSink; readonly report: ReportWriter },
  onProgress?: (rows: number) => void,
): Promise<FileOutcome> => {
  const counts: RowCounts = { rows: 0, accepted: 0, warnings: 0, rejected: 0 };
  const issueCounts: Record<string, number> = {};
  const tally = (code: string): void => {
    issueCounts[code] = (issueCounts[code] ?? 0) + 1;
  };
  let header: HeaderReport = { unknownColumns: [], moreUnknown: 0 };
  const onHeader = (report: HeaderReport): void => {
    header = report;
  };
  const context: NormaliseContext = {
    org: job.org,
    period: job.period,
    uploadId: job.uploadId,
    fileSha256: job.fileSha256,
    rowNumber: 0,
    ingestedAt: job.ingestedAt,
    pseudonymKey: job.pseudonymKey,
  };
  const rows =
    job.format === 'xlsx'
      ? readXlsxRows(bytes, job.recordType, job.file, job.limits, onHeader)
      : job.format === 'csv'
        ? readCsvRows(decodeText(bytes, job.encoding), job.recordType, job.file, onHeader)
        : readJsonlRows(decodeText(bytes, job.encoding), job.recordType, job.file, onHeader);

  // Accepted records are gathered into one string per batch of rows and written with one await, so
  // that no row waits on a promise; issues (rare in a good file) go to the report as they come.
  const recordLimit = job.maxRecordBytes ?? maxRecordBytes(job.uploadId);
  let curated = '';
  for await (const batch of rows) {
    if (counts.rows + batch.length > job.limits.maxRows) {
      throw new FileRejectedError(
        'TOO_MANY_ROWS',
        `The file has more than ${job.limits.maxRows} rows, the limit for one file (setting ingestLimits.maxRows); split it into several files`,
        { context: { file: job.file } },
      );
    }
    for (const row of batch) {
      counts.rows++;
      if (row.issue) {
        counts.rejected++;
        tally(row.issue.code);
        await out.report.add(row.rowNumber, 'error', row.issue, whereOf(row));
        continue;
      }
      context.rowNumber = row.rowNumber;
      const outcome = normaliseRow(job.recordType, row.fields, context);
      if (outcome.status === 'REJECTED') {
        counts.rejected++;
        for (const issue of outcome.issues) {
          tally(issue.code);
          await out.report.add(row.rowNumber, 'error', issue, whereOf(row));
        }
        continue;
      }
      const json = JSON.stringify(outcome.record);
      // A character is at most 3 UTF-8 bytes: count bytes only for a record that might be too large.
      const size = json.length * 3 > recordLimit ? Buffer.byteLength(json) : json.length;
      if (size > recordLimit) {
        counts.rejected++;
        tally('TOO_LONG');
        await out.report.add(
          row.rowNumber,
          'error',
          {
            field: '(row)',
            code: 'TOO_LONG',
            message: `The normalised record is ${size} bytes, more than the ${recordLimit} one queue message can carry`,
          },
          whereOf(row),
        );
        continue;
      }
      counts.accepted++;
      if (outcome.warnings.length > 0) {
        counts.warnings++;
        for (const issue of outcome.warnings) {
          tally(issue.code);
          await out.report.add(row.rowNumber, 'warning', issue, whereOf(row));
        }
      }
      curated += `${json}\n`;
    }
    if (curated.length >= CURATED_WRITE_CHARS) {
      await out.curated.write(curated);
      curated = '';
    }
    onProgress?.(counts.rows);
  }
  if (curated.length > 0) await out.curated.write(curated);
  onProgress?.(counts.rows);
  for (const column of header.unknownColumns) {
    tally('UNKNOWN_COLUMN');
    await out.report.add(0, 'warning', {
      field: column,
      code: 'UNKNOWN_COLUMN',
      message: `Column "${visibleText(column)}" is not in the extract specification and was ignored`,
    });
  }
  if (header.moreUnknown > 0) {
    tally('UNKNOWN_COLUMN');
    await out.report.add(0, 'warning', {
      field: '(header)',
      code: 'UNKNOWN_COLUMN',
      message: `${header.moreUnknown} more column(s) not in the extract specification were ignored (not listed one by one)`,
    });
  }
  return { counts, unknownColumns: header.unknownColumns, issueCounts };
};
