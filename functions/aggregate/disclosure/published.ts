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
