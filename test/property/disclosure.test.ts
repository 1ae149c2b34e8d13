import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditRecoverability } from '../../functions/aggregate/disclosure/audit.ts';
import {
  type CellValue,
  type EntryRef,
  type PublishedTable,
  roundTo,
} from '../../functions/aggregate/disclosure/published.ts';
import { type SuppressionResult, suppressTableSet } from '../../functions/aggregate/disclosure/suppress.ts';
import {
  type CountTable,
  createTable,
  createTableSet,
  type MarginLink,
  type TableSet,
} from '../../functions/aggregate/disclosure/table.ts';

/** Counts as police monthly tables look: many zeros and small numbers, some medium, a few large. */
const count = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 5 },
  { arbitrary: fc.integer({ min: 10, max: 60 }), weight: 3 },
  { arbitrary: fc.integer({ min: 61, max: 400 }), weight: 1 },
);

const labels = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const build = (id: string, cells: number[][], rowPrefix = 'r', columnPrefix = `${id}c`): CountTable =>
  createTable({
    id,
    title: `Table ${id}`,
    rowDimension: 'row',
    columnDimension: 'column',
    rows: labels(rowPrefix, cells.length),
    columns: labels(columnPrefix, cells[0]?.length ?? 0),
    cells,
  });

const matrix = (rows: number, columns: number) =>
  fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows });

const singleTable = fc
  .record({ rows: fc.integer({ min: 1, max: 8 }), columns: fc.integer({ min: 1, max: 8 }) })
  .chain(({ rows, columns }) => matrix(rows, columns))
  .map((cells): TableSet => createTableSet([build('A', cells)]));

/** Splits `total` into `weights.length` parts in proportion to the weights (the last part takes the rest). */
const split = (total: number, weights: readonly number[]): number[] => {
  const parts: number[] = [];
  let rest = total;
  let weightLeft = weights.reduce((sum, w) => sum + w, 0);
  weights.forEach((weight, i) => {
    const part =
      i === weights.length - 1 || weightLeft === 0
        ? i === 0 || weightLeft > 0
          ? rest
          : 0
        : Math.floor((rest * weight) / weightLeft);
    parts.push(part);
    rest -= part;
    weightLeft -= weight;
  });
  if (rest > 0) parts[0] = (parts[0] ?? 0) + rest;
  return parts;
};

/** Two tables of one population sharing the row margin (A: type × sex, B: type × age), B maybe transposed. */
const linkedPair = fc
  .record({
    rows: fc.integer({ min: 1, max: 8 }),
    columnsA: fc.integer({ min: 1, max: 8 }),
    columnsB: fc.integer({ min: 1, max: 8 }),
    transposed: fc.boolean(),
  })
  .chain(({ rows, columnsA, columnsB, transposed }) =>
    fc.record({
      cellsA: matrix(rows, columnsA),
      weights: fc.array(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: columnsB, maxLength: columnsB }),
        {
          minLength: rows,
          maxLength: rows,
        },
      ),
      transposed: fc.constant(transposed),
    }),
  )
  .map(({ cellsA, weights, transposed }): TableSet => {
    const a = build('A', cellsA);
    const cellsB = a.rowTotals.map((total, r) => split(total, weights[r] ?? []));
    if (!transposed) {
      const b = build('B', cellsB);
      return createTableSet(
        [a, b],
        [{ a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'rows' } }],
      );
    }
    const columnsB = cellsB[0]?.length ?? 0;
    const t = Array.from({ length: columnsB }, (_, c) => cellsB.map((row) => row[c] ?? 0));
    const b = build('B', t, 'Bc', 'r');
    const link: MarginLink = { a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'columns' } };
    return createTableSet([a, b], [link]);
  });

