import { z } from 'zod';
import { StoredMarkerSchema } from './stored-marker.ts';

const { draft, pndSyncState, pndLastAttemptAt, pndRef } = StoredMarkerSchema.shape;

/**
 * The PND-ready MSHT marker as published (schemas/json/msht-marker.schema.json, domain §8.5): a view
 * of the stored marker with its content at the top level and its PND sync as one object. Ordering and
 * PND bookkeeping (record key, versions, content hash, feed position, attempts, batch) are left out.
 */
export const MshtMarkerSchema = StoredMarkerSchema.pick({ markerId: true })
  .extend(draft.omit({ contentHash: true }).shape)
  .extend({
    ...StoredMarkerSchema.pick({ createdOn: true, reviewDueOn: true, status: true }).shape,
    pndSync: z.strictObject({ state: pndSyncState, lastAttemptAt: pndLastAttemptAt, pndRef }),
  });
export type MshtMarker = z.infer<typeof MshtMarkerSchema>;
