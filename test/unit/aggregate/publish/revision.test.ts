import { describe, expect, it } from 'vitest';
import { revisionOf } from '../../../../functions/aggregate/publish/revision.ts';
import type { NationalPicture, NationalTable } from '../../../../schemas/aggregate/national.ts';

const table = (
  id: string,
  rows: string[],
  columns: string[],
  cells: (number | '[c]')[][],
): NationalTable => ({
  id,
  title: id,
  group: 'g',
  rowDimension: 'r',
  columnDimension: 'c',
  rows,
  columns,
  cells,
  rowTotals: rows.map(() => '[c]'),
  columnTotals: columns.map(() => '[c]'),
  grandTotal: 20,
});

const previous = (tables: NationalTable[], number?: number) =>
  ({
    runId: 'a'.repeat(24),
    tables,
    ...(number === undefined
      ? {}
      : { revision: { number, replaces: 'b'.repeat(24), changes: [], tablesReshaped: [] } }),
  }) as unknown as NationalPicture;

describe('revisionOf', () => {
  it('lists every published value that changed, as both versions published it, and numbers the revision', () => {
    const before = table(
      'T',
      ['A', 'B'],
      ['X', 'Y'],
      [
        [10, '[c]'],
        [0, 15],
      ],
    );
    const after = table(
      'T',
      ['A', 'B'],
      ['X', 'Y'],
      [
        [10, '[c]'],
        ['[c]', 20],
      ],
    );
    const revision = revisionOf(previous([before], 2), [{ ...after, grandTotal: 25 }]);
    expect(revision).toEqual({
      number: 3,
      replaces: 'a'.repeat(24),
      changes: [
        { table: 'T', entry: 'cell', row: 'B', column: 'X', from: 0, to: '[c]' },
        { table: 'T', entry: 'cell', row: 'B', column: 'Y', from: 15, to: 20 },
        { table: 'T', entry: 'grand total', from: 20, to: 25 },
      ],
      tablesReshaped: [],
    });
  });

  it('names tables added, removed or with other rows instead of pairing their values', () => {
    const revision = revisionOf(
      previous([table('T', ['A'], ['X'], [[10]]), table('U', ['A'], ['X'], [[10]])]),
      [table('T', ['A', 'B'], ['X'], [[10], [0]]), table('V', ['A'], ['X'], [[10]])],
    );
    expect(revision).toMatchObject({ number: 1, changes: [], tablesReshaped: ['T', 'U', 'V'] });
  });

  it('lists a one-way table’s totals once (they are its cells and its grand total)', () => {
    const before = {
      ...table('T', ['A', 'B'], ['Count'], [[10], [15]]),
      rowTotals: [10, 15],
      columnTotals: [25],
    };
    const after = {
      ...table('T', ['A', 'B'], ['Count'], [[10], [20]]),
      rowTotals: [10, 20],
      columnTotals: [30],
      grandTotal: 30,
    };
    const revision = revisionOf(previous([{ ...before, grandTotal: 25 }]), [after]);
    expect(revision.changes.map((c) => c.entry)).toEqual(['cell', 'grand total']);
  });
});
