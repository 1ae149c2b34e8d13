import { z } from 'zod';

/** Sex / gender as recorded (NRM-aligned; HTCDS transgender and non-conforming values map to OTHER). */
export const SEXES = ['FEMALE', 'MALE', 'OTHER', 'NOT_KNOWN'] as const;
export const SexSchema = z.enum(SEXES);
export type Sex = z.infer<typeof SexSchema>;

/** Whether the person was a child (under 18) when exploited, as in the NRM statistics. */
export const AGES_AT_EXPLOITATION = ['ADULT', 'CHILD', 'UNKNOWN'] as const;
export const AgeAtExploitationSchema = z.enum(AGES_AT_EXPLOITATION);
export type AgeAtExploitation = z.infer<typeof AgeAtExploitationSchema>;

/** Coarse age bands, the only ages published; `UNKNOWN` when no age or date of birth is known. */
export const AGE_BANDS = ['0-8', '9-17', '18-24', '25-34', '35-44', '45-54', '55+', 'UNKNOWN'] as const;
export const AgeBandSchema = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof AgeBandSchema>;

const LOWER_BOUNDS: ReadonlyArray<readonly [number, AgeBand]> = [
  [55, '55+'],
  [45, '45-54'],
  [35, '35-44'],
  [25, '25-34'],
  [18, '18-24'],
  [9, '9-17'],
  [0, '0-8'],
];

/**
 * The age band of an age in whole years (fractions are floored). Total: a negative, non-finite or
 * non-numeric age gives `UNKNOWN`; on valid ages the band never decreases as the age grows.
 */
export const ageBandFor = (age: number): AgeBand => {
  if (typeof age !== 'number' || !Number.isFinite(age) || age < 0) return 'UNKNOWN';
  const years = Math.floor(age);
  return LOWER_BOUNDS.find(([min]) => years >= min)?.[1] ?? 'UNKNOWN';
};
