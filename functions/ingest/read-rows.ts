import { CsvError, parse } from 'csv-parse';
import { detachedCopy, truncateCodePoints } from '../../schemas/common/text-length.ts';
import type { RowIssue } from '../../schemas/normalise/codes.ts';
import { columnForHeader, headerKey, resolveHeaders } from '../../schemas/normalise/headers.ts';
import type { RecordType } from '../../schemas/record-types.ts';
import { FileRejectedError } from '../shared/errors.ts';
import { jsonSyntaxMessage, parseJsonText } from '../shared/json-text.ts';
import { visibleText } from '../shared/visible-text.ts';
import { csvFailureMessage } from './csv-failure.ts';
import { headerHint, shownHeader } from './header-hint.ts';
import { countTopLevelKeys, duplicateTopLevelKeys } from './json-keys.ts';
import { splitLineBatches } from './text-lines.ts';

/** One data row as read from a file: its fields keyed by canonical column name, or why it could not be read. */
/**
 * A data row as read: its number (data rows from 1), the line of the sender's file it starts on (the
 * header, or the first JSON line, is line 1 when it is the first line), and its fields or why it could
 * not be read.
 */
export type RawRow =
  | {
      readonly rowNumber: number;
      readonly line?: number;
      readonly fields: Record<string, unknown>;
      readonly issue?: undefined;
    }
  | {
      readonly rowNumber: number;
      readonly line?: number;
      readonly fields?: undefined;
      readonly issue: RowIssue;
    };

/** Line breaks inside a record's cells (quoted), so the line a record starts on can be told from where it ends. */
const breaksIn = (record: readonly string[]): number => {
  let n = 0;
  for (const cell of record) {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) continue;
    n += cell.replace(/\r\n/g, '\n').replace(/[^\n\r]/g, '').length;
  }
  return n;
};

/**
 * What the header (CSV) or the keys (JSON Lines) told us about the file's columns: the first
 * MAX_LISTED_UNKNOWN unknown column names (each clipped), and how many more there were.
 */
export type HeaderReport = { readonly unknownColumns: readonly string[]; readonly moreUnknown: number };

/** Unknown columns listed by name, each clipped to UNKNOWN_NAME_CHARS: a report stays small whatever the header. */
export const MAX_LISTED_UNKNOWN = 100;
const UNKNOWN_NAME_CHARS = 64;
/** JSON Lines: distinct unknown keys counted beyond those listed, at most (bounds memory). */
const MAX_COUNTED_UNKNOWN = 10_000;

/**
 * JSON Lines: the header mapping of each set of keys is cached (lines of one file mostly share their
 * keys), bounded by size: sets of keys longer than MAX_MAPPING_SIGNATURE_CHARS are not cached, and the
 * cache starts afresh at MAX_MAPPINGS entries or MAX_MAPPING_CHARS characters of keys.
 */
const MAX_MAPPINGS = 1000;
const MAX_MAPPING_SIGNATURE_CHARS = 4096;
const MAX_MAPPING_CHARS = 1 << 20;

/** Collects unknown column names, bounded in number and length. */
const unknownCollector = () => {
  const names = new Set<string>();
  return {
    add(name: string): void {
      if (names.size < MAX_LISTED_UNKNOWN + MAX_COUNTED_UNKNOWN)
        // A copy: a slice of a long key would keep all of it alive.
        names.add(detachedCopy(truncateCodePoints(name, UNKNOWN_NAME_CHARS)));
    },
    report(): HeaderReport {
      const all = [...names];
      return {
        unknownColumns: all.slice(0, MAX_LISTED_UNKNOWN),
        moreUnknown: Math.max(0, all.length - MAX_LISTED_UNKNOWN),
      };
    },
  };
};

/** The longest row (CSV record or JSON line) read, in characters: a row must fit in one SQS message. */
export const MAX_RECORD_CHARS = 1024 * 1024;

const fileError = (file: string, code: string, message: string): FileRejectedError =>
  new FileRejectedError(code, message, { context: { file } });

const describe = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/**
 * Reads CSV rows from text, in batches (one per chunk of text, so that nothing awaits per row): a header
 * row, then one record per row; quoted fields may hold commas, quotes and newlines; CRLF or LF; blank
 * lines skipped. Row numbers count data rows from 1 (the header is row 0). Throws `FileRejectedError`
 * for a header without the required columns or with a column twice, and for CSV so malformed that
 * records cannot be told apart (an unclosed quote).
 */
