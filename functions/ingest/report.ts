import { codePointLength, truncateCodePoints } from '../../schemas/common/text-length.ts';
import type { RowIssue } from '../../schemas/normalise/codes.ts';
import { spreadsheetSafe, toCsv } from '../shared/csv.ts';
import type { TextSink } from './text-sink.ts';

/** Whether an issue stopped the row (an error) or only noted something about it (a warning). */
export type Severity = 'error' | 'warning';

/** One line of a rejection report. */
export type ReportEntry = {
  /** The data row (from 1; 0 for the file as a whole). */
  readonly row: number;
  /** The line of the sender's file the row starts on (the header is line 1), as Excel numbers rows. */
  readonly line?: number;
  /** The row's source_record_ref as sent (clipped), to find the record at source. */
  readonly sourceRecordRef?: string;
  readonly severity: Severity;
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly value?: string;
};

/** Offending values and field names are cut to this many characters (code points) in reports. */
export const REPORT_VALUE_MAX = 64;
/** Messages are cut to this many characters: with the clipped value and field, an entry's size is bounded. */
export const REPORT_MESSAGE_MAX = 1024;

const clipTo = (text: string, max: number): string =>
  text.length <= max || codePointLength(text) <= max ? text : `${truncateCodePoints(text, max - 1)}…`;

/** A message cut to REPORT_MESSAGE_MAX: for the report and for the failure in the status object and ledger. */
export const clipMessage = (message: string): string => clipTo(message, REPORT_MESSAGE_MAX);

export const truncateValue = (value: string | undefined): string | undefined =>
  value === undefined ? value : clipTo(value, REPORT_VALUE_MAX);

/** Columns of the CSV report, in order (line first: where to look in the file sent). */
export const CSV_COLUMNS = [
  'line',
  'row',
  'source_record_ref',
  'severity',
  'field',
  'code',
  'message',
  'value',
] as const;

/** The CSV report starts with a UTF-8 byte order mark, so Excel reads it as UTF-8 (not Windows-1252). */
export const UTF8_BOM = '\uFEFF';

/** An entry as a CSV row (cells made safe for spreadsheets). */
export const csvCells = (entry: ReportEntry): (string | number)[] =>
  [
    entry.line ?? '',
    entry.row,
    entry.sourceRecordRef ?? '',
    entry.severity,
    entry.field,
    entry.code,
    entry.message,
    entry.value ?? '',
  ].map((cell) => spreadsheetSafe(cell));

/**
 * Streams a report as JSON and CSV at once. The JSON object holds `entries` (every rejected row's
 * issues and every warning, in row order) then `summary`, which is only known at the end.
 */
export const createReportWriter = (
  sinks: { json: TextSink; csv: TextSink },
  header: Record<string, unknown>,
) => {
  let first = true;
  let started = false;
  const start = async (): Promise<void> => {
    if (started) return;
    started = true;
    const head = JSON.stringify(header);
    await sinks.json.write(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"entries":[\n`);
    await sinks.csv.write(`${UTF8_BOM}${toCsv([CSV_COLUMNS])}`);
  };
  return {
    add: async (
      row: number,
      severity: Severity,
      issue: RowIssue,
      where: { readonly line?: number; readonly sourceRecordRef?: unknown } = {},
    ): Promise<void> => {
      await start();
      const ref = typeof where.sourceRecordRef === 'string' ? where.sourceRecordRef.trim() : '';
      const entry: ReportEntry = {
        row,
        ...(where.line === undefined ? {} : { line: where.line }),
        ...(ref === '' ? {} : { sourceRecordRef: clipTo(ref, REPORT_VALUE_MAX) }),
        severity,
        field: clipTo(issue.field, REPORT_VALUE_MAX),
        code: issue.code,
        message: clipMessage(issue.message),
        ...(issue.value === undefined ? {} : { value: truncateValue(issue.value) }),
      };
      await sinks.json.write(`${first ? '' : ',\n'}${JSON.stringify(entry)}`);
      first = false;
      await sinks.csv.write(toCsv([csvCells(entry)]));
    },
    finish: async (summary: Record<string, unknown>): Promise<void> => {
      await start();
      await sinks.json.write(`\n],"summary":${JSON.stringify(summary)}}\n`);
      await Promise.all([sinks.json.close(), sinks.csv.close()]);
    },
  };
};

export type ReportWriter = ReturnType<typeof createReportWriter>;
