import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditRecoverability } from '../../functions/aggregate/disclosure/audit.ts';
import type { EntryRef, PublishedTable } from '../../functions/aggregate/disclosure/published.ts';
import { type CountTable, createTable, type MarginLink } from '../../functions/aggregate/disclosure/table.ts';

/** Which entries of one table are hidden (the grand total is always shown, so brute force is bounded). */
interface Pattern {
  readonly cells: readonly (readonly boolean[])[];
  readonly rowTotals: readonly boolean[];
  readonly columnTotals: readonly boolean[];
}

const build = (id: string, cells: number[][]): CountTable =>
  createTable({
    id,
    title: id,
    rowDimension: 'row',
    columnDimension: 'column',
    rows: cells.map((_, r) => `r${r}`),
    columns: (cells[0] ?? []).map((_, c) => `${id}${c}`),
    cells,
  });

/** The exact published view of a table under a pattern; with zeros shown, zero entries cannot be hidden. */
const view = (table: CountTable, pattern: Pattern, zerosSuppressed: boolean): PublishedTable => {
  const hide = (value: number, hidden: boolean | undefined) =>
    hidden === true && (zerosSuppressed || value > 0) ? ('[c]' as const) : value;
  return {
    tier: 'shareable',
    id: table.id,
    title: table.title,
    rowDimension: table.rowDimension,
    columnDimension: table.columnDimension,
    rows: table.rows,
    columns: table.columns,
    cells: table.cells.map((row, r) => row.map((value, c) => hide(value, pattern.cells[r]?.[c]))),
    rowTotals: table.rowTotals.map((value, r) => hide(value, pattern.rowTotals[r])),
    columnTotals: table.columnTotals.map((value, c) => hide(value, pattern.columnTotals[c])),
    grandTotal: table.grandTotal,
    rounding: 'none',
    zerosSuppressed,
    disclosure: { primaryCells: 0, secondaryCells: 0, primaryTotals: 0, secondaryTotals: 0 },
  };
};

const key = (ref: EntryRef): string =>
  ref.kind === 'cell'
    ? `${ref.table}:c:${ref.row}:${ref.column}`
    : ref.kind === 'rowTotal'
      ? `${ref.table}:r:${ref.row}`
      : ref.kind === 'columnTotal'
        ? `${ref.table}:k:${ref.column}`
        : `${ref.table}:g`;

/**
 * Integer brute force, independent of the simplex: enumerate every value of every hidden cell (depth-first,
 * pruned by the published grand total), derive the totals, keep the tables consistent with everything
 * published and the links, and record min and max of every hidden entry.
 */
const bruteForce = (
  tables: readonly PublishedTable[],
  links: readonly MarginLink[],
): Map<string, [number, number]> => {
  const slots = tables.flatMap((t, ti) =>
    t.cells.flatMap((row, r) => row.flatMap((value, c) => (value === '[c]' ? [{ ti, r, c }] : []))),
  );
  const grids = tables.map((t) => t.cells.map((row) => row.map((value) => (value === '[c]' ? 0 : value))));
  const ranges = new Map<string, [number, number]>();
  const record = (ref: EntryRef, value: number) => {
    const k = key(ref);
    const [lo, hi] = ranges.get(k) ?? [value, value];
    ranges.set(k, [Math.min(lo, value), Math.max(hi, value)]);
  };
  const check = () => {
    const totals = tables.map((t, ti) => {
      const grid = grids[ti] as number[][];
      const rowTotals = grid.map((row) => row.reduce((s, v) => s + v, 0));
      const columnTotals = t.columns.map((_, c) => grid.reduce((s, row) => s + (row[c] ?? 0), 0));
      return { rowTotals, columnTotals, grand: rowTotals.reduce((s, v) => s + v, 0) };
    });
    for (const [ti, t] of tables.entries()) {
      const derived = totals[ti] as (typeof totals)[number];
      const lower = t.zerosSuppressed ? 0 : 1;
      if (derived.grand !== t.grandTotal) return;
      for (const [shown, value] of [
        ...t.rowTotals.map((v, r) => [v, derived.rowTotals[r]] as const),
        ...t.columnTotals.map((v, c) => [v, derived.columnTotals[c]] as const),
      ]) {
        if (shown === '[c]' ? (value as number) < lower : shown !== value) return;
      }
    }
    for (const link of links) {
      const a = totals[tables.findIndex((t) => t.id === link.a.table)];
      const b = totals[tables.findIndex((t) => t.id === link.b.table)];
      const margin = (m: typeof a, name: string) => (name === 'rows' ? m?.rowTotals : m?.columnTotals);
      if (JSON.stringify(margin(a, link.a.margin)) !== JSON.stringify(margin(b, link.b.margin))) return;
    }
    for (const [ti, t] of tables.entries()) {
      const derived = totals[ti] as (typeof totals)[number];
      t.cells.forEach((row, r) => {
        row.forEach((value, c) => {
          if (value === '[c]')
            record({ table: t.id, kind: 'cell', row: r, column: c }, grids[ti]?.[r]?.[c] as number);
        });
      });
      t.rowTotals.forEach((value, r) => {
        if (value === '[c]')
          record({ table: t.id, kind: 'rowTotal', row: r }, derived.rowTotals[r] as number);
      });
      t.columnTotals.forEach((value, c) => {
        if (value === '[c]')
          record({ table: t.id, kind: 'columnTotal', column: c }, derived.columnTotals[c] as number);
      });
    }
  };
  const visit = (i: number) => {
    const slot = slots[i];
    if (slot === undefined) {
      check();
      return;
    }
    const t = tables[slot.ti] as PublishedTable;
    const grid = grids[slot.ti] as number[][];
    const used = grid.flat().reduce((s, v) => s + v, 0);
    const max = (t.grandTotal as number) - used;
    for (let value = t.zerosSuppressed ? 0 : 1; value <= max; value += 1) {
      (grid[slot.r] as number[])[slot.c] = value;
      visit(i + 1);
    }
    (grid[slot.r] as number[])[slot.c] = 0;
  };
  visit(0);
  return ranges;
};

