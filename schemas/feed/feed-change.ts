import { z } from 'zod';
import { PseudonymousRefSchema } from '../canonical/envelope.ts';
import { MarkerStatusSchema, MarkerSubjectTypeSchema, MarkerTypeSchema } from '../canonical/marker.ts';
import { BusinessAreaSchema } from '../common/business-area.ts';
import { ClassificationTierSchema } from '../common/classification.ts';
import { IsoDateSchema, IsoMonthSchema, IsoTimestampSchema } from '../common/dates.ts';
import { ExploitationTypeSchema } from '../common/exploitation.ts';
import { HandlingCodeSchema } from '../common/intel-grading.ts';
import { MopiGroupSchema } from '../common/mopi.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { Sha256HexSchema } from '../common/provenance.ts';

/** A feed cursor: the `seq` of the last change a consumer has processed; `0` reads from the start. */
export const FeedCursorSchema = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'expected a feed cursor (a whole number)');
export type FeedCursor = z.infer<typeof FeedCursorSchema>;

/**
 * One committed change of the marker index, as the feed delivers it (pull: `msht feed`, push: the feed
 * queue). `seq` orders all changes; a consumer resumes after the last `seq` it processed. Payloads are
 * pseudonymous: `subjectRef` and `naturalKey` are one-way hashes; no names, personal identifiers,
 * source record or crime references, and no free text (handling conditions) are carried.
 */
export const FeedChangeSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Position in the change log: 1, 2, 3, … without gaps (voided positions are skipped silently). */
  seq: z.number().int().positive(),
  /** When the change was committed to the index (the writer's clock). */
  committedAt: IsoTimestampSchema,
  /** Stable marker identity: sha256 of source organisation, system, record reference and marker type. */
  naturalKey: Sha256HexSchema,
  markerId: z.string().min(1).max(64),
  /** Ordering version of the marker's status (`asAt#hash`); later versions sort later as text. */
  version: z.string().min(1).max(200),
  status: MarkerStatusSchema,
  markerType: MarkerTypeSchema,
  subjectType: MarkerSubjectTypeSchema,
  subjectRef: PseudonymousRefSchema,
  exploitationTypes: z.array(ExploitationTypeSchema),
  sourceOrg: OrgCodeSchema,
  sourceBusinessArea: BusinessAreaSchema.optional(),
  mopiGroup: MopiGroupSchema,
  reviewDueOn: IsoDateSchema,
  /** As-at time and extract period of the record the marker's content came from. */
  asAt: IsoTimestampSchema,
  period: IsoMonthSchema,
  classification: z.strictObject({ tier: ClassificationTierSchema, sensitive: z.boolean() }),
  /** 3x5x2 handling code of intelligence-derived markers (C: conditions apply; see the source force). */
  handlingCode: HandlingCodeSchema.optional(),
});
export type FeedChange = z.infer<typeof FeedChangeSchema>;
