import type { Person } from '../read/link-subjects.ts';
import {
  AGE_AT_EXPLOITATION_LABELS,
  nationalityName,
  OTHER_NATIONALITIES,
  REFERENCE_NATIONALITIES,
  UK,
  UNKNOWN_NATIONALITY,
} from './categories.ts';
import { type Axis, axis, type TableBody, tableBody } from './dimensions.ts';

/** Counts by nationality code, then by age at exploitation. */
export type NationalityCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * The nationality rows of every table, in a fixed reference order that never depends on the month's
 * counts (a count-ordered list would tell an attacker which `[c]` row is larger): the United Kingdom,
 * then `REFERENCE_NATIONALITIES`, then Other, then Not known. `of` maps a code to its row (codes outside
 * the list go to Other).
 */
export const nationalityAxis = (): Axis & { readonly of: (code: string) => string } => {
  const keys = [UK, ...REFERENCE_NATIONALITIES, OTHER_NATIONALITIES, UNKNOWN_NATIONALITY];
  const labels: Record<string, string> = { [OTHER_NATIONALITIES]: OTHER_NATIONALITIES };
  for (const code of [UK, ...REFERENCE_NATIONALITIES, UNKNOWN_NATIONALITY])
    labels[code] = nationalityName(code);
  const shown = new Set(keys);
  return { name: 'Nationality', keys, labels, of: (code) => (shown.has(code) ? code : OTHER_NATIONALITIES) };
};

/** Nationality counts by age at exploitation as a rows-by-age table (A3 and its rolling 12 months). */
export const nationalityByAge = (counts: NationalityCounts): TableBody => {
  const nat = nationalityAxis();
  const ages = axis('Age at exploitation', AGE_AT_EXPLOITATION_LABELS);
  const cells = nat.keys.map(() => ages.keys.map(() => 0));
  for (const [code, byAge] of counts) {
    const r = nat.keys.indexOf(nat.of(code));
    for (const [age, count] of byAge) {
      const c = ages.keys.indexOf(age);
      if (r < 0 || c < 0) continue;
      (cells[r] as number[])[c] = ((cells[r] as number[])[c] as number) + count;
    }
  }
  return tableBody(nat, ages, cells);
};

/** Victims by nationality code and age at exploitation (exact; the internal tier keeps it for rolling sums). */
export const nationalityCounts = (victims: readonly Person[]): Map<string, Map<string, number>> => {
  const counts = new Map<string, Map<string, number>>();
  for (const person of victims) {
    const byAge = counts.get(person.nationality) ?? new Map<string, number>();
    byAge.set(person.ageAtExploitation, (byAge.get(person.ageAtExploitation) ?? 0) + 1);
    counts.set(person.nationality, byAge);
  }
  return counts;
};