export async function* readCsvRows(
  text: AsyncIterable<string>,
  recordType: RecordType,
  file: string,
  onHeader: (report: HeaderReport) => void,
): AsyncGenerator<RawRow[]> {
  // csv-parse measured faster than papaparse on this chain (npm run bench). Records arrive through
  // 'data' events while a chunk is written, and are handled as one batch per chunk.
  const parser = parse({
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Every line ends where it ends: csv-parse would otherwise take the first line's ending for the whole
    // file, so a CRLF header over LF rows would read as one row. CRLF is tried before CR.
    record_delimiter: ['\r\n', '\n', '\r'],
    // Bounds memory: an unclosed quote would otherwise gather the rest of the file into one field.
    max_record_size: MAX_RECORD_CHARS,
  });
  let cells: string[][] = [];
  /** The line each record of `cells` starts on. */
  let starts: number[] = [];
  let failure: unknown;
  // The line each of the first records ends on: only needed to say where a header below a title row is.
  const recordLines: number[] = [];
  parser.on('data', (record: string[]) => {
    cells.push(record);
    starts.push(parser.info.lines - breaksIn(record));
    if (recordLines.length < HEADER_SEARCH_RECORDS + 2) recordLines.push(parser.info.lines);
  });
  parser.on('error', (error) => {
    failure ??= error;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  const check = (): void => {
    if (failure === undefined) return;
    if (!(failure instanceof CsvError)) throw failure;
    if (failure.code === 'CSV_MAX_RECORD_SIZE') {
      throw fileError(
        file,
        'LINE_TOO_LONG',
        `A CSV record near line ${Number.isSafeInteger(failure.lines) ? failure.lines : '?'} is longer than ${MAX_RECORD_CHARS} characters: a field that long, or a quote that is never closed`,
      );
    }
    throw fileError(file, 'MALFORMED_CSV', csvFailureMessage(failure));
  };
  const table = tableReader(recordType, file, onHeader, (index) => recordLines[index]);
  const take = (): RawRow[] => {
    const records = cells;
    const lines = starts;
    cells = [];
    starts = [];
    return table.take(records, lines);
  };
  for await (const chunk of text) {
    if (!parser.write(chunk)) await new Promise((resolve) => setImmediate(resolve));
    check();
    const rows = take();
    if (rows.length > 0) yield rows;
  }
  parser.end();
  await ended;
  check();
  const rows = take();
  if (rows.length > 0) yield rows;
  table.finish('The file has no header row (it is empty or holds only blank lines)');
}

/** How a table's records are read: CSV (every record as wide as the header) or a sheet (ragged rows). */
export type TableOptions = {
  /**
   * A sheet's rows: a row shorter than the header has empty cells, one longer is only an issue when a
   * cell right of the header's last column holds a value; the header ends at its last named cell.
   */
  readonly ragged?: boolean;
  /** What a line of the file is called in messages: `Line` (text) or `Row` (a sheet). */
  readonly lineWord?: 'Line' | 'Row';
  /** A cell's name in messages (`D5` in a sheet); by default its field number. */
  readonly cellName?: (index: number, line: number | undefined) => string;
};

/**
 * The header logic shared by CSV and sheets: the first record that names a column is the header (its
 * required columns checked; the next records looked at for a real header below title rows, to say so),
 * then every record is a data row mapped to canonical column names. `take` maps a batch of records (each
 * with the line it starts on and, for a sheet, the Excel error values of its cells); `finish` throws for
 * a table without a (good) header. `headerLine(i)` is the line the `i`th record ends on, for the hint.
 */
export const tableReader = (
  recordType: RecordType,
  file: string,
  onHeader: (report: HeaderReport) => void,
  headerLine: (recordIndex: number) => number | undefined,
  options: TableOptions = {},
) => {
  const lineWord = options.lineWord ?? 'Line';
  let columns: (string | null)[] | undefined;
  let rowNumber = 0;
  let recordIndex = -1;
  /** A first header that lacks required columns: the next records are looked at for a better one. */
  let badHeader: { cells: readonly string[]; missing: readonly string[]; looked: number } | undefined;
  const missingColumns = (goodHeaderLine?: number): FileRejectedError => {
    const { cells, missing } = badHeader ?? { cells: [], missing: [] };
    return fileError(
      file,
      'MISSING_REQUIRED_COLUMN',
      `The header lacks required column(s) ${describe(missing)} for ${recordType} records; the header read was ${shownHeader(cells)}.${headerHint(cells, goodHeaderLine, lineWord)}`,
    );
  };
  const shapeIssue = (record: readonly string[], width: number): string | undefined => {
    if (!options.ragged) {
      return record.length === width
        ? undefined
        : `The row has ${record.length} field(s) but the header has ${width}; check quoting and commas`;
    }
    for (let i = width; i < record.length; i++) {
      if ((record[i] ?? '') !== '') {
        return `The row has a value in column ${columnLetters(i)}, right of the header's last column (${columnLetters(width - 1)}); give that column a header or clear the cell`;
      }
    }
    return undefined;
  };
  const take = (
    records: readonly (readonly string[])[],
    lines: readonly (number | undefined)[],
    errors?: readonly (ReadonlyMap<number, string> | undefined)[],
  ): RawRow[] => {
    const rows: RawRow[] = [];
    for (const [r, record] of records.entries()) {
      const line = lines[r];
      if (!columns) {
        recordIndex++;
        let cellsRead = record.map((c) => c.trim());
        if (options.ragged) {
          let last = cellsRead.length;
          while (last > 0 && headerKey(cellsRead[last - 1] ?? '') === '') last--;
          cellsRead = cellsRead.slice(0, last);
        }
        if (badHeader) {
          const later = resolveHeaders(recordType, cellsRead);
          if (later.missingRequired.length === 0) throw missingColumns(headerLine(recordIndex));
          if (++badHeader.looked >= HEADER_SEARCH_RECORDS) throw missingColumns();
          continue;
        }
        // A line of spaces or bare commas names no column: skipped like a blank line.
        if (cellsRead.every((c) => headerKey(c) === '')) continue;
        const header = resolveHeader(cellsRead, recordType, file);
        if (header.missingRequired.length > 0) {
          badHeader = { cells: cellsRead, missing: header.missingRequired, looked: 0 };
          continue;
        }
        columns = header.columns;
        const unknown = unknownCollector();
        for (const name of header.unknown) unknown.add(name);
        onHeader(unknown.report());
        continue;
      }
      rowNumber++;
      const where = line === undefined ? {} : { line };
      const shape = shapeIssue(record, columns.length);
      if (shape) {
        rows.push({ rowNumber, ...where, issue: { field: '(row)', code: 'INVALID_FORMAT', message: shape } });
        continue;
      }
      const cellErrors = errors?.[r];
      let issue: RowIssue | undefined;
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i];
        if (!column) continue;
        const error = cellErrors?.get(i);
        if (error !== undefined) {
          issue ??= {
            field: column,
            code: 'CELL_ERROR',
            message: `Cell ${options.cellName?.(i, line) ?? `${i + 1}`} holds the Excel error ${error}, not a value; fix the formula or enter the value`,
          };
          continue;
        }
        fields[column] = record[i] ?? '';
      }
      rows.push(issue ? { rowNumber, ...where, issue } : { rowNumber, ...where, fields });
    }
    return rows;
  };
  const finish = (emptyMessage: string): void => {
    if (badHeader) throw missingColumns();
    if (!columns) throw fileError(file, 'EMPTY_FILE', emptyMessage);
  };
  return { take, finish };
};

