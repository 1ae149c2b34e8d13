import type { MarkerLifecycle, MarkerStatus, MopiGroup } from '../../schemas/index.ts';
import { type RetentionRules, RetentionRulesSchema } from '../../schemas/settings/retention.ts';

export type { RetentionRules };

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
  lifecycle: MarkerLifecycle,
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
