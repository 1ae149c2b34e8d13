import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  cellXml,
  sharedStringsXml,
  sheetXml,
  stylesXml,
  type WorkbookParts,
  workbookBytes,
  workbookEntries,
  zipArchive,
} from '../../../bench/xlsx-files.ts';
import { inspectObject } from '../../../functions/ingest/inspect.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import { type FileJob, processFile } from '../../../functions/ingest/process-file.ts';
import type { RawRow } from '../../../functions/ingest/read-rows.ts';
import { createReportWriter } from '../../../functions/ingest/report.ts';
import { memorySink } from '../../../functions/ingest/text-sink.ts';
import { dateKindOfFormat, numberText, serialDateText } from '../../../functions/ingest/xlsx/cell-values.ts';
import { readXlsxRows } from '../../../functions/ingest/xlsx/read-xlsx-rows.ts';
import { FileRejectedError } from '../../../functions/shared/errors.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

// The .xlsx corpus: valid, messy and hostile workbooks made here (exceljs or byte by byte), each with
// its expected outcome. The large hostile workbooks are in bench/hostile-corpus.ts (hostile-corpus.test.ts).

const HEAD = ['source_record_ref', 'source_system', 'roles', 'sex', 'date_of_birth', 'nationality'];
const bytesOf = (buffer: Buffer) =>
  (async function* () {
    yield buffer;
  })();

