import { z } from 'zod';
import {
  BusinessAreaSchema,
  ClassificationSchema,
  ExploitationTypeSchema,
  IntelGradingSchema,
  IsoDateSchema,
  IsoMonthSchema,
  IsoTimestampSchema,
  MarkerStatusSchema,
  MarkerSubjectTypeSchema,
  MarkerTypeSchema,
  MopiGroupSchema,
  OrgCodeSchema,
  PseudonymousRefSchema,
  SCHEMA_VERSION,
  Sha256HexSchema,
  SourceRecordRefSchema,
  SourceSystemSchema,
} from '../../schemas/index.ts';

/**
 * One line of a PND batch (JSON Lines): a marker to create or update at PND (`UPSERT`, status ACTIVE)
 * or to remove (`REMOVE`: withdrawn, superseded or expired). `exportSeq` identifies the exported state;
 * PND echoes it, with `markerId`, in its acknowledgement.
 */
export const PndBatchLineSchema = z.strictObject({
  batchId: z.string().min(1),
  markerId: z.string().min(1),
  exportSeq: z.number().int().positive(),
  operation: z.enum(['UPSERT', 'REMOVE']),
  status: MarkerStatusSchema,
  naturalKey: Sha256HexSchema,
  markerType: MarkerTypeSchema,
  subjectType: MarkerSubjectTypeSchema,
  subjectRef: PseudonymousRefSchema,
  exploitationTypes: z.array(ExploitationTypeSchema),
  sourceOrg: OrgCodeSchema,
  sourceSystem: SourceSystemSchema,
  sourceRecordRef: SourceRecordRefSchema,
  sourceBusinessArea: BusinessAreaSchema.optional(),
  crimeRef: SourceRecordRefSchema.optional(),
  hoOffenceCode: z.string().optional(),
  mopiGroup: MopiGroupSchema,
  reviewDueOn: IsoDateSchema,
  classification: ClassificationSchema,
  intelGrading: IntelGradingSchema.optional(),
  asAt: IsoTimestampSchema,
  period: IsoMonthSchema,
  createdOn: IsoDateSchema,
  /** The marker's reference at PND, once PND has acknowledged it before. */
  pndRef: z.string().optional(),
});
export type PndBatchLine = z.infer<typeof PndBatchLineSchema>;

/** The manifest written after a batch's JSON Lines: what PND's loader checks before it reads the batch. */
export const PndManifestSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  batchId: z.string().min(1),
  createdAt: IsoTimestampSchema,
  /** Key of the JSON Lines object in the bucket. */
  markersKey: z.string().min(1),
  lines: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256HexSchema,
  counts: z.strictObject({
    upsert: z.number().int().nonnegative(),
    remove: z.number().int().nonnegative(),
    byMarkerType: z.record(z.string(), z.number().int().nonnegative()),
    bySourceOrg: z.record(z.string(), z.number().int().nonnegative()),
  }),
});
export type PndManifest = z.infer<typeof PndManifestSchema>;

/** PND's answer for one marker of a batch. `retryable`: a temporary failure, send it again. */
export const PndAckResultSchema = z.strictObject({
  markerId: z.string().min(1),
  exportSeq: z.number().int().positive(),
  outcome: z.enum(['ACKED', 'REJECTED']),
  pndRef: z.string().min(1).max(64).optional(),
  reason: z.string().min(1).max(500).optional(),
  retryable: z.boolean().optional(),
});
export type PndAckResult = z.infer<typeof PndAckResultSchema>;

/** PND's response file for one batch (JSON). */
export const PndAckFileSchema = z.strictObject({
  batchId: z.string().min(1),
  /** sha256 of the batch's JSON Lines, as in its manifest: proves the answer is for that batch. */
  sha256: Sha256HexSchema.optional(),
  results: z.array(PndAckResultSchema),
});
export type PndAckFile = z.infer<typeof PndAckFileSchema>;
