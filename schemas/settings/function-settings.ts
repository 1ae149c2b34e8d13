import { z } from 'zod';

const memoryMb = z.number().int().min(128).max(10_240);
const timeoutSeconds = z.number().int().min(1).max(900);

/** Settings of one Lambda function and the SQS event source that feeds it. */
export const FunctionSettingsSchema = z.strictObject({
  memoryMb,
  timeoutSeconds,
  /** Messages per invocation (the event source mapping's BatchSize). */
  batchSize: z.number().int().min(1).max(10_000),
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: z.number().int().min(1).max(1000),
  /** Seconds the event source mapping may wait to fill a batch. */
  maxBatchingWindowSeconds: z.number().int().min(0).max(300),
});
export type FunctionSettings = z.infer<typeof FunctionSettingsSchema>;

/** Settings of a Lambda function run on a schedule (EventBridge) rather than from a queue. */
export const ScheduledFunctionSettingsSchema = z.strictObject({
  memoryMb,
  timeoutSeconds,
  /** EventBridge schedule expression, e.g. `rate(1 minute)`. */
  schedule: z.string().regex(/^(rate|cron)\(.+\)$/, 'must be rate(...) or cron(...)'),
  /** Invocations at once; 1 keeps a job from racing itself (Lambda reserved concurrency). */
  reservedConcurrency: z.number().int().min(1),
});
export type ScheduledFunctionSettings = z.infer<typeof ScheduledFunctionSettingsSchema>;

/** A function invoked on request (the upload API's Function URL). */
export const ApiFunctionSettingsSchema = z.strictObject({
  memoryMb,
  timeoutSeconds,
  /** Invocations at once; bounds what a misbehaving caller can cost. */
  reservedConcurrency: z.number().int().min(1),
});
export type ApiFunctionSettings = z.infer<typeof ApiFunctionSettingsSchema>;

/**
 * Visibility timeout of a queue consumed by a Lambda function: six times the function timeout, as the
 * AWS guidance for SQS event sources recommends.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const visibilityTimeoutSeconds = (fn: Pick<FunctionSettings, 'timeoutSeconds'>): number =>
  fn.timeoutSeconds * 6;

/**
 * Seconds after which an upload still RECEIVED or PROCESSING cannot be in ingest any more: each of the
 * `maxReceiveCount` receives of its message holds it for one visibility timeout (6 × the function timeout),
 * so past that the message has either finished or gone to the dead-letter queue. Ingest timeout ×
 * maxReceiveCount alone would report uploads that are legitimately waiting out a visibility timeout.
 */
export const stuckAfterSeconds = (
  ingest: Pick<FunctionSettings, 'timeoutSeconds' | 'maxReceiveCount'>,
): number => visibilityTimeoutSeconds(ingest) * ingest.maxReceiveCount;
