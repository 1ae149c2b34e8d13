/**
 * Excel cell values as the CSV path sees them: numbers as the shortest decimal text of the value Excel
 * shows (15 significant digits, so 0.1+0.2 is `0.3`), serial dates as ISO dates in the 1900 or 1904 date
 * system, booleans as TRUE/FALSE (what Excel writes to CSV).
 */

/** Built-in number formats that show a date and/or a time (ECMA-376 Part 1, 18.8.30; 27–36 and 50–58 are locale dates). */
const BUILT_IN_DATE_FORMATS: ReadonlyMap<number, DateKind> = new Map<number, DateKind>([
  ...[14, 15, 16, 17].map((id) => [id, 'date'] as const),
  ...[18, 19, 20, 21, 45, 46, 47].map((id) => [id, 'time'] as const),
  [22, 'datetime'],
  ...[27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58].map((id) => [id, 'date'] as const),
  ...[32, 33, 55, 56].map((id) => [id, 'time'] as const),
]);

/** What a number format shows: a date, a date and time, a time of day, or no date at all. */
export type DateKind = 'date' | 'datetime' | 'time' | undefined;

/**
 * Whether a custom number format (its code, as styles.xml holds it) shows a date: its first section,
 * less quoted text, escaped characters, fill and padding, colours and locale tags, holds d, m or y
 * (a date), and/or h or s (a time). `General`, `0.00`, `@` show no date.
 */
export const dateKindOfFormat = (code: string): DateKind => {
  const first = (code.split(';')[0] ?? '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .replace(/general/gi, '');
  const date = /[dy]/i.test(first) || (/m/i.test(first) && !/[hs]/i.test(first));
  const time = /[hs]/i.test(first) || /am\/pm|a\/p/i.test(first);
  if (date && time) return 'datetime';
  if (date) return 'date';
  if (time) return 'time';
  return undefined;
};

export const dateKindOfFormatId = (id: number, custom: ReadonlyMap<number, string>): DateKind => {
  const code = custom.get(id);
  return code !== undefined ? dateKindOfFormat(code) : BUILT_IN_DATE_FORMATS.get(id);
};

/**
 * The text of a number as Excel shows it in General format: rounded to 15 significant digits (Excel's
 * precision), then the shortest decimal text of that value, so stored artefacts such as
 * 1.0000000000000002 read as `1`.
 */
export const numberText = (stored: string): string => {
  const value = Number(stored);
  if (stored.trim() === '' || !Number.isFinite(value)) return stored;
  if (value === 0) return '0';
  return String(Number(value.toPrecision(15)));
};

const DAY_MS = 86_400_000;
/** The last day Excel can show: 9999-12-31, serial 2958465 in the 1900 system. */
const MAX_SERIAL = 2_958_465;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * An Excel serial date as ISO text: `YYYY-MM-DD` for a date, `YYYY-MM-DDTHH:MM:SS` for a date and time,
 * `HH:MM:SS` for a time of day (seconds rounded). The 1900 system counts 1900-01-01 as 1 and keeps
 * Lotus 1-2-3's leap-year bug (serial 60 is 1900-02-29, a day that never was, given as such so the date
 * check rejects it); the 1904 system (`date1904` in workbook.xml) counts 1904-01-01 as 0. A serial
 * outside what Excel shows as a date (negative, past 9999-12-31) stays a number.
 */
export const serialDateText = (
  stored: string,
  kind: Exclude<DateKind, undefined>,
  date1904: boolean,
): string => {
  const serial = Number(stored);
  if (!Number.isFinite(serial) || serial < 0 || serial > MAX_SERIAL + (date1904 ? 0 : 1))
    return numberText(stored);
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds >= 86_400) {
    days++;
    seconds -= 86_400;
  }
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  if (kind === 'time' && days === 0) return time;
  let date: string;
  if (!date1904 && days === 60) date = '1900-02-29';
  else {
    const epoch = date1904
      ? Date.UTC(1904, 0, 1)
      : days < 60
        ? Date.UTC(1899, 11, 31)
        : Date.UTC(1899, 11, 30);
    const d = new Date(epoch + days * DAY_MS);
    date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return kind === 'date' ? date : `${date}T${time}`;
};

/** What a boolean cell (`t="b"`) reads as: what Excel writes for it to CSV. */
export const booleanText = (stored: string): string =>
  stored.trim() === '1' ? 'TRUE' : stored.trim() === '0' ? 'FALSE' : stored;
