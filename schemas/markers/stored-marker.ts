import { z } from 'zod';
import { MarkerDraftSchema, MarkerLifecycleSchema, MarkerStatusSchema } from '../canonical/marker.ts';
import { IsoDateSchema, IsoTimestampSchema } from '../common/dates.ts';
import { KeyedDigestSchema } from '../common/pseudonym.ts';
import { PndSyncStateSchema } from '../pnd/sync-state.ts';

/** A record version, `asAt#hash`: the as-at time (UTC ISO) and sha256 of its markers; compares as text. */
const VersionSchema = z.string().min(1).max(200);

/** How many states of one marker may wait for the sequencer (DynamoDB items are at most 400 KB). */
export const MAX_UNLOGGED = 100;

/**
 * A marker as the markers table holds it: its ordered state, what it shows, and its PND bookkeeping
 * (the one definition; the feed change, the PND batch line and the published marker are projections
 * of it). In the table the draft's fields sit at the top level of the item, beside the others
 * (functions/shared/markers/marker-item.ts).
 */
export const StoredMarkerSchema = z.strictObject({
  naturalKey: KeyedDigestSchema,
  /** `keyedDigest(key, 'record', sourceOrg|sourceSystem|sourceRecordRef)`: the source record's head. */
  recordKey: KeyedDigestSchema,
  /** The record version that set `lifecycle`. */
  version: VersionSchema,
  lifecycle: MarkerLifecycleSchema,
  /** The latest record version that derived the marker; `draft` is what it derived. */
  contentVersion: VersionSchema,
  draft: MarkerDraftSchema,
  /** Stable id (UUID-shaped), derived from the natural key. */
  markerId: z.string().min(1).max(64),
  /** What the marker shows: its lifecycle, or EXPIRED once past review under time-based disposal. */
  status: MarkerStatusSchema,
  reviewDueOn: IsoDateSchema,
  createdOn: IsoDateSchema,
  /** When this state was committed. */
  updatedAt: IsoTimestampSchema,
  /**
   * The state's revision: 1 for a marker's first state, one more for each committed state after it.
   * Conditional writes and PND (`exportSeq`) name a state by it. (Historical name: it is no longer the
   * state's position in the feed log, which the sequencer assigns later; docs/feed.md.)
   */
  feedSeq: z.number().int().positive(),
  /** The highest `feedSeq` of this marker whose change is in the feed log (the sequencer moves it). */
  loggedFeedSeq: z.number().int().nonnegative(),
  /**
   * The changes of earlier states not yet in the feed log (committed while the sequencer was behind),
   * oldest first; each is the JSON of its change. The current state's change is derived from the item.
   */
  unlogged: z
    .array(z.strictObject({ feedSeq: z.number().int().positive(), change: z.string().min(2) }))
    .max(MAX_UNLOGGED)
    .optional(),
  pndSyncState: PndSyncStateSchema,
  /** PND exports of this state so far. */
  pndAttempts: z.number().int().nonnegative(),
  /** The PND batch this state was last sent in. */
  pndBatchId: z.string().min(1).optional(),
  pndLastAttemptAt: IsoTimestampSchema.optional(),
  /** The marker's reference at PND, once PND has acknowledged it. */
  pndRef: z.string().min(1).max(64).optional(),
  /** Why PND rejected the state (or will be sent it again). */
  pndReason: z.string().min(1).max(500).optional(),
});
export type StoredMarker = z.infer<typeof StoredMarkerSchema>;