const rowsOf = async (buffer: Buffer, file = 'subjects.xlsx'): Promise<RawRow[]> => {
  const rows: RawRow[] = [];
  for await (const batch of readXlsxRows(bytesOf(buffer), 'subject', file, DEFAULT_LIMITS, () => undefined))
    rows.push(...batch);
  return rows;
};
const rejection = async (buffer: Buffer): Promise<{ code: string; message: string }> => {
  try {
    await rowsOf(buffer);
  } catch (error) {
    if (error instanceof FileRejectedError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the workbook to be rejected');
};

const JOB: FileJob = {
  file: 'subjects.xlsx',
  recordType: 'subject',
  format: 'xlsx',
  org: 'PF-E23000001',
  period: '2026-10',
  uploadId: 'u-xlsx',
  fileSha256: 'a'.repeat(64),
  encoding: 'utf-8',
  ingestedAt: '2026-11-02T10:00:00.000Z',
  pseudonymKey: TEST_KEY,
  limits: DEFAULT_LIMITS,
};
const processed = async (buffer: Buffer) => {
  const curated = memorySink();
  const json = memorySink();
  const report = createReportWriter({ json, csv: memorySink() }, {});
  const outcome = await processFile(bytesOf(buffer), JOB, { curated, report });
  await report.finish({});
  const entries = (
    JSON.parse(json.text()) as {
      entries: { row: number; line?: number; code: string; field: string; message: string }[];
    }
  ).entries;
  return {
    outcome,
    entries,
    records: curated
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
};

const exceljsBook = async (build: (book: ExcelJS.Workbook) => void): Promise<Buffer> => {
  const book = new ExcelJS.Workbook();
  build(book);
  return Buffer.from(await book.xlsx.writeBuffer());
};

/** A hand-built sheet of rows, each a list of cells (A, B, ... from the first). */
const handSheet = (rows: readonly { r: number; cells: readonly Parameters<typeof cellXml>[1][] }[]): string =>
  sheetXml(
    rows
      .map(
        ({ r, cells }) =>
          `<row r="${r}">${cells.map((c, i) => cellXml(`${String.fromCharCode(65 + i)}${r}`, c)).join('')}</row>`,
      )
      .join(''),
  );
const inline = (text: string) => ({ t: 'inlineStr', inline: text });
const headRow = { r: 1, cells: HEAD.map(inline) };

describe('xlsx cell values', () => {
  it('reads numbers as Excel shows them, to 15 significant digits', () => {
    expect(numberText('0.30000000000000004')).toBe('0.3');
    expect(numberText('1.0000000000000002')).toBe('1');
    expect(numberText('42')).toBe('42');
    expect(numberText('-0')).toBe('0');
    expect(numberText('123456789012345')).toBe('123456789012345');
    expect(numberText('1.5E-3')).toBe('0.0015');
  });

  it('turns serial dates into ISO dates in the 1900 system (with its leap-year bug) and the 1904 one', () => {
    expect(serialDateText('1', 'date', false)).toBe('1900-01-01');
    expect(serialDateText('59', 'date', false)).toBe('1900-02-28');
    expect(serialDateText('60', 'date', false)).toBe('1900-02-29');
    expect(serialDateText('61', 'date', false)).toBe('1900-03-01');
    expect(serialDateText('35868', 'date', false)).toBe('1998-03-14');
    expect(serialDateText('35868.75', 'datetime', false)).toBe('1998-03-14T18:00:00');
    expect(serialDateText('35868.9999999', 'datetime', false)).toBe('1998-03-15T00:00:00');
    expect(serialDateText('0.5', 'time', false)).toBe('12:00:00');
    expect(serialDateText('0', 'date', true)).toBe('1904-01-01');
    expect(serialDateText('34406', 'date', true)).toBe('1998-03-14');
    expect(serialDateText('-1', 'date', false)).toBe('-1');
  });

  it('tells date formats from number formats', () => {
    for (const code of ['dd/mm/yyyy', 'd-mmm-yy', 'yyyy-mm-dd', '[$-809]dd mmmm yyyy', 'mmm yyyy'])
      expect(dateKindOfFormat(code), code).toBe('date');
    for (const code of ['dd/mm/yyyy hh:mm', 'yyyy-mm-dd"T"hh:mm:ss'])
      expect(dateKindOfFormat(code), code).toBe('datetime');
    for (const code of ['h:mm AM/PM', '[h]:mm:ss', 'mm:ss'])
      expect(dateKindOfFormat(code), code).toBe('time');
    for (const code of [
      'General',
      '0.00',
      '@',
      '#,##0',
      '"days "0',
      '0.0%',
      '[Red]0.00;[Blue]-0.00',
      '00000',
    ])
      expect(dateKindOfFormat(code), code).toBeUndefined();
  });
});

describe('xlsx corpus: valid', () => {
  it('reads an exceljs workbook: text, numbers, dates, booleans; line = Excel row', async () => {
    const book = await exceljsBook((b) => {
      const sheet = b.addWorksheet('Sheet1');
      sheet.addRow([...HEAD, 'ocg_linked', 'arrests']);
      sheet.addRow(['P-1', 'NICHE', 'victim', 'F', new Date(Date.UTC(1998, 2, 14)), 'Albanian', true, 3]);
      sheet.getCell('E2').numFmt = 'dd/mm/yyyy';
      sheet.addRow(['P-2', 'NICHE', 'suspect', 'M', '14/03/1990', 'GBR', false, 0.1 + 0.2]);
    });
    const rows = await rowsOf(book);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
    expect(rows[0]?.fields).toMatchObject({
      source_record_ref: 'P-1',
      date_of_birth: '1998-03-14',
      nationality: 'Albanian',
    });
    expect(rows[1]?.fields).toMatchObject({ date_of_birth: '14/03/1990' });
    const { outcome } = await processed(book);
    expect(outcome.counts).toMatchObject({ rows: 2, rejected: 0 });
  });

  it('reads a hand-built workbook: shared and inline strings, numbers as text, date styles, rich text', async () => {
    const shared = sharedStringsXml(['source_record_ref', 'NICHE', '007', 'victim']).replace(
      '</sst>',
      '<si><r><t>Alb</t></r><r><t>anian</t></r><rPh><t>PHONETIC</t></rPh></si></sst>',
    );
    const book = workbookBytes({
      sheets: [
        {
          name: 'Sheet1',
          xml: handSheet([
            { r: 1, cells: [{ t: 's', v: '0' }, ...HEAD.slice(1).map(inline)] },
            {
              r: 2,
              cells: [
                { t: 's', v: '2' },
                { t: 's', v: '1' },
                { t: 's', v: '3' },
                inline('F'),
                { s: 1, v: '35868' },
                { t: 's', v: '4' },
              ],
            },
            {
              r: 3,
              cells: [
                inline('P-3'),
                inline('NICHE'),
                inline('victim'),
                inline('F'),
                { s: 2, v: '35868' },
                inline('VN'),
              ],
            },
            {
              r: 4,
              cells: [
                inline('P-4'),
                inline('NICHE'),
                inline('victim'),
                inline('F'),
                { s: 3, v: '35868.5' },
                inline('VN'),
              ],
            },
            {
              r: 5,
              cells: [
                { v: '1234' },
                inline('NICHE'),
                inline('victim'),
                inline('F'),
                { s: 0, v: '35868' },
                inline('VN'),
              ],
            },
          ]),
        },
      ],
      sharedStrings: shared,
      styles: stylesXml([0, 14, 164, 22], { 164: 'dd/mm/yyyy' }),
    });
    const rows = await rowsOf(book);
    expect(rows.map((r) => r.fields)).toEqual([
      expect.objectContaining({
        source_record_ref: '007',
        source_system: 'NICHE',
        roles: 'victim',
        date_of_birth: '1998-03-14',
        nationality: 'Albanian',
      }),
      expect.objectContaining({ source_record_ref: 'P-3', date_of_birth: '1998-03-14' }),
      expect.objectContaining({ date_of_birth: '1998-03-14T12:00:00' }),
      // A number in General format stays a number: a serial date without a date format is not guessed.
      expect.objectContaining({ source_record_ref: '1234', date_of_birth: '35868' }),
    ]);
  });

  it('reads 1904 dates when workbook.xml says date1904', async () => {
    const parts: WorkbookParts = {
      sheets: [
        {
          name: 'subjects',
          xml: handSheet([
            headRow,
            {
              r: 2,
              cells: [
                inline('P-1'),
                inline('NICHE'),
                inline('victim'),
                inline('F'),
                { s: 1, v: '34406' },
                inline('VN'),
              ],
            },
          ]),
        },
      ],
      styles: stylesXml([0, 14]),
      date1904: true,
    };
    expect((await rowsOf(workbookBytes(parts)))[0]?.fields).toMatchObject({ date_of_birth: '1998-03-14' });
  });

  it('reads the sheet named after the record type, else the first worksheet', async () => {
    const other = handSheet([{ r: 1, cells: [inline('notes')] }]);
    const data = handSheet([headRow, { r: 2, cells: ['P-9', 'NICHE', 'victim', 'F', '', 'VN'].map(inline) }]);
    const named = workbookBytes({
      sheets: [
        { name: 'Read me', xml: other },
        { name: ' Subjects ', xml: data },
      ],
    });
    expect((await rowsOf(named)).map((r) => r.fields?.source_record_ref)).toEqual(['P-9']);
    const hiddenFirst = workbookBytes({
      sheets: [
        { name: 'Lookups', xml: other, hidden: true },
        { name: 'Data', xml: data },
      ],
    });
    expect((await rowsOf(hiddenFirst)).map((r) => r.fields?.source_record_ref)).toEqual(['P-9']);
    const chartFirst = workbookBytes({
      sheets: [
        { name: 'Chart', xml: other, chart: true },
        { name: 'Data', xml: data },
      ],
    });
    expect((await rowsOf(chartFirst)).map((r) => r.fields?.source_record_ref)).toEqual(['P-9']);
  });
});

describe('xlsx corpus: messy', () => {
  it('names the row of a header below title rows, as for CSV', async () => {
    const book = await exceljsBook((b) => {
      const sheet = b.addWorksheet('subjects');
      sheet.addRow(['Subjects extract, November 2026']);
      sheet.addRow([]);
      sheet.addRow(HEAD);
      sheet.addRow(['P-1', 'NICHE', 'victim', 'F', '', 'VN']);
    });
    const { code, message } = await rejection(book);
    expect(code).toBe('MISSING_REQUIRED_COLUMN');
    expect(message).toContain(
      'Row 3 looks like the header: remove the title row(s) above it, so that the header is the first row.',
    );
    expect(message).not.toContain('November');
  });

  it('skips blank rows, keeps Excel row numbers, ignores trailing empty (styled) cells', async () => {
    const blankStyled = Array.from(
      { length: 30 },
      (_, i) =>
        `<c r="${i < 26 ? String.fromCharCode(65 + i) : `A${String.fromCharCode(65 + i - 26)}`}7" s="0"/>`,
    ).join('');
    const xml = sheetXml(
      `<row r="1">${HEAD.map((h, i) => cellXml(`${String.fromCharCode(65 + i)}1`, inline(h))).join('')}<c r="XFD1" s="0"/></row>` +
        `<row r="4">${['P-1', 'NICHE', 'victim', 'F', '', 'VN'].map((v, i) => cellXml(`${String.fromCharCode(65 + i)}4`, inline(v))).join('')}<c r="Z4"/></row>` +
        `<row r="7">${blankStyled}</row>` +
        `<row r="9">${['P-2', 'NICHE', 'victim', 'M'].map((v, i) => cellXml(`${String.fromCharCode(65 + i)}9`, inline(v))).join('')}</row>`,
    );
    const rows = await rowsOf(workbookBytes({ sheets: [{ name: 'subjects', xml }] }));
    expect(rows.map((r) => [r.rowNumber, r.line, r.fields?.source_record_ref])).toEqual([
      [1, 4, 'P-1'],
      [2, 9, 'P-2'],
    ]);
    expect(rows[1]?.fields).toMatchObject({ date_of_birth: '', nationality: '' });
  });

  it('rejects the row of an error cell in a known column, naming the cell, and ignores one in an unknown column', async () => {
    const book = await exceljsBook((b) => {
      const sheet = b.addWorksheet('subjects');
      sheet.addRow([...HEAD, 'lookup']);
      sheet.addRow(['P-1', 'NICHE', 'victim', 'F', { error: '#N/A' }, 'VN', 'x']);
      sheet.addRow(['P-2', 'NICHE', 'victim', 'F', '', 'VN', { error: '#REF!' }]);
    });
    const { outcome, entries } = await processed(book);
    expect(outcome.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
    expect(entries).toContainEqual(
      expect.objectContaining({
        row: 1,
        line: 2,
        field: 'date_of_birth',
        code: 'CELL_ERROR',
        message: 'Cell E2 holds the Excel error #N/A, not a value; fix the formula or enter the value',
      }),
    );
  });

  it('rejects a row with a value right of the header, naming the column', async () => {
    const xml = handSheet([
      headRow,
      { r: 2, cells: ['P-1', 'NICHE', 'victim', 'F', '', 'VN', 'stray'].map(inline) },
    ]);
    const rows = await rowsOf(workbookBytes({ sheets: [{ name: 'subjects', xml }] }));
    expect(rows[0]?.issue).toMatchObject({
      code: 'INVALID_FORMAT',
      message: expect.stringContaining('value in column G, right of the header'),
    });
  });

  it('reads an empty sheet as no header, and a header alone as a nil return', async () => {
    expect(await rejection(workbookBytes({ sheets: [{ name: 'subjects', xml: sheetXml('') }] }))).toEqual({
      code: 'EMPTY_FILE',
      message: "The sheet 'subjects' has no header row (it is empty)",
    });
    expect(
      await rowsOf(workbookBytes({ sheets: [{ name: 'subjects', xml: handSheet([headRow]) }] })),
    ).toEqual([]);
  });

  it('reads a merged cell as its first cell, the others empty', async () => {
    const book = await exceljsBook((b) => {
      const sheet = b.addWorksheet('subjects');
      sheet.addRow(HEAD);
      sheet.addRow(['P-1', 'NICHE', 'victim', 'F', '', 'VN']);
      sheet.addRow(['P-2', 'NICHE', 'victim', 'F', '', 'AL']);
      sheet.mergeCells('B2:B3');
    });
    const rows = await rowsOf(book);
    expect(rows.map((r) => r.fields?.source_system)).toEqual(['NICHE', '']);
  });

  it('stops a workbook of more rows than maxRows (TOO_MANY_ROWS), as for CSV', async () => {
    const book = await exceljsBook((b) => {
      const sheet = b.addWorksheet('subjects');
      sheet.addRow(HEAD);
      for (let i = 0; i < 5; i++) sheet.addRow([`P-${i}`, 'NICHE', 'victim', 'F', '', 'VN']);
    });
    const report = createReportWriter({ json: memorySink(), csv: memorySink() }, {});
    await expect(
      processFile(
        bytesOf(book),
        { ...JOB, limits: { ...DEFAULT_LIMITS, maxRows: 3 } },
        { curated: memorySink(), report },
      ),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ROWS' });
  });

  it('rejects a duplicate column as CSV does', async () => {
    const xml = handSheet([{ r: 1, cells: [...HEAD, 'Ref'].map(inline) }]);
    expect((await rejection(workbookBytes({ sheets: [{ name: 'subjects', xml }] }))).code).toBe(
      'DUPLICATE_COLUMN',
    );
  });
});

describe('xlsx corpus: hostile', () => {
  const plain = (extra: WorkbookParts['extra'] = []) =>
    workbookBytes({ sheets: [{ name: 'subjects', xml: handSheet([headRow]) }], extra });

  it.each([
    [
      'two sheets named after the type',
      workbookBytes({
        sheets: [
          { name: 'subjects', xml: '' },
          { name: 'Subject', xml: '' },
        ],
      }),
      'AMBIGUOUS_SHEET',
      "sheets named after subjects ('subjects', 'Subject')",
    ],
    [
      'the first sheet named after another type',
      workbookBytes({ sheets: [{ name: 'Operations', xml: '' }] }),
      'NO_MATCHING_SHEET',
      "no sheet named 'subjects'",
    ],
    [
      'no worksheet',
      workbookBytes({ sheets: [{ name: 'Chart1', xml: '', chart: true }] }),
      'NO_MATCHING_SHEET',
      'no worksheet',
    ],
    [
      'macros',
      plain([{ name: 'xl/vbaProject.bin', data: Buffer.from('vba') }]),
      'XLSX_MACROS',
      'without macros',
    ],
    [
      'external links',
      plain([{ name: 'xl/externalLinks/externalLink1.xml', data: Buffer.from('<externalLink/>') }]),
      'XLSX_EXTERNAL_LINKS',
      'Break Link',
    ],
    [
      'a zip without a workbook',
      zipArchive([{ name: 'hello.txt', data: Buffer.from('hi') }]),
      'NOT_XLSX',
      'no xl/workbook.xml',
    ],
    [
      'CSV text named .xlsx',
      Buffer.from(`${HEAD.join(',')}\nP-1,NICHE,victim,F,,VN\n`),
      'NOT_XLSX',
      'holds text (such as CSV)',
    ],
    [
      'an encrypted workbook (OLE file)',
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]),
      'ENCRYPTED_WORKBOOK',
      'remove the password',
    ],
    ['a truncated zip', plain().subarray(0, 300), 'NOT_XLSX', 'zip directory is missing or corrupt'],
    [
      'a cell beyond XFD',
      workbookBytes({
        sheets: [{ name: 'subjects', xml: sheetXml('<row r="1"><c r="XFE1"><v>1</v></c></row>') }],
      }),
      'TOO_MANY_COLUMNS',
      "beyond column XFD, Excel's last column",
    ],
    [
      'a value in column 1001',
      workbookBytes({
        sheets: [{ name: 'subjects', xml: sheetXml('<row r="1"><c r="ALM1"><v>1</v></c></row>') }],
      }),
      'TOO_MANY_COLUMNS',
      'Row 1 has a value in column ALM, beyond the 1000 columns read (ALL)',
    ],
    [
      'a DOCTYPE (entity bomb)',
      workbookBytes({
        sheets: [
          {
            name: 'subjects',
            xml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>',
          },
        ],
      }),
      'CORRUPT_XLSX',
      'declares a DOCTYPE',
    ],
    [
      'malformed sheet XML',
      workbookBytes({ sheets: [{ name: 'subjects', xml: '<worksheet><sheetData><row></sheetData>' }] }),
      'CORRUPT_XLSX',
      'not well-formed XML',
    ],
    [
      'a shared string index it lacks',
      workbookBytes({
        sheets: [{ name: 'subjects', xml: sheetXml('<row r="1"><c r="A1" t="s"><v>5</v></c></row>') }],
        sharedStrings: sharedStringsXml(['a']),
      }),
      'CORRUPT_XLSX',
      'Cell A1 refers to a shared string',
    ],
    [
      'a sheet part missing',
      zipArchive(
        workbookEntries({ sheets: [{ name: 'subjects', xml: '' }] }).filter(
          (e) => !e.name.includes('worksheets'),
        ),
      ),
      'CORRUPT_XLSX',
      'missing from the workbook',
    ],
  ])('rejects %s', async (_, buffer, code, words) => {
    const got = await rejection(buffer);
    expect(got.code).toBe(code);
    expect(got.message).toContain(words);
  });

  it('counts inflated bytes against maxDecompressedBytes', async () => {
    const book = plain([{ name: 'xl/media/big.bin', data: Buffer.alloc(2 * 1024 * 1024, 7) }]);
    const rows = readXlsxRows(
      bytesOf(book),
      'subject',
      'subjects.xlsx',
      { maxDecompressedBytes: 1024 * 1024 },
      () => undefined,
    );
    await expect(rows.next()).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('inspect accepts a zip named .xlsx and rejects text and OLE files by their first bytes', async () => {
    const inspection = await inspectObject(bytesOf(plain()), DEFAULT_LIMITS, 'subjects.xlsx', 'xlsx');
    expect(inspection).toMatchObject({ gzip: false, sizeBytes: plain().length });
    await expect(
      inspectObject(bytesOf(Buffer.from('a,b\n1,2\n')), DEFAULT_LIMITS, 'subjects.xlsx', 'xlsx'),
    ).rejects.toMatchObject({ code: 'NOT_XLSX' });
    await expect(
      inspectObject(bytesOf(Buffer.alloc(0)), DEFAULT_LIMITS, 'subjects.xlsx', 'xlsx'),
    ).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    // A workbook named .csv is still binary content.
    await expect(
      inspectObject(bytesOf(plain()), DEFAULT_LIMITS, 'subjects.csv', 'csv'),
    ).rejects.toMatchObject({ code: 'BINARY_CONTENT' });
  });

  it('leaves no temporary file behind, read or rejected', async () => {
    const { readdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('msht-xlsx-')).length;
    await rowsOf(plain());
    await rejection(plain([{ name: 'xl/vbaProject.bin', data: Buffer.from('vba') }]));
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('msht-xlsx-')).length).toBe(before);
  });
});
