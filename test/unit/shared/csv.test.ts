import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafe, toCsv } from '../../../functions/shared/csv.ts';

describe('spreadsheetSafe', () => {
  it.each(['=SUM(A1:A2)', '+44 7700', '-1', '@cmd', '\tx', '\rx'])(
    'neutralises formula-like cell %j',
    (cell) => {
      expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
    },
  );

  it('leaves ordinary text and numbers, negative ones too, as they are', () => {
    expect(spreadsheetSafe('plain')).toBe('plain');
    expect(spreadsheetSafe('a=b')).toBe('a=b');
    expect(spreadsheetSafe(-1)).toBe(-1);
    expect(spreadsheetSafe(12)).toBe(12);
  });
});

describe('toCsv', () => {
  const cell = (value: string | number | undefined): string => toCsv([[value]]).slice(0, -2);

  it('leaves ordinary text alone and quotes commas, quotes and newlines', () => {
    expect(cell('plain')).toBe('plain');
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('two\nlines')).toBe('"two\nlines"');
    expect(cell('two\rlines')).toBe('"two\rlines"');
    expect(cell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(cell(12)).toBe('12');
    expect(cell(undefined)).toBe('');
  });

  it('ends every row with CRLF, or with the line ending asked for', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['c', null],
      ]),
    ).toBe('a,b\r\nc,\r\n');
    expect(
      toCsv(
        [
          ['a', 'b'],
          ['c', 1],
        ],
        '\n',
      ),
    ).toBe('a,b\nc,1\n');
    expect(toCsv([])).toBe('');
  });

  it('reads back as the cells it was given (csv-parse)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\r', '\n', 'é', '=') });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((width) =>
            fc.array(fc.array(text, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 }),
          ),
        fc.constantFrom('\r\n' as const, '\n' as const),
        (rows, eol) => {
          // A row of one empty cell is an empty line, which no CSV reader tells from none.
          fc.pre(rows.every((row) => row.length > 1 || row[0] !== ''));
          expect(parse(toCsv(rows, eol), { record_delimiter: eol })).toEqual(rows);
        },
      ),
    );
  });
});
