import { z } from 'zod';

/** PND synchronisation settings (stage settings `pnd`; env `MSHT_PND_SETTINGS`). */
export const PndSettingsSchema = z.strictObject({
  /** Exports of one marker before it is REJECTED without an answer from PND. */
  maxAttempts: z.number().int().min(1).max(100),
  /** Hours a SENT marker waits for PND's acknowledgement before it is sent again. */
  ackTimeoutHours: z.number().positive(),
  /** Key prefix of PND batches in the bucket (`{prefix}{batchId}/markers.jsonl` and `manifest.json`). */
  batchPrefix: z.string().min(1).regex(/\/$/, 'must end with /'),
  /** Most markers in one batch. */
  maxBatchSize: z.number().int().min(1).max(100_000),
});
export type PndSettings = z.infer<typeof PndSettingsSchema>;

/** Feed settings (stage settings `feed`; env `MSHT_FEED_SETTINGS`). */
export const FeedSettingsSchema = z.strictObject({
  /** Seconds a gap below the log's head may stay open before the publisher voids it (a safety net: the sequencer moves the head only over written positions). */
  holeTimeoutSeconds: z.number().positive(),
  /** Most changes the publisher sends to the feed queue per run. */
  maxPublishPerRun: z.number().int().positive(),
});
export type FeedSettings = z.infer<typeof FeedSettingsSchema>;
