import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { aggregateRecords } from '../../../../functions/aggregate/aggregate-core.ts';
import { sheetNameOf } from '../../../../functions/aggregate/publish/workbook.ts';
import { selectUploads } from '../../../../functions/aggregate/read/select-uploads.ts';
import { fixtureUploads, markerFacts, monthRecords } from '../../../browser/report-fixture.ts';

const result = await aggregateRecords({
  month: '2026-10',
  records: monthRecords('2026-10', 160),
  uploads: selectUploads(fixtureUploads('2026-10'), '2026-10'),
  markers: markerFacts('2026-10'),
  history: [],
  lateAfter: '2099-01-01T00:00:00.000Z',
});

const open = async (tier: 'internal' | 'shareable') => {
  const book = new ExcelJS.Workbook();
  const file = result.tiers[tier].binaries.get('national.xlsx');
  if (file === undefined) throw new Error('no workbook');
  await book.xlsx.load(file as unknown as ArrayBuffer);
  return book;
};

describe('national.xlsx', () => {
  for (const tier of ['internal', 'shareable'] as const)
    it(`${tier}: every table sheet holds national.json's values, with cover, contents and notes first`, async () => {
      const book = await open(tier);
      const national = result.tiers[tier].national;
      const names = book.worksheets.map((s) => s.name);
      expect(names.slice(0, 5)).toEqual(['Cover', 'Contents', 'Notes', 'Coverage', 'Headline']);
      expect(names.slice(5).sort()).toEqual(national.tables.map((t) => sheetNameOf(t.id)).sort());
      for (const sheet of book.worksheets) {
        // A title in A1 of every sheet, no merged cells.
        expect(typeof sheet.getCell('A1').value).toBe('string');
        expect(Object.keys((sheet as unknown as { _merges: object })._merges)).toEqual([]);
      }
      for (const table of national.tables) {
        const sheet = book.getWorksheet(sheetNameOf(table.id));
        expect(sheet?.getCell('A1').value).toMatch(new RegExp(`^${table.id}: `));
        // Header row 4, then one row per category and a total row: no blank rows inside.
        const header = ((sheet?.getRow(4).values ?? []) as unknown[]).slice(1);
        expect(header).toEqual([table.rowDimension, ...table.columns, 'Total']);
        const notSubmitted = table.notSubmitted ?? [];
        table.rows.forEach((label, r) => {
          const values = ((sheet?.getRow(5 + r).values ?? []) as unknown[]).slice(1);
          expect(values[0]).toBe(label);
          const expected = notSubmitted.includes(label)
            ? [...table.columns.map(() => '[x]'), '[x]']
            : [...(table.cells[r] ?? []), table.rowTotals[r]];
          expect(values.slice(1)).toEqual(expected);
        });
        const total = ((sheet?.getRow(5 + table.rows.length).values ?? []) as unknown[]).slice(1);
        expect(total).toEqual(['Total', ...table.columnTotals, table.grandTotal]);
        expect(sheet?.getRow(6 + table.rows.length).values ?? []).toEqual([]);
        // Numbers are stored as numbers; only the shorthand is text.
        for (const value of total.slice(1)) expect(typeof value === 'number' || value === '[c]').toBe(true);
        expect(sheet?.getTables().length ?? (sheet as unknown as { tables: object }).tables).toBeTruthy();
      }
      const notes = book.getWorksheet('Notes');
      const noteTexts = (notes?.getColumn(2).values ?? []).join(' ');
      if (tier === 'shareable') expect(noteTexts).toContain('[c] = confidential');
      expect(noteTexts).toContain('[x] = not submitted');
      const contents = book.getWorksheet('Contents');
      expect(JSON.stringify(contents?.getCell('A4').value)).toContain("#'Notes'!A1");
    });
});