const trueValue = (set: TableSet, ref: EntryRef): number => {
  const table = set.tables.find((t) => t.id === ref.table) as CountTable;
  switch (ref.kind) {
    case 'cell':
      return table.cells[ref.row]?.[ref.column] as number;
    case 'rowTotal':
      return table.rowTotals[ref.row] as number;
    case 'columnTotal':
      return table.columnTotals[ref.column] as number;
    default:
      return table.grandTotal;
  }
};

/** Every published value of a table next to its exact source value. */
const pairs = (source: CountTable, published: PublishedTable): [number, CellValue][] => [
  ...source.cells.flatMap((row, r) =>
    row.map((value, c): [number, CellValue] => [value, published.cells[r]?.[c] as CellValue]),
  ),
  ...source.rowTotals.map((value, r): [number, CellValue] => [value, published.rowTotals[r] as CellValue]),
  ...source.columnTotals.map((value, c): [number, CellValue] => [
    value,
    published.columnTotals[c] as CellValue,
  ]),
  [source.grandTotal, published.grandTotal],
];

/** The properties every suppression result must have, checked against the exact source tables. */
const assessProtection = (set: TableSet, result: SuppressionResult, sensitiveZeros: boolean): void => {
  // Worst case: the attacker knows the exact values of everything published.
  const audit = auditRecoverability(result.exactView);
  expect(audit.ok).toBe(true);
  expect(audit.exact).toBe(true);
  for (const entry of audit.entries) {
    const value = trueValue(set, entry.ref);
    expect(entry.determined).toBe(false);
    expect(entry.lower).toBeLessThanOrEqual(value);
    expect(entry.upper).toBeGreaterThanOrEqual(value);
    // Network-structured sets have integral bounds: the range holds at least one other integer.
    expect(Number.isInteger(entry.lower)).toBe(true);
    expect(entry.upper - entry.lower).toBeGreaterThanOrEqual(1);
  }
  set.tables.forEach((source, i) => {
    const published = result.published.tables[i] as PublishedTable;
    const exact = result.exactView.tables[i] as PublishedTable;
    expect(published.rounding).toBe('nearest-5');
    const exactPairs = pairs(source, exact);
    pairs(source, published).forEach(([value, shown], k) => {
      const [, exactShown] = exactPairs[k] as [number, CellValue];
      if (value >= 1 && value <= 9) expect(shown).toBe('[c]');
      if (value === 0) expect(shown).toBe(sensitiveZeros ? '[c]' : 0);
      if (shown === '[c]') {
        expect(exactShown).toBe('[c]');
        return;
      }
      // Published: never a small number, a multiple of 5, rounded from the unrounded value.
      expect(shown === 0 || shown >= 10).toBe(true);
      expect(shown % 5).toBe(0);
      expect(shown).toBe(roundTo(value, 5));
      expect(exactShown).toBe(value);
    });
  });
};

describe('shareable-tier disclosure control (property)', () => {
  it('leaves no suppressed value of a single table recoverable, and publishes only rounded values ≥ 10', () => {
    fc.assert(
      fc.property(singleTable, fc.boolean(), (set, sensitiveZeros) => {
        const result = suppressTableSet(set, { sensitiveZeros });
        assessProtection(set, result, sensitiveZeros);
      }),
      { numRuns: 250 },
    );
  });

  it('leaves no suppressed value recoverable across two tables linked by a shared margin', () => {
    fc.assert(
      fc.property(linkedPair, fc.boolean(), (set, sensitiveZeros) => {
        const result = suppressTableSet(set, { sensitiveZeros });
        assessProtection(set, result, sensitiveZeros);
        const [a, b] = result.published.tables;
        const shared = set.links[0]?.b.margin === 'rows' ? b?.rowTotals : b?.columnTotals;
        expect(shared).toEqual(a?.rowTotals);
        expect(b?.grandTotal).toEqual(a?.grandTotal);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(linkedPair, (set) => {
        expect(suppressTableSet(set)).toEqual(suppressTableSet(set));
      }),
      { numRuns: 25 },
    );
  });
});
