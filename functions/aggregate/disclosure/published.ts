import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import type { InternalTable, MarginLink } from './table.ts';

/** A published value: a (rounded) count or the suppression marker. */
export type CellValue = AggregateCell;

/** How the values of a shareable table were rounded: to the nearest multiple of a base, or not at all (audit view only). */
export type Rounding = `nearest-${number}` | 'none';

/** The rounding label of a rounding base, e.g. `nearest-5`. */
export const roundingTo = (base: number): Rounding => `nearest-${base}`;

/** Why an entry is hidden: small number (primary) or to protect small numbers (secondary, complementary). */
export type SuppressionReason = 'primary' | 'secondary';

/** Addresses one published value of a table: a cell, a row or column total, or the grand total. */
export type EntryRef =
  | { readonly table: string; readonly kind: 'cell'; readonly row: number; readonly column: number }
  | { readonly table: string; readonly kind: 'rowTotal'; readonly row: number }
  | { readonly table: string; readonly kind: 'columnTotal'; readonly column: number }
  | { readonly table: string; readonly kind: 'grandTotal' };

/**
 * Counts of hidden entries, for quality assurance by the national team. Do not publish the split between
 * primary and secondary: knowing which `[c]` is at least 10 narrows the others.
 */
export interface DisclosureSummary {
  readonly primaryCells: number;
  readonly secondaryCells: number;
  readonly primaryTotals: number;
  readonly secondaryTotals: number;
}

/** A table of the shareable tier: small numbers suppressed as `[c]`, the rest rounded as `rounding` says. */
export type PublishedTable = Table<CellValue> & {
  readonly tier: 'shareable';
  readonly rounding: Rounding;
  /** True when zeros are suppressed too, so a `[c]` may hide a zero (otherwise every `[c]` is at least 1). */
  readonly zerosSuppressed: boolean;
  readonly disclosure: DisclosureSummary;
};

/** A table of either tier, as the report shows it. */
export type TierTable = InternalTable | PublishedTable;

/** What is published for one month: the shareable tables and the links between their margins. */
export interface PublishedSet {
  readonly tables: readonly PublishedTable[];
  readonly links: readonly MarginLink[];
}

/** Rounds a count to the nearest multiple of `base` (a tie, possible for an even base, rounds up). */
export const roundTo = (count: number, base: number): number => Math.round(count / base) * base;

/** Whether a published value is the suppression marker. */
export const isSuppressed = (value: CellValue): value is typeof SUPPRESSED => value === SUPPRESSED;

/**
 * A whole-number percentage of two published values, or `[c]` when either is suppressed (no percentages
 * from suppressed cells) or the base is zero. Computed from the published, rounded values so that it
 * cannot undo the rounding.
 */
export const wholePercent = (part: CellValue, whole: CellValue): CellValue => {
  if (isSuppressed(part) || isSuppressed(whole) || whole === 0) return SUPPRESSED;
  return Math.round((100 * part) / whole);
};

/** The values of a table at its entries: what `valueAt` reads. */
type EntryValues<V> = Pick<Table<V>, 'cells' | 'rowTotals' | 'columnTotals' | 'grandTotal'>;

/** The value of a table at one entry (undefined outside the table). */
export const valueAt = <V>(table: EntryValues<V>, ref: EntryRef): V | undefined => {
  switch (ref.kind) {
    case 'cell':
      return table.cells[ref.row]?.[ref.column] as V | undefined;
    case 'rowTotal':
      return table.rowTotals[ref.row] as V | undefined;
    case 'columnTotal':
      return table.columnTotals[ref.column] as V | undefined;
    default:
      return table.grandTotal as V;
  }
};

/** Every entry of a table: its cells row by row, then its row totals, column totals and grand total. */
export const entryRefs = (table: Pick<Table<unknown>, 'id' | 'rows' | 'columns'>): EntryRef[] => {
  const t = table.id;
  return [
    ...table.rows.flatMap((_, row) =>
      table.columns.map((__, column) => ({ table: t, kind: 'cell' as const, row, column })),
    ),
    ...table.rows.map((_, row) => ({ table: t, kind: 'rowTotal' as const, row })),
    ...table.columns.map((_, column) => ({ table: t, kind: 'columnTotal' as const, column })),
    { table: t, kind: 'grandTotal' as const },
  ];
};

/**
 * The same entry in another version of a table, found by its row and column labels (undefined when that
 * version lacks one of them).
 */
export const matchingEntry = (
  ref: EntryRef,
  from: Pick<Table<unknown>, 'rows' | 'columns'>,
  to: Pick<Table<unknown>, 'id' | 'rows' | 'columns'>,
): EntryRef | undefined => {
  const row = (r: number) => to.rows.indexOf(from.rows[r] as string);
  const column = (c: number) => to.columns.indexOf(from.columns[c] as string);
  const moved: EntryRef =
    ref.kind === 'cell'
      ? { ...ref, table: to.id, row: row(ref.row), column: column(ref.column) }
      : ref.kind === 'rowTotal'
        ? { ...ref, table: to.id, row: row(ref.row) }
        : ref.kind === 'columnTotal'
          ? { ...ref, table: to.id, column: column(ref.column) }
          : { ...ref, table: to.id };
  return ('row' in moved && moved.row < 0) || ('column' in moved && moved.column < 0) ? undefined : moved;
};

/** Whether two tables have the same rows and the same columns, in the same order (so entries pair up). */
export const sameShape = (
  a: Pick<Table<unknown>, 'rows' | 'columns'>,
  b: Pick<Table<unknown>, 'rows' | 'columns'>,
): boolean => {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((label, i) => label === y[i]);
  return same(a.rows, b.rows) && same(a.columns, b.columns);
};

/** A readable label of an entry, e.g. `A2[Sexual × Female]` or `A2[row total Sexual]`. */
export const describeEntry = (
  ref: EntryRef,
  table: { readonly rows: readonly string[]; readonly columns: readonly string[] },
): string => {
  switch (ref.kind) {
    case 'cell':
      return `${ref.table}[${table.rows[ref.row] ?? ref.row} × ${table.columns[ref.column] ?? ref.column}]`;
    case 'rowTotal':
      return `${ref.table}[row total ${table.rows[ref.row] ?? ref.row}]`;
    case 'columnTotal':
      return `${ref.table}[column total ${table.columns[ref.column] ?? ref.column}]`;
    default:
      return `${ref.table}[grand total]`;
  }
};
