import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import { sameShape } from '../disclosure/published.ts';
import { type Month, monthsEnding } from '../month.ts';
import type { HistoryMonth } from '../read/history.ts';
import { compare } from './dimensions.ts';
import type { NationalityCounts } from './nationality.ts';

/** The rolling 12-month table and the monthly table it sums. */
export const ROLLING_TABLE = { id: 'A3r', of: 'A3' } as const;

/** The rolling 12 months ending with the reporting month: its window and the summed nationality counts. */
export interface Rolling12 {
  readonly from: Month;
  readonly to: Month;
  /** This month and the earlier months of the window that have outputs. */
  readonly monthsWithData: number;
  /** Sum of the monthly counts, by nationality code (sorted) and age at exploitation. */
  readonly counts: NationalityCounts;
}

/** The internal tier's exact counts of an earlier month, as `NationalityCounts`. */
const countsOf = (doc: NationalPicture | undefined): NationalityCounts =>
  new Map(
    Object.entries(doc?.nationalityCounts ?? {}).map(([code, byAge]) => [
      code,
      new Map(Object.entries(byAge)),
    ]),
  );

/** Sums this month's nationality counts with those of the earlier months of the window that have outputs. */
export const rolling12 = (
  month: Month,
  counts: NationalityCounts,
  history: readonly HistoryMonth[],
): Rolling12 => {
  const window = monthsEnding(month, 12);
  const inWindow = new Set(window);
  const earlier = history.filter((h) => inWindow.has(h.month) && h.month !== month && h.internal);
  const sum = new Map<string, Map<string, number>>();
  for (const source of [counts, ...earlier.map((h) => countsOf(h.internal))]) {
    for (const [code, byAge] of source) {
      const target = sum.get(code) ?? new Map<string, number>();
      for (const [age, n] of byAge) target.set(age, (target.get(age) ?? 0) + n);
      sum.set(code, target);
    }
  }
  return {
    from: window[0] as Month,
    to: month,
    monthsWithData: earlier.length + 1,
    counts: new Map([...sum.entries()].sort(([a], [b]) => compare(a, b))),
  };
};

/** The cells and margins of a table as national.json or the shareable tier holds them. */
type PublishedValues = Pick<
  Table<AggregateCell>,
  'rows' | 'columns' | 'cells' | 'rowTotals' | 'columnTotals' | 'grandTotal'
>;

const add = (a: AggregateCell, b: AggregateCell | undefined): AggregateCell =>
  a === SUPPRESSED || b === undefined || b === SUPPRESSED ? SUPPRESSED : a + b;

/**
 * The shareable tier's rolling 12-month table: the sum of the PUBLISHED monthly tables (this month's and
 * the earlier months' of the window, as the shareable tier published them), `[c]` wherever any month's
 * value is `[c]` or the month's table has other rows or columns. It is a function of what is already
 * published, so it adds no equation an attacker could combine with the monthly tables (no differencing
 * of the rolling and the monthly tables, or of two rolling windows); each cell carries the rounding of
 * every month in it.
 */
export const rollingFromPublished = (
  current: PublishedValues,
  earlier: readonly (PublishedValues | undefined)[],
): PublishedValues => {
  const aligned = (table: PublishedValues | undefined): PublishedValues | undefined =>
    table !== undefined && sameShape(table, current) ? table : undefined;
  const months = earlier.map(aligned);
  const sum = (pick: (t: PublishedValues) => AggregateCell | undefined): AggregateCell =>
    months.reduce<AggregateCell>(
      (total, t) => add(total, t === undefined ? undefined : pick(t)),
      pick(current) as AggregateCell,
    );
  return {
    rows: [...current.rows],
    columns: [...current.columns],
    cells: current.rows.map((_, r) => current.columns.map((__, c) => sum((t) => t.cells[r]?.[c]))),
    rowTotals: current.rows.map((_, r) => sum((t) => t.rowTotals[r])),
    columnTotals: current.columns.map((_, c) => sum((t) => t.columnTotals[c])),
    grandTotal: sum((t) => t.grandTotal),
  };
};
