import { z } from 'zod';
import { Sha256HexSchema } from '../common/provenance.ts';
import { StoredMarkerSchema } from '../markers/stored-marker.ts';
import { PndBatchLineSchema } from './batch-line.ts';

/**
 * PND's answer for one line of a batch (`markerId` and `exportSeq` as the line had them; an id no line
 * has counts as unknown). `retryable`: a temporary failure, send it again.
 */
export const PndAckResultSchema = z.strictObject({
  markerId: z.string().min(1),
  exportSeq: PndBatchLineSchema.shape.exportSeq,
  outcome: z.enum(['ACKED', 'REJECTED']),
  pndRef: StoredMarkerSchema.shape.pndRef,
  reason: StoredMarkerSchema.shape.pndReason,
  retryable: z.boolean().optional(),
});
export type PndAckResult = z.infer<typeof PndAckResultSchema>;

/** PND's response file for one batch (JSON). */
export const PndAckFileSchema = z.strictObject({
  batchId: PndBatchLineSchema.shape.batchId,
  /** sha256 of the batch's JSON Lines, as in its manifest: proves the answer is for that batch. */
  sha256: Sha256HexSchema.optional(),
  results: z.array(PndAckResultSchema),
});
export type PndAckFile = z.infer<typeof PndAckFileSchema>;
