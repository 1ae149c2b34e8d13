import { z } from 'zod';
import { StoredMarkerSchema } from '../markers/stored-marker.ts';

const { draft, feedSeq, pndBatchId } = StoredMarkerSchema.shape;

/**
 * One line of a PND batch (JSON Lines): a stored marker to create or update at PND (`UPSERT`, status
 * ACTIVE) or to remove (`REMOVE`: withdrawn, superseded or expired). `exportSeq` (the marker's
 * `feedSeq`) identifies the exported state; PND echoes it, with `markerId`, in its acknowledgement.
 * PND gets the source record reference so it can link back; never names or personal identifiers.
 * `pndRef`: the marker's reference at PND, once PND has acknowledged it before.
 */
export const PndBatchLineSchema = draft
  .pick({
    markerType: true,
    subjectType: true,
    subjectRef: true,
    exploitationTypes: true,
    sourceOrg: true,
    sourceSystem: true,
    sourceRecordRef: true,
    sourceBusinessArea: true,
    crimeRef: true,
    hoOffenceCode: true,
    mopiGroup: true,
    classification: true,
    intelGrading: true,
    asAt: true,
    period: true,
  })
  .extend({
    batchId: pndBatchId.unwrap(),
    exportSeq: feedSeq,
    operation: z.enum(['UPSERT', 'REMOVE']),
    ...StoredMarkerSchema.pick({
      markerId: true,
      status: true,
      naturalKey: true,
      reviewDueOn: true,
      createdOn: true,
      pndRef: true,
    }).shape,
  });
export type PndBatchLine = z.infer<typeof PndBatchLineSchema>;
