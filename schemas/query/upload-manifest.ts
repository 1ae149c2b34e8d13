import { z } from 'zod';
import { IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { RECORD_TYPES } from '../record-types.ts';

/** How the aggregation treated an upload of its month (functions/aggregate/read/select-uploads.ts). */
export const UPLOAD_SELECTIONS = ['COUNTED', 'SUPERSEDED', 'FAILED', 'DUPLICATE', 'IN_FLIGHT'] as const;
export const UploadSelectionSchema = z.enum(UPLOAD_SELECTIONS);

/**
 * One line of a month's uploads manifest (`curatedUploadsKey`): an upload of the month as the last
 * aggregation of that month saw it. The `uploads` query table reads these lines; `counted_uploads` keeps
 * the COUNTED ones, whose records the `current_*` views select (docs/query.md).
 */
export const UploadManifestLineSchema = z.strictObject({
  uploadId: z.string().min(1),
  org: OrgCodeSchema,
  period: IsoMonthSchema,
  recordType: z.enum(RECORD_TYPES),
  /** The incoming key: a later completed upload of the same key supersedes an earlier one. */
  incomingKey: z.string(),
  fileName: z.string(),
  status: z.string(),
  selection: UploadSelectionSchema,
  receivedAt: IsoTimestampSchema,
  accepted: z.number().int().nonnegative().optional(),
  curatedKey: z.string().optional(),
  /** The aggregation run that wrote the manifest. */
  runId: z.string(),
});
export type UploadManifestLine = z.infer<typeof UploadManifestLineSchema>;
