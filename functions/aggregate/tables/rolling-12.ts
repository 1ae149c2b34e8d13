import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import { type Month, monthsEnding } from '../month.ts';
import type { HistoryMonth } from '../read/history.ts';
import { compare } from './dimensions.ts';
import type { NationalityCounts } from './nationality.ts';

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
