import type { HeadlineFigure, NationalPicture } from '../../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import type { Month } from '../month.ts';

/** A table of either tier, as far as headline figures need it. */
type AnyTable = Pick<Table<AggregateCell>, 'id' | 'columns' | 'columnTotals' | 'grandTotal'>;

/** The headline national figures: which table (and column) each comes from. */
export const HEADLINES = [
  { id: 'victims', label: 'Potential victims (counted once nationally)', table: 'A2a' },
  { id: 'suspects', label: 'Suspects and offenders (counted once nationally)', table: 'A4a' },
  { id: 'operationsLive', label: 'Operation returns live at month end', table: 'A1a', column: 'Live' },
  { id: 'operationsOpened', label: 'Operation returns opened in the month', table: 'A1d' },
  { id: 'operationsClosed', label: 'Operation returns closed in the month', table: 'A1e' },
  { id: 'crimesRecorded', label: 'Crimes recorded (Home Office class 106)', table: 'A6a' },
  { id: 'nrmReferrals', label: 'NRM referrals (operation returns)', table: 'A6b' },
  { id: 'arrests', label: 'Arrests', table: 'A7a' },
  { id: 'charges', label: 'Charges', table: 'A7b' },
] as const;

/** The series drawn in the monthly trends chart. */
export const TREND_SERIES = ['victims', 'suspects', 'operationsLive', 'nrmReferrals'] as const;

/** A headline value from a tier's tables (`[c]` when the table is missing from that tier). */
export const headlineValue = (tables: readonly AnyTable[], id: string): AggregateCell => {
  const spec = HEADLINES.find((h) => h.id === id);
  const table = tables.find((t) => t.id === spec?.table);
  if (spec === undefined || table === undefined) return SUPPRESSED;
  if ('column' in spec) return table.columnTotals[table.columns.indexOf(spec.column)] ?? SUPPRESSED;
  return table.grandTotal;
};

/** The change between two published values, `[c]` if either is suppressed. */
const change = (value: AggregateCell, previous: AggregateCell): AggregateCell | number =>
  value === SUPPRESSED || previous === SUPPRESSED ? SUPPRESSED : value - previous;

/** Whole-number percentage change; `[c]` when a value is suppressed or the previous value is zero. */
const changePercent = (value: AggregateCell, previous: AggregateCell): AggregateCell | number =>
  value === SUPPRESSED || previous === SUPPRESSED || previous === 0
    ? SUPPRESSED
    : // + 0 turns a rounded -0 into 0: a fall of less than half a percent is 0%, never -0%.
      Math.round((100 * (value - previous)) / previous) + 0;

/** The headline figures of a tier with month-on-month change against the previous month's output. */
export const headlineFigures = (
  tables: readonly AnyTable[],
  previous: NationalPicture | undefined,
): HeadlineFigure[] =>
  HEADLINES.map((spec) => {
    const value = headlineValue(tables, spec.id);
    const before = previous?.headline.find((h) => h.id === spec.id)?.value;
    return {
      id: spec.id,
      label: spec.label,
      value,
      previous: before ?? null,
      change: before === undefined ? null : change(value, before),
      changePercent: before === undefined ? null : changePercent(value, before),
    };
  });

/** Monthly trends over the months that have outputs (oldest first), ending with this month. */
export const trendOf = (
  month: Month,
  headline: readonly HeadlineFigure[],
  history: readonly NationalPicture[],
): NationalPicture['trend'] => {
  const earlier = [...history]
    .filter((doc) => doc.month < month)
    .sort((a, b) => (a.month < b.month ? -1 : 1));
  const months = [...earlier.map((doc) => doc.month), month];
  const series = TREND_SERIES.map((id) => ({
    id,
    label: HEADLINES.find((h) => h.id === id)?.label ?? id,
    values: [
      ...earlier.map((doc) => doc.headline.find((h) => h.id === id)?.value ?? SUPPRESSED),
      headline.find((h) => h.id === id)?.value ?? SUPPRESSED,
    ],
  }));
  return { months, series };
};
