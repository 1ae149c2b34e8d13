import { type MarkerDraft, type StoredMarker, StoredMarkerSchema } from '../../../schemas/index.ts';
import type { Item } from '../aws/dynamo.ts';

/**
 * Present (as `PENDING`) exactly while a marker has a state whose change is not yet in the feed log
 * (`feedSeq > loggedFeedSeq`): the partition key of the sparse index `byLogPending`, from which the
 * sequencer finds its work (functions/feed/sequence.ts).
 */
export const LOG_PENDING = 'logPending';

/**
 * The top-level attributes of a marker item besides the draft's fields (which sit beside them): the
 * stored marker's own fields, and `itemType`. `naturalKey` is in both (the table's key).
 */
const BOOKKEEPING = new Set([
  'itemType',
  LOG_PENDING,
  ...Object.keys(StoredMarkerSchema.shape).filter(
    (k) => k !== 'draft' && !(k in StoredMarkerSchema.shape.draft.shape),
  ),
]);

/** Flattens a stored marker into a markers-table item: content fields at the top level, as queries expect. */
export const toMarkerItem = (m: StoredMarker): Item => {
  const { draft, ...rest } = m;
  const pending = m.feedSeq > m.loggedFeedSeq ? { [LOG_PENDING]: 'PENDING' } : {};
  return { ...draft, ...rest, itemType: 'MARKER', ...pending };
};

/** Reads a markers-table item back into a stored marker (trusted: the table holds what toMarkerItem wrote). */
export const fromMarkerItem = (item: Item): StoredMarker => {
  const draft: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!BOOKKEEPING.has(k)) draft[k] = v;
  const pick = <K extends keyof StoredMarker>(k: K) => item[k] as StoredMarker[K];
  const optional = (k: keyof StoredMarker) => (item[k] === undefined ? {} : { [k]: item[k] });
  return {
    naturalKey: pick('naturalKey'),
    recordKey: pick('recordKey'),
    version: pick('version'),
    lifecycle: pick('lifecycle'),
    contentVersion: pick('contentVersion'),
    draft: draft as MarkerDraft,
    markerId: pick('markerId'),
    status: pick('status'),
    reviewDueOn: pick('reviewDueOn'),
    createdOn: pick('createdOn'),
    updatedAt: pick('updatedAt'),
    feedSeq: Number(item.feedSeq),
    // Items written before the sequencer existed had their change logged by their writer.
    loggedFeedSeq: Number(item.loggedFeedSeq ?? item.feedSeq),
    ...optional('unlogged'),
    pndSyncState: pick('pndSyncState'),
    pndAttempts: Number(item.pndAttempts ?? 0),
    ...optional('pndBatchId'),
    ...optional('pndLastAttemptAt'),
    ...optional('pndRef'),
    ...optional('pndReason'),
  };
};
