import type { CellValue, PublishedTable } from '../../../functions/aggregate/disclosure/published.ts';
import { type CountTable, createTable } from '../../../functions/aggregate/disclosure/table.ts';

/** A two-way table with generic labels, for hand-worked examples. */
export const table = (
  id: string,
  cells: number[][],
  labels?: { rows?: string[]; columns?: string[] },
): CountTable =>
  createTable({
    id,
    title: `Table ${id}`,
    rowDimension: 'exploitationType',
    columnDimension: 'sex',
    rows: labels?.rows ?? cells.map((_, r) => `r${r}`),
    columns: labels?.columns ?? (cells[0] ?? []).map((_, c) => `c${c}`),
    cells,
  });

/** What to hide in a hand-built suppression pattern. */
export interface Hidden {
  readonly cells?: readonly (readonly [number, number])[];
  readonly rowTotals?: readonly number[];
  readonly columnTotals?: readonly number[];
  readonly grandTotal?: boolean;
}

/** The exact (unrounded) published view of a table under a hand-built pattern: the audit's input. */
export const exactView = (source: CountTable, hidden: Hidden, zerosSuppressed = false): PublishedTable => {
  const hide = (value: number, yes: boolean): CellValue => (yes ? '[c]' : value);
  return {
    tier: 'shareable',
    id: source.id,
    title: source.title,
    rowDimension: source.rowDimension,
    columnDimension: source.columnDimension,
    rows: source.rows,
    columns: source.columns,
    cells: source.cells.map((row, r) =>
      row.map((value, c) =>
        hide(
          value,
          (hidden.cells ?? []).some(([hr, hc]) => hr === r && hc === c),
        ),
      ),
    ),
    rowTotals: source.rowTotals.map((value, r) => hide(value, (hidden.rowTotals ?? []).includes(r))),
    columnTotals: source.columnTotals.map((value, c) => hide(value, (hidden.columnTotals ?? []).includes(c))),
    grandTotal: hide(source.grandTotal, hidden.grandTotal === true),
    rounding: 'none',
    zerosSuppressed,
    disclosure: { primaryCells: 0, secondaryCells: 0, primaryTotals: 0, secondaryTotals: 0 },
  };
};

/** The positions of `[c]` in a published matrix, as `r,c` strings (order: row-major). */
export const hiddenCells = (cells: readonly (readonly CellValue[])[]): string[] =>
  cells.flatMap((row, r) => row.flatMap((value, c) => (value === '[c]' ? [`${r},${c}`] : [])));
