import { IsoMonthSchema } from '../../../schemas/common/dates.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-10` → `October 2026`; anything else is shown as given. */
export const formatMonth = (month: string): string => {
  if (!IsoMonthSchema.safeParse(month).success) return month;
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1]} ${year}`;
};

/** `2026-11-06` → `6 November 2026`; anything else as given. */
export const formatDate = (date: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return date;
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
};

/** An ISO date-time → `6 November 2026, 03:00 UTC`. */
export const formatDateTime = (instant: string): string => {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(instant);
  return match === null ? instant : `${formatDate(match[1] as string)}, ${match[2]} UTC`;
};
