import { z } from 'zod';
import { RetentionRulesSchema } from '../indexer/retention.ts';
import { parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** PND sync settings (`StageSettings.pnd`), as the functions read them from `MSHT_PND_SETTINGS`. */
export const PndSettingsSchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100),
  ackTimeoutHours: z.number().positive(),
  batchPrefix: z.string().min(1).regex(/\/$/, 'must end with /'),
  maxBatchSize: z.number().int().min(1).max(100_000),
});
export type PndSettingsConfig = z.infer<typeof PndSettingsSchema>;

/** Feed settings (`StageSettings.feed`), from `MSHT_FEED_SETTINGS`. */
export const FeedSettingsSchema = z.strictObject({
  holeTimeoutSeconds: z.number().positive(),
  maxPublishPerRun: z.number().int().positive(),
});
export type FeedSettingsConfig = z.infer<typeof FeedSettingsSchema>;

/** What the indexer, PND and feed functions need beyond the shared config, parsed once at the edge. */
export const MarkerConfigSchema = z.object({
  markersTable: z.string().min(3),
  feedTable: z.string().min(3),
  retention: json(RetentionRulesSchema),
  pnd: json(PndSettingsSchema),
  feed: json(FeedSettingsSchema),
  bucket: z.string().min(3).optional(),
  feedQueueUrl: z.url().optional(),
});
export type MarkerConfig = z.infer<typeof MarkerConfigSchema>;

const NAMES: Record<string, string> = {
  markersTable: ENV.markersTable,
  feedTable: ENV.feedTable,
  retention: ENV.retentionRules,
  pnd: ENV.pndSettings,
  feed: ENV.feedSettings,
  bucket: ENV.bucket,
  feedQueueUrl: ENV.feedQueueUrl,
};

/** Parses the marker configuration from the `ENV` variables (`parseEnv`). */
export const loadMarkerConfig = (env: NodeJS.ProcessEnv = process.env): MarkerConfig =>
  parseEnv(MarkerConfigSchema, NAMES, 'function environment', env);
