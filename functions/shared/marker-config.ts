import { z } from 'zod';
import { PushQueuesSchema } from '../../schemas/feed/push-consumers.ts';
import { FeedSettingsSchema, PndSettingsSchema } from '../../schemas/settings/marker-settings.ts';
import { RetentionRulesSchema } from '../../schemas/settings/retention.ts';
import { jsonOf, parseEnv } from './config.ts';
import { ENV } from './env-names.ts';

/** What the indexer, PND and feed functions need beyond the shared config, parsed once at the edge. */
const MarkerConfigSchema = z.object({
  markersTable: z.string().min(3),
  feedTable: z.string().min(3),
  retention: jsonOf(RetentionRulesSchema),
  pnd: jsonOf(PndSettingsSchema),
  feed: jsonOf(FeedSettingsSchema),
  bucket: z.string().min(3).optional(),
  feedQueueUrl: z.url().optional(),
  /** The push consumers' own queues (the feed publisher sends every change to each). */
  pushQueues: jsonOf(PushQueuesSchema).optional(),
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
  pushQueues: ENV.feedPushQueues,
};

/** Parses the marker configuration from the `ENV` variables (`parseEnv`). */
export const loadMarkerConfig = (env: NodeJS.ProcessEnv = process.env): MarkerConfig =>
  parseEnv(MarkerConfigSchema, NAMES, 'function environment', env);
