import { z } from 'zod';
import type { MarkerStatus, MopiGroup } from '../../schemas/index.ts';
import type { Lifecycle } from './ordering.ts';

/** One MoPI retention rule: review after `reviewAfterYears`; then due for review, or expired. */
export const RetentionRuleSchema = z.strictObject({
  reviewAfterYears: z.number().int().min(1).max(100),
  onReviewDue: z.enum(['REVIEW', 'EXPIRE']),
});

/** Rules for every MoPI group (configuration: infra/config.ts `retention`, env `MSHT_RETENTION_RULES`). */
export const RetentionRulesSchema = z.strictObject({
  '1': RetentionRuleSchema,
  '2': RetentionRuleSchema,
  '3': RetentionRuleSchema,
  '4': RetentionRuleSchema,
  UNASSIGNED: RetentionRuleSchema,
});
export type RetentionRules = z.infer<typeof RetentionRulesSchema>;

/**
 * The MoPI review date of a marker: its as-at time (the last update of the source record, which starts
 * the "clear period") plus the group's review period, as YYYY-MM-DD. 29 February rolls to 1 March.
 */
export const reviewDueOn = (asAt: string, group: MopiGroup, rules: RetentionRules): string => {
  const date = new Date(asAt);
  date.setUTCFullYear(date.getUTCFullYear() + rules[group].reviewAfterYears);
  return date.toISOString().slice(0, 10);
};

/** Whether a marker is past its review date on `today` (YYYY-MM-DD). */
export const isDueForReview = (dueOn: string | undefined, today: string): boolean =>
  dueOn !== undefined && dueOn <= today;

/**
 * The status a marker shows: its lifecycle, except that an ACTIVE marker whose group's rule is
 * time-based disposal (`EXPIRE`) shows EXPIRED once its review date has passed.
 */
export const effectiveStatus = (
  lifecycle: Lifecycle,
  dueOn: string,
  group: MopiGroup,
  rules: RetentionRules,
  today: string,
): MarkerStatus =>
  lifecycle === 'ACTIVE' && rules[group].onReviewDue === 'EXPIRE' && isDueForReview(dueOn, today)
    ? 'EXPIRED'
    : lifecycle;

/** Parses the rules from their JSON (env), naming the problem when invalid. */
export const parseRetentionRules = (json: string): RetentionRules =>
  RetentionRulesSchema.parse(JSON.parse(json));
