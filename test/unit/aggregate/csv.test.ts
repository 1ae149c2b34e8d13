import { describe, expect, it } from 'vitest';
import { csvField, tableCsv } from '../../../functions/aggregate/csv.ts';

describe('csvField', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+44', "'+44"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,b', `"'=a,b"`],
    ['Plain', 'Plain'],
  ])('makes %s safe for spreadsheets', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes numbers as they are', () => {
    expect(csvField(-5)).toBe('-5');
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
