import type { RecordType } from '../../../schemas/record-types.ts';
import { FileRejectedError } from '../../shared/errors.ts';
import { visibleText } from '../../shared/visible-text.ts';
import { peek } from '../byte-source.ts';
import type { IngestLimits } from '../limits.ts';
import { columnLetters, type HeaderReport, type RawRow, tableReader } from '../read-rows.ts';
import { readSheetRecords } from './sheet.ts';
import { workbookProblem } from './sniff.ts';
import { readDateStyles, readSharedStrings, readWorkbookInfo, type SheetRef } from './workbook.ts';
import { openWorkbookZip, spool, type WorkbookZip } from './zip.ts';

const TYPE_NAMES = ['operation', 'subject', 'object', 'location'] as const;
const sheetKey = (name: string): string => name.trim().toLowerCase();
const isTypeName = (name: string, type: string): boolean => {
  const key = sheetKey(name);
  return key === type || key === `${type}s`;
};
const shownSheet = (name: string): string => `'${visibleText(name, 31)}'`;

/**
 * The sheet to read: the one named after the record type (`subjects` or `subject`, any case), else the
 * first worksheet that is not hidden. Rejects a workbook with several sheets of that name (`AMBIGUOUS_SHEET`), without a
 * worksheet, or whose first worksheet is named after another record type (`NO_MATCHING_SHEET`).
 */
export const chooseSheet = (sheets: readonly SheetRef[], recordType: RecordType, file: string): SheetRef => {
  const reject = (code: string, message: string): never => {
    throw new FileRejectedError(code, message, { context: { file } });
  };
  const worksheets = sheets.filter((s) => s.worksheet && s.part);
  const named = worksheets.filter((s) => isTypeName(s.name, recordType));
  if (named.length > 1) {
    reject(
      'AMBIGUOUS_SHEET',
      `The workbook has ${named.length} sheets named after ${recordType}s (${named.map((s) => shownSheet(s.name)).join(', ')}); keep one sheet of ${recordType}s per workbook`,
    );
  }
  if (named[0]) return named[0];
  const first = worksheets.find((s) => !s.hidden) ?? worksheets[0];
  if (!first)
    return reject('NO_MATCHING_SHEET', 'The workbook has no worksheet to read (only chart sheets, or none)');
  const other = TYPE_NAMES.find((t) => t !== recordType && isTypeName(first.name, t));
  if (other) {
    reject(
      'NO_MATCHING_SHEET',
      `The workbook has no sheet named '${recordType}s', and its first sheet ${shownSheet(first.name)} is named after ${other}s; name the sheet of ${recordType}s '${recordType}s', or send ${other}s in a file named ${other}s.xlsx`,
    );
  }
  return first;
};

/**
 * Reads the rows of an .xlsx workbook (one record type per workbook: the sheet chooseSheet picks) in
 * batches, as readCsvRows does for CSV: the same header logic (tableReader), the same `RawRow`s, line =
 * the Excel row number. The workbook is spooled to a temporary file and read by random access (zip.ts);
 * the shared strings and styles are read before the sheet. Throws `FileRejectedError` for a workbook
 * that cannot or must not be read: not a workbook, encrypted, macros, external links, a zip bomb, too
 * many columns or shared strings, no sheet to read.
 */
export async function* readXlsxRows(
  bytes: AsyncIterable<Uint8Array>,
  recordType: RecordType,
  file: string,
  limits: Pick<IngestLimits, 'maxDecompressedBytes'>,
  onHeader: (report: HeaderReport) => void,
): AsyncGenerator<RawRow[]> {
  const reject = (code: string, message: string): never => {
    throw new FileRejectedError(code, message, { context: { file } });
  };
  const { first, all } = await peek(bytes);
  const problem = workbookProblem(first);
  if (problem) reject(problem.code, problem.message);
  const spooled = await spool(all);
  let zip: WorkbookZip | undefined;
  try {
    zip = await openWorkbookZip(spooled.path, file, limits);
    if (zip.names.some((n) => n.endsWith('vbaproject.bin'))) {
      reject(
        'XLSX_MACROS',
        'The workbook holds macros (a VBA project), which are not accepted: save it as "Excel Workbook (.xlsx)", without macros, or as CSV',
      );
    }
    const info = await readWorkbookInfo(zip, file);
    if (info.externalLinks) {
      reject(
        'XLSX_EXTERNAL_LINKS',
        'The workbook links to other workbooks (external links), which are not accepted: in Excel, Data > Edit Links > Break Link keeps the values; then save it again',
      );
    }
    const sheet = chooseSheet(info.sheets, recordType, file);
    const part = sheet.part as string;
    if (!zip.has(part))
      reject('CORRUPT_XLSX', `The sheet ${shownSheet(sheet.name)} is missing from the workbook`);
    const dateStyles = await readDateStyles(zip, info.stylesPart, file);
    const shared = await readSharedStrings(zip, info.sharedStringsPart, file);
    const headerLines: number[] = [];
    const table = tableReader(recordType, file, onHeader, (index) => headerLines[index], {
      ragged: true,
      lineWord: 'Row',
      cellName: (index, line) => `${columnLetters(index)}${line ?? ''}`,
    });
    const sheetRecords = readSheetRecords(zip.read(part), {
      file,
      part,
      shared,
      dateStyles,
      date1904: info.date1904,
    });
    for await (const records of sheetRecords) {
      for (const record of records) {
        if (headerLines.length < 16) headerLines.push(record.line);
        else break;
      }
      const rows = table.take(
        records.map((r) => r.cells),
        records.map((r) => r.line),
        records.map((r) => r.errors),
      );
      if (rows.length > 0) yield rows;
    }
    table.finish(`The sheet ${shownSheet(sheet.name)} has no header row (it is empty)`);
  } finally {
    await zip?.close();
    await spooled.remove();
  }
}
