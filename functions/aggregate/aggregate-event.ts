import { z } from 'zod';
import { IsoMonthSchema } from '../../schemas/common/dates.ts';
import { previousMonthOf } from './month.ts';

/**
 * The two ways the aggregation function is invoked: an EventBridge scheduled event (aggregate the month
 * before the event's time) or on demand with `{ "month": "YYYY-MM" }` (e.g. `aws lambda invoke`).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 */
export const AggregateEventSchema = z.union([
  z.object({ month: IsoMonthSchema, allowEmpty: z.boolean().optional() }),
  z.object({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime() }),
]);
export type AggregateEvent = z.infer<typeof AggregateEventSchema>;

/** The month an invocation asks for; throws (a ZodError) on any other event. */
export const monthOfEvent = (event: unknown): string => requestOfEvent(event).month;

/**
 * What an invocation asks for: the month, and whether a month with no counted upload may be published
 * (only when asked on demand; the schedule never publishes an empty month).
 */
export const requestOfEvent = (event: unknown): { month: string; allowEmpty: boolean } => {
  const parsed = AggregateEventSchema.parse(event);
  return 'month' in parsed
    ? { month: parsed.month, allowEmpty: parsed.allowEmpty === true }
    : { month: previousMonthOf(new Date(parsed.time)), allowEmpty: false };
};
