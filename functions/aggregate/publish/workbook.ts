import ExcelJS from 'exceljs';
import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture, NationalTable } from '../../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import { orgName } from '../../../schemas/common/organisations.ts';
import { addMonths } from '../month.ts';
import { coverageRows, coverageSentence } from '../report/coverage-section.ts';
import { formatMonth } from '../report/format.ts';
import { mainPoints } from '../report/main-points.ts';
import { BULLETIN_TITLE, bulletinMetadata, revisionNotes } from '../report/month-report.ts';
import { bulletinOrder } from '../report/order.ts';
import { tableSpec } from '../tables/registry.ts';
import type { ReleaseInfo } from './release.ts';

/**
 * national.xlsx: the tier's tables as an accessible spreadsheet, following the Analysis Function's
 * guidance on releasing statistics in spreadsheets: a cover sheet, a contents sheet, a notes sheet, then
 * one table per sheet (coverage, headline figures, A1a … A9d in bulletin order), each with its title in
 * cell A1, a line of what the table holds, the source and its notes above it, and the table itself marked
 * up as a spreadsheet table (header row, no merged cells, no blank rows or columns inside). Counts are
 * numbers; a suppressed value is the text `[c]`, a row not submitted `[x]`, a value that does not exist
 * `[z]`, each explained on the cover and notes sheets. No formulas, no colour carrying meaning.
 */

/** Shorthand of a value that is not a number (Analysis Function symbols). */
export const SHORTHAND = {
  suppressed: SUPPRESSED,
  notSubmitted: '[x]',
  notApplicable: '[z]',
} as const;

const SOURCE = 'Source: monthly returns of police forces and partner agencies to the national MSHT pipeline.';

/** The sheet name of a table (its id: letters and digits only, at most 31 characters). */
export const sheetNameOf = (id: string): string => id.replace(/[^A-Za-z0-9]/g, '_').slice(0, 31);

interface NoteRow {
  readonly number: number;
  readonly text: string;
  readonly applies: string;
}

const width = (values: readonly unknown[], min: number, max: number) =>
  Math.min(max, Math.max(min, ...values.map((v) => String(v ?? '').length + 2)));

/** Writes a marked-up table at `ref` with its header row; column widths from the content. */
const addTable = (
  sheet: ExcelJS.Worksheet,
  name: string,
  startRow: number,
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): void => {
  sheet.addTable({
    name,
    displayName: name,
    ref: `A${startRow}`,
    headerRow: true,
    totalsRow: false,
    style: { theme: 'TableStyleLight1', showRowStripes: false },
    columns: headers.map((header) => ({ name: header, filterButton: false })),
    rows: rows.map((row) => [...row]),
  });
  sheet.getRow(startRow).font = { bold: true };
  headers.forEach((header, c) => {
    const column = sheet.getColumn(c + 1);
    const current = column.width ?? 10;
    column.width = Math.max(current, width([header, ...rows.map((row) => row[c])], 10, c === 0 ? 60 : 24));
  });
};

const titleRow = (sheet: ExcelJS.Worksheet, title: string): void => {
  sheet.getCell('A1').value = title;
  sheet.getCell('A1').font = { bold: true, size: 15 };
};

const cellOf = (value: AggregateCell): string | number => value;

/** The rows of a table sheet as the spreadsheet holds them (and as the read-back test expects them). */
export const tableSheetRows = (table: NationalTable): (string | number)[][] => {
  const notSubmitted = new Set(table.notSubmitted ?? []);
  return [
    ...table.rows.map((label, r) =>
      notSubmitted.has(label)
        ? [label, ...table.columns.map(() => SHORTHAND.notSubmitted), SHORTHAND.notSubmitted]
        : [label, ...(table.cells[r] ?? []).map(cellOf), cellOf(table.rowTotals[r] ?? SUPPRESSED)],
    ),
    ['Total', ...table.columnTotals.map(cellOf), cellOf(table.grandTotal)],
  ];
};

