import { type IsoMonth, IsoMonthSchema } from '../../schemas/common/dates.ts';

/** A reporting month, `YYYY-MM`. */
export type Month = IsoMonth;

/** Whether text is a month `YYYY-MM`. */
export const isMonth = (text: string): boolean => IsoMonthSchema.safeParse(text).success;

const parts = (month: Month): [number, number] => {
  if (!isMonth(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
  return month.split('-').map(Number) as [number, number];
};

/** The month `delta` months after (or before, when negative) `month`. */
export const addMonths = (month: Month, delta: number): Month => {
  const [year, m] = parts(month);
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** The `count` months ending with `month`, oldest first (e.g. the rolling 12 months). */
export const monthsEnding = (month: Month, count: number): Month[] =>
  Array.from({ length: count }, (_, i) => addMonths(month, i - count + 1));

/** The calendar month before the one holding `instant` (UTC): what the monthly schedule aggregates. */
export const previousMonthOf = (instant: Date): Month =>
  addMonths(`${instant.getUTCFullYear()}-${String(instant.getUTCMonth() + 1).padStart(2, '0')}`, -1);

/** Whether an ISO date or timestamp (`YYYY-MM-DD…`) falls in `month`. */
export const inMonth = (isoDate: string | undefined, month: Month): boolean =>
  isoDate !== undefined && isoDate.slice(0, 7) === month;
