import { describe, expect, it } from 'vitest';
import { tableCsv } from '../../../../functions/aggregate/publish/csv.ts';

/** The CSV of a table with no categories whose row dimension is `field`: its header line shows the field. */
const headerOf = (field: string): string =>
  tableCsv({
    rowDimension: field,
    rows: [],
    columns: [],
    cells: [],
    rowTotals: [],
    columnTotals: [],
    grandTotal: -5,
  });

describe('tableCsv fields', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+44', "'+44"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,b', `"'=a,b"`],
    ['Plain', 'Plain'],
    ['a\nb', '"a\nb"'],
    ['', ''],
  ])('makes %s safe for spreadsheets', (input, expected) => {
    expect(headerOf(input)).toBe(`${expected},Total\r\nTotal,-5\r\n`);
  });

  it('writes numbers as they are', () => {
    expect(headerOf('x').endsWith('Total,-5\r\n')).toBe(true);
  });
});

describe('tableCsv', () => {
  it('writes a header, the rows with totals and a total row, with suppressed values as [c]', () => {
    // Prepare
    const table = {
      rowDimension: 'Sex',
      rows: ['Female', '=Male'],
      columns: ['Adult', 'Child'],
      cells: [
        [10, '[c]' as const],
        [15, 20],
      ],
      rowTotals: [15, 35],
      columnTotals: [25, '[c]' as const],
      grandTotal: 50,
    };
    // Act
    const csv = tableCsv(table);
    // Assess
    expect(csv).toBe("Sex,Adult,Child,Total\r\nFemale,10,[c],15\r\n'=Male,15,20,35\r\nTotal,25,[c],50\r\n");
  });
});
