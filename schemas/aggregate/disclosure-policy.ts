import { z } from 'zod';

/**
 * The disclosure control of the shareable tier (domain §8.8), in one place: suppression, rounding and the
 * protection the audit demands. The aggregation core takes it as a parameter and the report states it.
 */
export const DisclosurePolicySchema = z.strictObject({
  /** Counts from 1 to threshold − 1 are suppressed as `[c]` (primary suppression; 10: "any cell 1–9"). */
  threshold: z.number().int().min(2),
  /** Every count that is shown is rounded to the nearest multiple of this (5; 1 would not round). */
  roundingBase: z.number().int().min(1),
  /** The protection interval: a suppressed value is protected when its feasible range is at least this wide. */
  minimumWidth: z.number().positive(),
});
export type DisclosurePolicy = z.infer<typeof DisclosurePolicySchema>;

/** Today's policy: suppress 1–9, round to the nearest 5, and require every suppressed value's feasible range to be at least 5 wide (six integers or more). */
export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = Object.freeze({
  threshold: 10,
  roundingBase: 5,
  minimumWidth: 5,
});