/** The header row of a table sheet: the row dimension, the columns and "Total" (made unique). */
export const tableSheetHeaders = (table: NationalTable): string[] => {
  const seen = new Set<string>();
  return [table.rowDimension, ...table.columns, 'Total'].map((header) => {
    let name = header.trim() === '' ? 'Column' : header;
    while (seen.has(name)) name = `${name} (2)`;
    seen.add(name);
    return name;
  });
};

/** The tier's spreadsheet as an xlsx file. */
export const nationalWorkbook = async (
  national: NationalPicture,
  policy: DisclosurePolicy,
  release: ReleaseInfo,
): Promise<Buffer> => {
  const book = new ExcelJS.Workbook();
  book.creator = release.publication.producer;
  book.title = `${BULLETIN_TITLE}: ${formatMonth(national.month)}`;
  // A fixed date when the release has none, so the same figures give the same workbook properties.
  const dated = new Date(`${release.publishedOn ?? `${addMonths(national.month, 1)}-01`}T00:00:00.000Z`);
  book.created = dated;
  book.modified = dated;
  const tables = bulletinOrder(national.tables);
  const shareable = national.tier === 'shareable';

  // Notes: the symbols and methods first, then each table's own notes.
  const notes: NoteRow[] = [];
  const note = (text: string, applies: string): number => {
    notes.push({ number: notes.length + 1, text, applies });
    return notes.length;
  };
  const symbolsNote = note(
    shareable
      ? `[c] = confidential: a count from 1 to ${policy.threshold - 1}, or a count suppressed so that such a ` +
          'count cannot be worked out from totals. [x] = not submitted: no organisation of the row sent a ' +
          'return that could be counted (missing, not zero). [z] = not applicable.'
      : '[x] = not submitted: no organisation of the row sent a return that could be counted (missing, ' +
          'not zero). [z] = not applicable. This internal tier has no suppression: every count is exact.',
    'All tables',
  );
  const roundingNote = note(
    shareable
      ? `Every count shown is rounded to the nearest ${policy.roundingBase}; totals are rounded from the ` +
          'unrounded data, so they may differ from the sum of the rounded figures. Percentages are whole ' +
          'numbers worked out from rounded figures and never from suppressed ones.'
      : 'Counts are exact (OFFICIAL-SENSITIVE, national team only). Do not share this workbook.',
    'All tables',
  );
  const methods = release.publication.methodsNotes.map((text) => note(text, 'All tables'));
  const tableNotes = new Map<string, number[]>();
  for (const table of tables) {
    const own = tableSpec(table.id)?.notes?.(national) ?? [];
    tableNotes.set(
      table.id,
      own.map((text) => note(text, table.id)),
    );
  }
  const noteRefs = (numbers: readonly number[]) => numbers.map((n) => `[note ${n}]`).join(' ');
  const general = noteRefs([symbolsNote, roundingNote, ...methods]);

  // Cover sheet.
  const cover = book.addWorksheet('Cover');
  titleRow(cover, `${BULLETIN_TITLE}: ${formatMonth(national.month)}`);
  const coverLines: [string, string][] = [
    [
      'About these statistics',
      `Monthly figures on modern slavery and human trafficking from UK police forces and partner agencies, ${
        shareable
          ? 'shareable tier (OFFICIAL): small numbers suppressed and counts rounded.'
          : 'internal tier (OFFICIAL-SENSITIVE): exact counts for the national team only.'
      }`,
    ],
    ...bulletinMetadata(national, release).map(([term, value]) => [term, value] as [string, string]),
    ['Coverage', coverageSentence(national)],
    ['Main points', mainPoints(national).join(' ')],
    ['Revisions', revisionNotes(national).join(' ')],
    [
      'Symbols used',
      `${shareable ? '[c] = confidential (suppressed to protect small numbers); ' : ''}[x] = not submitted (missing, not zero); [z] = not applicable. See the Notes sheet.`,
    ],
    ['Contents', 'The Contents sheet lists every table in this workbook, one table per sheet.'],
  ];
  let row = 2;
  for (const [heading, text] of coverLines) {
    cover.getCell(`A${row}`).value = heading;
    cover.getCell(`A${row}`).font = { bold: true, size: 12 };
    cover.getCell(`A${row + 1}`).value = text;
    cover.getCell(`A${row + 1}`).alignment = { wrapText: true, vertical: 'top' };
    row += 2;
  }
  cover.getColumn(1).width = 100;

  // Contents sheet.
  const contents = book.addWorksheet('Contents');
  titleRow(contents, 'Contents');
  contents.getCell('A2').value = 'This worksheet contains one table, with a link to each sheet.';
  const listed: { sheet: string; title: string }[] = [
    { sheet: 'Notes', title: 'Notes used in this workbook' },
    { sheet: 'Coverage', title: `Returns for ${formatMonth(national.month)} by expected organisation` },
    { sheet: 'Headline', title: 'Headline figures with month-on-month change' },
    ...tables.map((t) => ({ sheet: sheetNameOf(t.id), title: `${t.id}: ${t.title}` })),
  ];
  addTable(
    contents,
    'Contents',
    3,
    ['Sheet name', 'Table title'],
    listed.map((item) => [item.sheet, item.title]),
  );
  listed.forEach((item, i) => {
    contents.getCell(`A${4 + i}`).value = { text: item.sheet, hyperlink: `#'${item.sheet}'!A1` };
    contents.getCell(`A${4 + i}`).font = { color: { argb: 'FF1D70B8' }, underline: true };
  });

  // Notes sheet.
  const notesSheet = book.addWorksheet('Notes');
  titleRow(notesSheet, 'Notes');
  notesSheet.getCell('A2').value =
    'This worksheet contains one table. Notes are referred to as [note 1] and so on.';
  addTable(
    notesSheet,
    'Notes',
    3,
    ['Note number', 'Note text', 'Applies to'],
    notes.map((n) => [`[note ${n.number}]`, n.text, n.applies]),
  );
  notesSheet.getColumn(2).width = 100;
  notesSheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  // Coverage sheet.
  const coverage = book.addWorksheet('Coverage');
  titleRow(coverage, `Returns for ${formatMonth(national.month)} by expected organisation`);
  coverage.getCell('A2').value =
    'This worksheet contains one table. Every organisation expected to submit a monthly return.';
  coverage.getCell('A3').value = coverageSentence(national);
  addTable(
    coverage,
    'Coverage',
    4,
    ['Organisation code', 'Organisation', 'Region', 'Return for the month'],
    coverageRows(national).map((r) => [r.org, orgName(r.org), r.region, r.status]),
  );

  // Headline sheet.
  const headline = book.addWorksheet('Headline');
  const previousMonth = formatMonth(addMonths(national.month, -1));
  titleRow(headline, `Headline figures, ${formatMonth(national.month)}, with change from ${previousMonth}`);
  headline.getCell('A2').value = `This worksheet contains one table. ${general}`;
  headline.getCell('A3').value = SOURCE;
  addTable(
    headline,
    'Headline',
    4,
    ['Figure', formatMonth(national.month), previousMonth, 'Change', 'Change (%)'],
    national.headline.map((h) => [
      h.label,
      h.value,
      h.previous ?? SHORTHAND.notApplicable,
      h.change ?? SHORTHAND.notApplicable,
      h.changePercent ?? SHORTHAND.notApplicable,
    ]),
  );

  // One sheet per table.
  for (const table of tables) {
    const sheet = book.addWorksheet(sheetNameOf(table.id));
    titleRow(sheet, `${table.id}: ${table.title}, ${formatMonth(national.month)}`);
    const own = noteRefs(tableNotes.get(table.id) ?? []);
    sheet.getCell('A2').value =
      `This worksheet contains one table: rows are ${table.rowDimension.toLowerCase()}, columns ` +
      `${table.columnDimension.toLowerCase()}, with totals. This table has notes: ${general}${own === '' ? '' : ` ${own}`}.`;
    sheet.getCell('A3').value = SOURCE;
    addTable(sheet, `Table_${sheetNameOf(table.id)}`, 4, tableSheetHeaders(table), tableSheetRows(table));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
};