const smallCount = fc.integer({ min: 0, max: 5 });

const tableWithPattern = (id: string, rows: number, columns: number) =>
  fc.record({
    cells: fc.array(fc.array(smallCount, { minLength: columns, maxLength: columns }), {
      minLength: rows,
      maxLength: rows,
    }),
    pattern: fc.record({
      cells: fc.array(fc.array(fc.boolean(), { minLength: columns, maxLength: columns }), {
        minLength: rows,
        maxLength: rows,
      }),
      rowTotals: fc.array(fc.boolean(), { minLength: rows, maxLength: rows }),
      columnTotals: fc.array(fc.boolean(), { minLength: columns, maxLength: columns }),
    }),
    id: fc.constant(id),
  });

const assessAgainstBruteForce = (tables: readonly PublishedTable[], links: readonly MarginLink[]) => {
  const audit = auditRecoverability({ tables, links });
  const brute = bruteForce(tables, links);
  expect(audit.entries.length).toBe(brute.size);
  for (const entry of audit.entries) {
    expect([entry.lower, entry.upper]).toEqual(brute.get(key(entry.ref)));
    expect(entry.determined).toBe(entry.lower === entry.upper);
  }
};

describe('auditRecoverability is exact (property, against integer brute force)', () => {
  it('matches the integer range of every suppressed entry of a small table under any pattern', () => {
    const arbitrary = fc
      .record({ rows: fc.integer({ min: 1, max: 3 }), columns: fc.integer({ min: 1, max: 3 }) })
      .chain(({ rows, columns }) => tableWithPattern('A', rows, columns));
    fc.assert(
      fc.property(arbitrary, fc.boolean(), ({ cells, pattern }, zerosSuppressed) => {
        const table = view(build('A', cells), pattern, zerosSuppressed);
        assessAgainstBruteForce([table], []);
      }),
      { numRuns: 200 },
    );
  });

  it('matches the integer range across two 2 × 2 tables linked by their row margin', () => {
    const arbitrary = fc.record({ a: tableWithPattern('A', 2, 2), b: tableWithPattern('B', 2, 2) });
    fc.assert(
      fc.property(arbitrary, fc.boolean(), ({ a, b }, zerosSuppressed) => {
        // Make B a second breakdown of A's rows: same row totals.
        const source = build('A', a.cells);
        const cellsB = source.rowTotals.map((total, r) => {
          const first = Math.min(total, b.cells[r]?.[0] ?? 0);
          return [first, total - first];
        });
        const links: MarginLink[] = [
          { a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'rows' } },
        ];
        assessAgainstBruteForce(
          [view(source, a.pattern, zerosSuppressed), view(build('B', cellsB), b.pattern, zerosSuppressed)],
          links,
        );
      }),
      { numRuns: 150 },
    );
  });
});
