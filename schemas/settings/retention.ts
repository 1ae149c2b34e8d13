import { z } from 'zod';

/** The MoPI review group a retention rule applies to (as carried by force systems). */
export const RetentionGroupSchema = z.enum(['1', '2', '3', '4', 'UNASSIGNED']);
export type RetentionGroup = z.infer<typeof RetentionGroupSchema>;

/**
 * A MoPI retention rule: review the marker this many years after the record's as-at time; at that
 * date it is due for review (`REVIEW`) or, for time-based disposal, expires (`EXPIRE`).
 */
export const RetentionRuleSchema = z.strictObject({
  reviewAfterYears: z.number().int().min(1).max(100),
  onReviewDue: z.enum(['REVIEW', 'EXPIRE']),
});
export type RetentionRule = z.infer<typeof RetentionRuleSchema>;

/** Rules for every MoPI group (stage settings `retention`; env `MSHT_RETENTION_RULES`). */
export const RetentionRulesSchema = z.strictObject({
  '1': RetentionRuleSchema,
  '2': RetentionRuleSchema,
  '3': RetentionRuleSchema,
  '4': RetentionRuleSchema,
  UNASSIGNED: RetentionRuleSchema,
});
export type RetentionRules = z.infer<typeof RetentionRulesSchema>;
