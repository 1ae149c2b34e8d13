import { z } from 'zod';
import { IsoTimestampSchema } from '../common/dates.ts';
import { Sha256HexSchema } from '../common/provenance.ts';
import { SCHEMA_VERSION } from '../version.ts';
import { PndBatchLineSchema } from './batch-line.ts';

const CountSchema = z.number().int().nonnegative();

/** The manifest written after a batch's JSON Lines: what PND's loader checks before it reads the batch. */
export const PndManifestSchema = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  batchId: PndBatchLineSchema.shape.batchId,
  createdAt: IsoTimestampSchema,
  /** Key of the JSON Lines object in the bucket. */
  markersKey: z.string().min(1),
  lines: CountSchema,
  bytes: CountSchema,
  sha256: Sha256HexSchema,
  counts: z.strictObject({
    upsert: CountSchema,
    remove: CountSchema,
    byMarkerType: z.record(z.string(), CountSchema),
    bySourceOrg: z.record(z.string(), CountSchema),
  }),
});
export type PndManifest = z.infer<typeof PndManifestSchema>;
