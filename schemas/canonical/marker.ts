import { z } from 'zod';
import { BusinessAreaSchema } from '../common/business-area.ts';
import { ClassificationSchema } from '../common/classification.ts';
import { IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
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
import { KeyedDigestSchema, PseudonymousRefSchema } from '../common/pseudonym.ts';
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

/** A marker's lifecycle as its source records say it; EXPIRED is a review overlay (MoPI retention). */
export const MarkerLifecycleSchema = MarkerStatusSchema.exclude(['EXPIRED']);
export type MarkerLifecycle = z.infer<typeof MarkerLifecycleSchema>;

/** The content fields of a marker, derived from one canonical record (no names, no personal identifiers). */
export const MARKER_CONTENT_SHAPE = {
  schemaVersion: z.literal(1),
  /** `keyedDigest(key, 'marker', sourceOrg|sourceSystem|sourceRecordRef|markerType)`: stable across resubmissions. */
  naturalKey: KeyedDigestSchema,
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

/**
 * A marker as derived from one canonical record (functions/indexer/derive-markers.ts): its content, the
 * period, as-at time (orders updates) and provenance of that record. The indexer stores it with an id,
 * status, review date and PND sync state (schemas/markers/stored-marker.ts); `contentHash` (over the
 * content fields) lets it skip a resubmitted but unchanged record.
 */
export const MarkerDraftSchema = z.strictObject({
  ...MARKER_CONTENT_SHAPE,
  period: IsoMonthSchema,
  /** As-at time of the record the marker was derived from; orders updates. */
  asAt: IsoTimestampSchema,
  provenance: ProvenanceSchema,
  contentHash: Sha256HexSchema,
});
export type MarkerDraft = z.infer<typeof MarkerDraftSchema>;