/** A column's letters as Excel names it, from its index (0 → A, 26 → AA). */
export const columnLetters = (index: number): string => {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

/** Records looked at below a header that lacks required columns, for the real header under a title row. */
const HEADER_SEARCH_RECORDS = 10;

/** Resolves a CSV header row (cells trimmed) to canonical column names, rejecting the file for a column named twice. */
const resolveHeader = (
  cells: readonly string[],
  recordType: RecordType,
  file: string,
): { columns: (string | null)[]; unknown: string[]; missingRequired: string[] } => {
  const resolved = resolveHeaders(recordType, cells);
  if (resolved.duplicates.length > 0) {
    throw fileError(
      file,
      'DUPLICATE_COLUMN',
      `The header names a column more than once: ${describe(resolved.duplicates)}`,
    );
  }
  return resolved;
};

/**
 * Reads JSON Lines rows in batches (the lines of each chunk of text): one JSON object per line, blank
 * lines skipped; keys are matched like CSV headers. Row numbers are line numbers. A file whose first
 * line is not JSON is not JSON Lines at all.
 */
export async function* readJsonlRows(
  text: AsyncIterable<string>,
  recordType: RecordType,
  file: string,
  onHeader: (report: HeaderReport) => void,
): AsyncGenerator<RawRow[]> {
  type Mapping = { columns: (string | null)[]; duplicates: readonly string[] };
  const mappings = new Map<string, Mapping>();
  let mappingChars = 0;
  const unknown = unknownCollector();
  const resolveKeys = (keys: readonly string[]): Mapping => {
    const resolved = resolveHeaders(recordType, keys);
    for (const name of resolved.unknown) unknown.add(name);
    return { columns: resolved.columns, duplicates: resolved.duplicates };
  };
  const duplicated = (lineNumber: number, field: string, message: string): RawRow => ({
    rowNumber: lineNumber,
    line: lineNumber,
    issue: { field: truncateCodePoints(field, UNKNOWN_NAME_CHARS), code: 'DUPLICATE_FIELD', message },
  });
  let seenObject = false;
  const readLine = (lineNumber: number, line: string): RawRow | undefined => {
    if (line.trim() === '') return undefined;
    const parsed = parseJsonText(line);
    if (!parsed.ok) {
      if (!seenObject) {
        throw fileError(
          file,
          'NOT_CSV_OR_JSONL',
          'The first line is not JSON; a .jsonl file holds one JSON object per line',
        );
      }
      return {
        rowNumber: lineNumber,
        line: lineNumber,
        issue: {
          field: '(line)',
          code: 'INVALID_JSON',
          // Never the parser's own message: it quotes the line (functions/shared/json-text.ts).
          message: jsonSyntaxMessage('The line', parsed),
        },
      };
    }
    const value = parsed.value;
    seenObject = true;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return {
        rowNumber: lineNumber,
        line: lineNumber,
        issue: { field: '(line)', code: 'NOT_AN_OBJECT', message: 'The line is JSON but not an object' },
      };
    }
    const keys = Object.keys(value);
    if (countTopLevelKeys(line) !== keys.length) {
      const names = duplicateTopLevelKeys(line);
      const name = names[0] ?? '';
      const shown = visibleText(name, UNKNOWN_NAME_CHARS);
      return duplicated(
        lineNumber,
        columnForHeader(recordType, name)?.name ?? name,
        `The line names "${shown}" more than once; JSON would keep only the last value, so the row is rejected rather than guessed`,
      );
    }
    const signature = keys.join('\u0000');
    let mapping = mappings.get(signature);
    if (mapping === undefined) {
      mapping = resolveKeys(keys);
      // Bounded by size, not only by entries: a line's keys may be a megabyte of names of its own.
      if (signature.length <= MAX_MAPPING_SIGNATURE_CHARS) {
        if (mappings.size >= MAX_MAPPINGS || mappingChars + signature.length > MAX_MAPPING_CHARS) {
          mappings.clear();
          mappingChars = 0;
        }
        mappings.set(signature, mapping);
        mappingChars += signature.length;
      }
    }
    const { columns } = mapping;
    if (mapping.duplicates.length > 0) {
      const column = mapping.duplicates[0] ?? '';
      const names = keys
        .filter((_, i) => columns[i] === column)
        .map((k) => visibleText(k, UNKNOWN_NAME_CHARS));
      return duplicated(
        lineNumber,
        column,
        `The line names column ${column} more than once, through synonyms (${describe(names)}); keep one of them`,
      );
    }
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const column = columns[i];
      if (column) fields[column] = (value as Record<string, unknown>)[keys[i] as string];
    }
    return { rowNumber: lineNumber, line: lineNumber, fields };
  };
  const batches = splitLineBatches(text, MAX_RECORD_CHARS, () =>
    fileError(file, 'LINE_TOO_LONG', `A line is longer than ${MAX_RECORD_CHARS} characters`),
  );
  for await (const lines of batches) {
    const rows: RawRow[] = [];
    for (const { lineNumber, line } of lines) {
      const row = readLine(lineNumber, line);
      if (row) rows.push(row);
    }
    if (rows.length > 0) yield rows;
  }
  if (!seenObject) throw fileError(file, 'EMPTY_FILE', 'The file has no JSON lines');
  onHeader(unknown.report());
}
