import { z } from 'zod';
import { CanonicalRecordSchema } from '../canonical/record.ts';

/** Version of the records message body (`v`). */
export const RECORDS_MESSAGE_VERSION = 1;

/**
 * The body of a records message, ingest → indexer (SQS): canonical records of one upload, many to a
 * message (functions/ingest/pack.ts writes it, functions/indexer/index-records.ts reads it).
 */
export const RecordsMessageSchema = z.object({
  v: z.literal(RECORDS_MESSAGE_VERSION),
  uploadId: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  records: z.array(CanonicalRecordSchema),
});
export type RecordsMessage = z.infer<typeof RecordsMessageSchema>;
