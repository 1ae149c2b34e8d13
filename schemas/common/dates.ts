import { z } from 'zod';

/** A real calendar date, `YYYY-MM-DD` (ISO 8601). */
export const IsoDateSchema = z.iso.date();
export type IsoDate = z.infer<typeof IsoDateSchema>;

/** A calendar month, `YYYY-MM`: the period of an extract. */
export const IsoMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
export type IsoMonth = z.infer<typeof IsoMonthSchema>;

/** An instant in UTC, ISO 8601 with a `Z` suffix, e.g. `2026-10-31T23:59:59.999Z`. */
export const IsoTimestampSchema = z.iso.datetime();
export type IsoTimestamp = z.infer<typeof IsoTimestampSchema>;

/** How much of a date is known: a source may give only the month or the year (e.g. a date of birth). */
export const DATE_PRECISIONS = ['DAY', 'MONTH', 'YEAR', 'UNKNOWN'] as const;
export const DatePrecisionSchema = z.enum(DATE_PRECISIONS);
export type DatePrecision = z.infer<typeof DatePrecisionSchema>;

/**
 * A date with its precision. A MONTH-precision date is stored as the first of the month and a
 * YEAR-precision date as 1 January; an unknown date is left out rather than stored.
 */
export const PartialDateSchema = z
  .strictObject({ date: IsoDateSchema, precision: z.enum(['DAY', 'MONTH', 'YEAR']) })
  .refine(
    (d) =>
      d.precision === 'DAY' ||
      (d.precision === 'MONTH' && d.date.endsWith('-01')) ||
      (d.precision === 'YEAR' && d.date.endsWith('-01-01')),
    'a MONTH-precision date must be the 1st of the month, a YEAR-precision date 1 January',
  );
export type PartialDate = z.infer<typeof PartialDateSchema>;

/** Whether `year-month-day` is a real calendar date (leap years included). */
export const isRealDate = (year: number, month: number, day: number): boolean => {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
};

/** Number of days in a month (1-12) of a year, Gregorian calendar. */
export const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};

/** The last instant of a month in UTC, e.g. `2026-02` → `2026-02-28T23:59:59.999Z`. */
export const endOfMonth = (month: IsoMonth): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}T23:59:59.999Z`;
};
