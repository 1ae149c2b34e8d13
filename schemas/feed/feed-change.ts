import { z } from 'zod';
import { ClassificationSchema } from '../common/classification.ts';
import { HandlingCodeSchema } from '../common/intel-grading.ts';
import { StoredMarkerSchema } from '../markers/stored-marker.ts';

const { draft } = StoredMarkerSchema.shape;

/**
 * One committed change of the marker index, as the feed delivers it (pull: `msht feed`, push: the feed
 * queue): a projection of the stored marker. `seq` orders all changes; a consumer resumes after the
 * last `seq` it processed. Payloads are pseudonymous: `subjectRef` and `naturalKey` are one-way hashes;
 * no names, personal identifiers, source record or crime references, and no free text (handling
 * conditions) are carried.
 */
export const FeedChangeSchema = z.strictObject({
  schemaVersion: draft.shape.schemaVersion,
  /** Position in the change log, assigned by the sequencer: 1, 2, 3, … (voided positions are skipped). */
  seq: StoredMarkerSchema.shape.feedSeq,
  /** When the change was committed to the index (the writer's clock: the marker's `updatedAt`). */
  committedAt: StoredMarkerSchema.shape.updatedAt,
  /** Stable identity (`naturalKey`: sha256 of source organisation, system, record reference, marker type),
   * and the ordering version of the marker's status (`asAt#hash`; later versions sort later as text). */
  ...StoredMarkerSchema.pick({ naturalKey: true, markerId: true, version: true, status: true }).shape,
  ...draft.pick({
    markerType: true,
    subjectType: true,
    subjectRef: true,
    exploitationTypes: true,
    sourceOrg: true,
    sourceBusinessArea: true,
    mopiGroup: true,
  }).shape,
  ...StoredMarkerSchema.pick({ reviewDueOn: true }).shape,
  /** As-at time and extract period of the record the marker's content came from. */
  ...draft.pick({ asAt: true, period: true }).shape,
  classification: ClassificationSchema.pick({ tier: true, sensitive: true }),
  /** 3x5x2 handling code of intelligence-derived markers (C: conditions apply; see the source force). */
  handlingCode: HandlingCodeSchema.optional(),
});
export type FeedChange = z.infer<typeof FeedChangeSchema>;
