import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { CSV_COLUMNS, csvCells, type ReportEntry, UTF8_BOM } from '../functions/ingest/report.ts';
import { spreadsheetSafe, toCsv } from '../functions/shared/csv.ts';
import type { UploadStatusObject } from '../schemas/index.ts';

/**
 * The rejection report as a data team opens it in Excel. The first row is the upload's own: its status
 * and, when the file was refused or quarantined as a whole, why; then one row per issue, in the order
 * of the sender's file (`line` first: where to look, the header being line 1).
 */
export const statusLine = (
  upload: UploadStatusObject,
): { readonly code: string; readonly message: string } => {
  const { counts } = upload;
  return {
    code: upload.failure ? `${upload.status} ${upload.failure.code}` : upload.status,
    message:
      upload.failure?.message ??
      `${counts.rows} rows: ${counts.accepted} accepted (${counts.warnings} with warnings), ${counts.rejected} rejected`,
  };
};

/** Writes the CSV report: a UTF-8 BOM, the header, the upload's status row, then every issue. */
export const writeCsvReport = async (
  path: string,
  upload: UploadStatusObject,
  entries: AsyncIterable<ReportEntry>,
): Promise<number> => {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${UTF8_BOM}${toCsv([CSV_COLUMNS])}`);
  const status = statusLine(upload);
  await write(
    toCsv([['', '', '', 'status', '(file)', status.code, status.message, ''].map((c) => spreadsheetSafe(c))]),
  );
  let n = 0;
  for await (const entry of entries) {
    await write(toCsv([csvCells(entry)]));
    n++;
  }
  out.end();
  await once(out, 'finish');
  return n;
};

/** Column headers of the issues sheet (as the CSV's, in words). */
const ISSUE_HEADERS = ['Line', 'Row', 'Source record ref', 'Severity', 'Field', 'Code', 'Message', 'Value'];

/**
 * Writes the report as a workbook, streamed (bounded memory whatever the number of issues): a Summary
 * sheet (the upload, its status and reason, its counts, the number of issues of each code) and an
 * Issues sheet with one row per issue, a header row, filters and the header kept in view.
 */
export const writeXlsxReport = async (
  path: string,
  upload: UploadStatusObject,
  entries: AsyncIterable<ReportEntry>,
): Promise<number> => {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: true,
  });
  workbook.creator = 'msht-pipeline';
  // Issues first in the file (streamed), summary after; the summary is shown first by its position.
  const summary = workbook.addWorksheet('Summary');
  const issues = workbook.addWorksheet('Issues', { views: [{ state: 'frozen', ySplit: 1 }] });
  issues.columns = ISSUE_HEADERS.map((header, i) => ({
    header,
    key: String(i),
    width: [8, 8, 20, 10, 22, 26, 80, 24][i],
  }));
  issues.getRow(1).font = { bold: true };
  issues.autoFilter = { from: 'A1', to: 'H1' };
  const byCode = new Map<string, number>();
  let n = 0;
  for await (const entry of entries) {
    issues.addRow(csvCells(entry).map((cell, i) => (i <= 1 && cell !== '' ? Number(cell) : cell))).commit();
    byCode.set(entry.code, (byCode.get(entry.code) ?? 0) + 1);
    n++;
  }
  await issues.commit();
  const status = statusLine(upload);
  const rows: (string | number)[][] = [
    ['Rejection report', ''],
    ['Upload id', upload.uploadId],
    ['File', upload.fileName],
    ['Organisation', upload.org],
    ['Period', upload.period],
    ['Status', status.code],
    ['Reason or summary', status.message],
    ['Rows', upload.counts.rows],
    ['Accepted', upload.counts.accepted],
    ['Accepted with warnings', upload.counts.warnings],
    ['Rejected', upload.counts.rejected],
    ['Issues listed (sheet Issues)', n],
    ['Issues by code', 'Count'],
    ...[...byCode].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, count]) => [code, count]),
  ];
  summary.columns = [{ width: 30 }, { width: 80 }];
  for (const [i, cells] of rows.entries()) {
    const row = summary.addRow(cells.map((cell) => spreadsheetSafe(cell)));
    if (i === 0 || cells[0] === 'Issues by code') row.font = { bold: true, ...(i === 0 ? { size: 14 } : {}) };
    row.commit();
  }
  await summary.commit();
  await workbook.commit();
  return n;
};
