import { z } from 'zod';
import { IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { Sha256HexSchema } from '../common/provenance.ts';

/** Lifecycle of an upload: RECEIVED → PROCESSING → QUEUED → INDEXED, or FAILED / QUARANTINED / DUPLICATE. */
export const UPLOAD_STATUSES = [
  'RECEIVED',
  'PROCESSING',
  'QUEUED',
  'INDEXED',
  'FAILED',
  'QUARANTINED',
  'DUPLICATE',
] as const;
export const UploadStatusSchema = z.enum(UPLOAD_STATUSES);
export type UploadStatus = z.infer<typeof UploadStatusSchema>;

/** Row counts of an upload: `rows = accepted + rejected`; `warnings` ⊆ accepted; `indexed` → accepted. */
export const UploadCountsSchema = z.strictObject({
  rows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  indexed: z.number().int().nonnegative(),
});
export type UploadCounts = z.infer<typeof UploadCountsSchema>;

/**
 * The upload manifest / ledger entry: one per uploaded object, holding what it is, where it stands and
 * its row counts. `sha256` is set once the object has been read (unknown when it is first received).
 */
export const UploadLedgerEntrySchema = z.strictObject({
  uploadId: z.string().min(1).max(128),
  org: OrgCodeSchema,
  period: IsoMonthSchema,
  key: z.string().min(1).max(1024),
  fileName: z.string().min(1).max(255),
  recordType: z.enum(['operation', 'subject', 'object', 'location']),
  format: z.enum(['csv', 'jsonl', 'xlsx']),
  sha256: Sha256HexSchema.optional(),
  sizeBytes: z.number().int().nonnegative(),
  status: UploadStatusSchema,
  counts: UploadCountsSchema,
  receivedAt: IsoTimestampSchema,
  completedAt: IsoTimestampSchema.optional(),
  /** When the indexer (or ingest) found every accepted record indexed and set INDEXED. */
  indexedAt: IsoTimestampSchema.optional(),
  failure: z.strictObject({ code: z.string().min(1), message: z.string() }).optional(),
  schemaVersion: z.literal(1),
  /** How many times processing started (retries after a crash or timeout). */
  attempts: z.number().int().nonnegative().optional(),
  reportKey: z.string().optional(),
  curatedKey: z.string().optional(),
  /** For a DUPLICATE: the earlier upload with the same content. */
  duplicateOf: z.string().optional(),
});
export type UploadLedgerEntry = z.infer<typeof UploadLedgerEntrySchema>;

/**
 * An upload's status object (`uploadStatusKey`): the organisation's view of its ledger entry, which its
 * upload role may read where it may not read the ledger. Only what concerns the organisation's own upload:
 * no content hash, attempts or curated key.
 */
export const UploadStatusObjectSchema = UploadLedgerEntrySchema.pick({
  uploadId: true,
  org: true,
  period: true,
  key: true,
  fileName: true,
  recordType: true,
  format: true,
  sizeBytes: true,
  status: true,
  counts: true,
  receivedAt: true,
  completedAt: true,
  indexedAt: true,
  failure: true,
  reportKey: true,
  duplicateOf: true,
  schemaVersion: true,
});
export type UploadStatusObject = z.infer<typeof UploadStatusObjectSchema>;

/** The status object of a ledger entry: its fields the organisation may see, nothing else. */
export const uploadStatusOf = (entry: UploadLedgerEntry): UploadStatusObject => {
  const { uploadId, org, period, key, fileName, recordType, format, sizeBytes, status, counts, receivedAt } =
    entry;
  const optional = {
    completedAt: entry.completedAt,
    indexedAt: entry.indexedAt,
    failure: entry.failure,
    reportKey: entry.reportKey,
    duplicateOf: entry.duplicateOf,
  };
  return {
    uploadId,
    org,
    period,
    key,
    fileName,
    recordType,
    format,
    sizeBytes,
    status,
    counts: { ...counts },
    receivedAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    schemaVersion: entry.schemaVersion,
  };
};
