import { describe, expect, it } from 'vitest';
import {
  createOneWayTable,
  createTable,
  createTableSet,
  isOneWay,
  toInternalTable,
} from '../../../../functions/aggregate/disclosure/table.ts';
import { MshtError } from '../../../../functions/shared/errors.ts';
import { table } from '../fixtures.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MshtError) return error.code;
    throw error;
  }
  throw new Error('expected an MshtError');
};

describe('createTable', () => {
  it('computes row, column and grand totals from the exact cells', () => {
    // Prepare / Act
    const t = table('A', [
      [1, 2, 3],
      [10, 0, 7],
    ]);

    // Assess
    expect(t.rowTotals).toEqual([6, 17]);
    expect(t.columnTotals).toEqual([11, 2, 10]);
    expect(t.grandTotal).toBe(23);
  });

  it('rejects negative, fractional and ragged cells and duplicate labels', () => {
    const base = {
      id: 'X',
      title: 'x',
      rowDimension: 'r',
      columnDimension: 'c',
      rows: ['a'],
      columns: ['b'],
    };
    expect(code(() => createTable({ ...base, cells: [[-1]] }))).toBe('TABLE_INVALID');
    expect(code(() => createTable({ ...base, cells: [[1.5]] }))).toBe('TABLE_INVALID');
    expect(code(() => createTable({ ...base, cells: [[1, 2]] }))).toBe('TABLE_INVALID');
    expect(code(() => createTable({ ...base, rows: ['a', 'a'], cells: [[1], [2]] }))).toBe('TABLE_INVALID');
    expect(code(() => createTable({ ...base, rows: [], cells: [] }))).toBe('TABLE_INVALID');
  });
});

describe('createOneWayTable', () => {
  it('builds a single-column table whose grand total is the sum of the counts', () => {
    const t = createOneWayTable({
      id: 'N',
      title: 'By nationality',
      dimension: 'nationality',
      categories: ['UK', 'Other'],
      counts: [40, 12],
    });

    expect(isOneWay(t)).toBe(true);
    expect(t.cells).toEqual([[40], [12]]);
    expect(t.rowTotals).toEqual([40, 12]);
    expect(t.grandTotal).toBe(52);
  });
});

describe('createTableSet', () => {
  const rows = { rows: ['sexual', 'labour'] };
  const a = table(
    'A',
    [
      [12, 30],
      [5, 7],
    ],
    rows,
  );
  const b = table(
    'B',
    [
      [40, 2],
      [10, 2],
    ],
    rows,
  );

  it('accepts tables whose linked row margins agree', () => {
    const set = createTableSet(
      [a, b],
      [{ a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'rows' } }],
    );

    expect(set.tables).toHaveLength(2);
    expect(set.links).toHaveLength(1);
  });

  it('rejects links whose totals, labels or tables do not match', () => {
    const other = table(
      'C',
      [
        [41, 2],
        [10, 2],
      ],
      rows,
    );
    const relabelled = table(
      'D',
      [
        [40, 2],
        [10, 2],
      ],
      { rows: ['labour', 'sexual'] },
    );
    const link = (id: string) => [
      { a: { table: 'A', margin: 'rows' as const }, b: { table: id, margin: 'rows' as const } },
    ];

    expect(code(() => createTableSet([a, other], link('C')))).toBe('TABLE_INVALID');
    expect(code(() => createTableSet([a, relabelled], link('D')))).toBe('TABLE_INVALID');
    expect(code(() => createTableSet([a], link('Z')))).toBe('TABLE_INVALID');
    expect(code(() => createTableSet([a, a], []))).toBe('TABLE_INVALID');
  });
});

describe('toInternalTable', () => {
  it('marks the exact table as internal without changing any count', () => {
    const t = table('A', [[3, 4]]);

    const internal = toInternalTable(t);

    expect(internal.tier).toBe('internal');
    expect(internal.cells).toEqual([[3, 4]]);
    expect(internal.grandTotal).toBe(7);
  });
});
