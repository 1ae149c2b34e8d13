import { z } from 'zod';
import { IsoTimestampSchema } from '../common/dates.ts';
import { OrgCodeSchema } from '../common/organisations.ts';

/**
 * How far indexing of an upload has got, for the organisation to watch (`msht upload` shows
 * "indexed n of N"): written by the indexer now and then while the upload is being indexed, under the
 * organisation's own reports prefix (`uploadProgressKey`). A hint only: the status object is what says
 * an upload is INDEXED, and a progress object may lag behind it.
 */
export const UploadProgressSchema = z.strictObject({
  uploadId: z.string().min(1).max(128),
  org: OrgCodeSchema,
  /** Accepted records indexed so far. */
  indexed: z.number().int().nonnegative(),
  /** Accepted records in all, once ingest has queued every one (the upload is QUEUED). */
  accepted: z.number().int().nonnegative().optional(),
  at: IsoTimestampSchema,
});
export type UploadProgress = z.infer<typeof UploadProgressSchema>;
