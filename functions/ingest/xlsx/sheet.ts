import { FileRejectedError } from '../../shared/errors.ts';
import { columnLetters, MAX_RECORD_CHARS } from '../read-rows.ts';
import { booleanText, type DateKind, numberText, serialDateText } from './cell-values.ts';
import type { SharedStrings } from './workbook.ts';
import { XLSX_LIMITS } from './xlsx-limits.ts';
import { parseXmlPart } from './xml.ts';

/** One sheet row with a value: its cells by column (A = 0), its Excel row number, its error cells. */
export type SheetRecord = {
  readonly cells: string[];
  readonly line: number;
  readonly errors: Map<number, string> | undefined;
};

export type SheetContext = {
  readonly file: string;
  readonly part: string;
  readonly shared: SharedStrings;
  readonly dateStyles: readonly DateKind[];
  readonly date1904: boolean;
};

/**
 * Text as typed, from Excel's escaping of characters XML cannot hold (ECMA-376 ST_Xstring): `_x000D_`
 * is a carriage return, and `_x005F_` an underscore that starts what would read as an escape.
 */
export const unescapeXstring = (text: string): string =>
  text.indexOf('_x') < 0
    ? text
    : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** A cell reference's column index (`AB12` → 27), or -1 when it has no letters. */
const columnOf = (ref: string): number => {
  let n = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
  }
  if (i === 4 && /[A-Za-z]/.test(ref[4] ?? '')) return Number.MAX_SAFE_INTEGER;
  return i === 0 ? -1 : n - 1;
};

/**
 * Reads a worksheet part as it is inflated, yielding the rows that hold a value, a batch per chunk of
 * XML. Values as the CSV path would see them (cell-values.ts); empty rows are skipped like blank lines,
 * and every row keeps its Excel row number (`r`), so the report's line is the row a data team sees.
 * Rejects a value beyond XLSX_LIMITS.maxColumns or a cell beyond Excel's last column
 * (`TOO_MANY_COLUMNS`), a row whose values exceed MAX_RECORD_CHARS (`LINE_TOO_LONG`), and a
 * shared-string index the workbook does not have (`CORRUPT_XLSX`).
 */
export async function* readSheetRecords(
  source: AsyncIterable<Uint8Array>,
  context: SheetContext,
): AsyncGenerator<SheetRecord[]> {
  const { file, shared, dateStyles, date1904 } = context;
  const reject = (code: string, message: string): never => {
    throw new FileRejectedError(code, message, { context: { file } });
  };
  let records: SheetRecord[] = [];
  let rowNumber = 0;
  let cells: string[] = [];
  let errors: Map<number, string> | undefined;
  let rowChars = 0;
  let inRow = false;
  let nextColumn = 0;
  // The cell being read.
  let column = 0;
  let type = 'n';
  let style = 0;
  let value = '';
  let inline = '';
  let inValue = false;
  let inInline = false;
  let inText = false;
  let inPhonetic = false;

  const tooManyColumns = (at: number): never =>
    reject(
      'TOO_MANY_COLUMNS',
      at >= XLSX_LIMITS.excelColumns
        ? `Row ${rowNumber} has a cell beyond column XFD, Excel's last column: the sheet is not as Excel writes it; save it again from Excel or as CSV`
        : `Row ${rowNumber} has a value in column ${columnLetters(at)}, beyond the ${XLSX_LIMITS.maxColumns} columns read (${columnLetters(XLSX_LIMITS.maxColumns - 1)}); delete the columns right of the data, or save the sheet as CSV`,
    );
  const cellValue = (): string => {
    switch (type) {
      case 's': {
        if (value === '') return '';
        const text = shared.get(Number(value));
        if (text === undefined) {
          return reject(
            'CORRUPT_XLSX',
            `Cell ${columnLetters(column)}${rowNumber} refers to a shared string the workbook does not have; save the workbook again from Excel`,
          );
        }
        return text;
      }
      case 'inlineStr':
        return unescapeXstring(inline);
      case 'str':
      case 'd':
        return value;
      case 'b':
        return booleanText(value);
      default: {
        if (value === '') return '';
        const kind = dateStyles[style];
        return kind ? serialDateText(value, kind, date1904) : numberText(value);
      }
    }
  };
  const endCell = (): void => {
    if (type === 'e') {
      if (value === '') return;
      if (column >= XLSX_LIMITS.maxColumns) tooManyColumns(column);
      errors ??= new Map();
      errors.set(column, value.replace(/[^#A-Z0-9/!?]/gi, '').slice(0, 16));
      while (cells.length <= column) cells.push('');
      return;
    }
    const text = cellValue();
    if (text === '') return;
    if (column >= XLSX_LIMITS.maxColumns) tooManyColumns(column);
    rowChars += text.length;
    if (rowChars > MAX_RECORD_CHARS) {
      reject(
        'LINE_TOO_LONG',
        `Row ${rowNumber} of the sheet holds more than ${MAX_RECORD_CHARS} characters of values, more than one record can be`,
      );
    }
    while (cells.length < column) cells.push('');
    cells[column] = text;
  };

  const events = parseXmlPart(source, context.part, file, {
    open: (name, a) => {
      switch (name) {
        case 'row': {
          const r = a.r === undefined ? Number.NaN : Number(a.r);
          rowNumber = Number.isSafeInteger(r) && r > 0 ? r : rowNumber + 1;
          inRow = true;
          cells = [];
          errors = undefined;
          rowChars = 0;
          nextColumn = 0;
          return;
        }
        case 'c': {
          if (!inRow) return;
          const at = a.r === undefined ? -1 : columnOf(a.r);
          column = at < 0 ? nextColumn : at;
          if (column >= XLSX_LIMITS.excelColumns) tooManyColumns(column);
          nextColumn = column + 1;
          type = a.t ?? 'n';
          style = a.s === undefined ? 0 : Number(a.s);
          value = '';
          inline = '';
          return;
        }
        case 'v':
          inValue = true;
          return;
        case 'is':
          inInline = true;
          return;
        case 't':
          inText = true;
          return;
        case 'rPh':
          inPhonetic = true;
          return;
      }
    },
    close: (name) => {
      switch (name) {
        case 'v':
          inValue = false;
          return;
        case 'is':
          inInline = false;
          return;
        case 't':
          inText = false;
          return;
        case 'rPh':
          inPhonetic = false;
          return;
        case 'c':
          if (inRow) endCell();
          return;
        case 'row':
          inRow = false;
          if (cells.length > 0) records.push({ cells, line: rowNumber, errors });
          return;
      }
    },
    text: (t) => {
      if (inValue) value += t;
      else if (inInline && inText && !inPhonetic) inline += t;
    },
  });
  for await (const _ of events) {
    if (records.length > 0) {
      yield records;
      records = [];
    }
  }
  if (records.length > 0) yield records;
}
