import { z } from 'zod';
import { BusinessAreaSchema } from '../common/business-area.ts';
import { ClassificationSchema } from '../common/classification.ts';
import { IsoDateSchema, IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
import { ExploitationTypeSchema } from '../common/exploitation.ts';
import { IntelGradingSchema } from '../common/intel-grading.ts';
import { MopiGroupSchema } from '../common/mopi.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import {
  ProvenanceSchema,
  Sha256HexSchema,
  SourceRecordRefSchema,
  SourceSystemSchema,
} from '../common/provenance.ts';
import { PseudonymousRefSchema } from './envelope.ts';
import { HoOffenceCodeSchema } from './operation.ts';

/** Types of MSHT marker (PND-ready index entry). */
export const MARKER_TYPES = [
  'MSHT_POTENTIAL_VICTIM',
  'MSHT_VICTIM',
  'MSHT_SUSPECT',
  'MSHT_OFFENDER',
  'MSHT_PREMISES',
  'MSHT_VEHICLE',
  'MSHT_COMMS',
  'OIC_FACILITATOR',
  'OIC_ROUTE',
] as const;
export const MarkerTypeSchema = z.enum(MARKER_TYPES);
export type MarkerType = z.infer<typeof MarkerTypeSchema>;

/** POLE entity a marker is attached to. */
export const MarkerSubjectTypeSchema = z.enum(['PERSON', 'OBJECT', 'LOCATION', 'EVENT', 'ORGANISATION']);
export type MarkerSubjectType = z.infer<typeof MarkerSubjectTypeSchema>;

/** Lifecycle of a marker: withdrawn when the source record is deleted, expired after its MoPI review. */
export const MarkerStatusSchema = z.enum(['ACTIVE', 'SUPERSEDED', 'WITHDRAWN', 'EXPIRED']);
export type MarkerStatus = z.infer<typeof MarkerStatusSchema>;

/** Where a marker stands in its synchronisation with PND. */
export const PndSyncStateSchema = z.enum(['PENDING', 'HELD', 'SENT', 'ACKED', 'REJECTED']);
export type PndSyncState = z.infer<typeof PndSyncStateSchema>;

/** The content fields of a marker, derived from one canonical record (no names, no personal identifiers). */
export const MARKER_CONTENT_SHAPE = {
  schemaVersion: z.literal(1),
  /** sha256 hex of `sourceOrg|sourceSystem|sourceRecordRef|markerType`: stable across resubmissions. */
  naturalKey: Sha256HexSchema,
  markerType: MarkerTypeSchema,
  subjectType: MarkerSubjectTypeSchema,
  /** Pseudonymous reference of the marked entity (the record's subjectId, objectId or locationId). */
  subjectRef: PseudonymousRefSchema,
  exploitationTypes: z.array(ExploitationTypeSchema),
  sourceOrg: OrgCodeSchema,
  sourceSystem: SourceSystemSchema,
  sourceRecordRef: SourceRecordRefSchema,
  sourceBusinessArea: BusinessAreaSchema.optional(),
  crimeRef: SourceRecordRefSchema.optional(),
  hoOffenceCode: HoOffenceCodeSchema.optional(),
  mopiGroup: MopiGroupSchema,
  classification: ClassificationSchema,
  intelGrading: IntelGradingSchema.optional(),
} as const;

/** The PND-ready MSHT marker as held in the markers table (domain §8.5). */
export const MshtMarkerSchema = z.strictObject({
  markerId: z.string().min(1).max(64),
  ...MARKER_CONTENT_SHAPE,
  period: IsoMonthSchema,
  /** As-at time of the record the marker was derived from; orders updates. */
  asAt: IsoTimestampSchema,
  createdOn: IsoDateSchema,
  lastReviewedOn: IsoDateSchema.optional(),
  reviewDueOn: IsoDateSchema.optional(),
  status: MarkerStatusSchema,
  pndSync: z.strictObject({
    state: PndSyncStateSchema,
    lastAttemptAt: IsoTimestampSchema.optional(),
    pndRef: z.string().min(1).max(64).optional(),
  }),
  provenance: ProvenanceSchema,
});
export type MshtMarker = z.infer<typeof MshtMarkerSchema>;

/**
 * A marker as derived from a record, before the indexer gives it an id, status, PND sync state and
 * review dates; `contentHash` lets the indexer skip a resubmitted but unchanged record.
 */
export const MarkerDraftSchema = MshtMarkerSchema.omit({
  markerId: true,
  createdOn: true,
  lastReviewedOn: true,
  reviewDueOn: true,
  status: true,
  pndSync: true,
}).extend({ contentHash: Sha256HexSchema });
export type MarkerDraft = z.infer<typeof MarkerDraftSchema>;
