import { MAX_UNLOGGED, type MarkerDraft, type PndSyncState, type StoredMarker } from '../../schemas/index.ts';
import { changeOf } from '../feed/change.ts';
import { sha256Hex } from '../shared/canonical-json.ts';
import { MshtError } from '../shared/errors.ts';
import type { CommitOutcome, IndexStore, ReadCheck, RecordWrite } from './marker-store.ts';
import {
  keysToRead,
  type MarkerState,
  planRecordUpdate,
  type RecordHead,
  type RecordUpdate,
} from './ordering.ts';
import { effectiveStatus, type RetentionRules, reviewDueOn } from './retention.ts';

/** What committing needs: the markers table, a clock and the retention rules (the sequencer logs changes). */
export type CommitDeps = {
  readonly store: IndexStore;
  readonly now: () => string;
  readonly rules: RetentionRules;
};

/** A stable marker id (UUID-shaped) derived from the natural key, so resubmissions keep their id. */
export const markerIdFor = (naturalKey: string): string => {
  const h = sha256Hex(`marker:${naturalKey}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Markers graded 3x5x2 with handling code C are held for review and never sent to PND automatically. */
export const isHeldForReview = (draft: MarkerDraft): boolean =>
  draft.intelGrading?.scheme === '3x5x2' && draft.intelGrading.handling === 'C';

/** A marker changed more often than the sequencer kept up with: the message is retried later. */
export class FeedBacklogError extends MshtError {
  constructor(message: string) {
    super('FEED_BACKLOG', message);
  }
}

/**
 * The changes of `before`'s states that the feed log does not hold yet, oldest first: the item keeps
 * them when it moves on, so a committed state's change can never be lost (docs/feed.md).
 */
const carriedUnlogged = (before: StoredMarker | undefined): NonNullable<StoredMarker['unlogged']> => {
  if (!before) return [];
  const older = (before.unlogged ?? []).filter((u) => u.feedSeq > before.loggedFeedSeq);
  const current =
    before.feedSeq > before.loggedFeedSeq
      ? [{ feedSeq: before.feedSeq, change: JSON.stringify(changeOf(before)) }]
      : [];
  const all = [...older, ...current];
  if (all.length > MAX_UNLOGGED)
    throw new FeedBacklogError(`Marker ${before.naturalKey.slice(0, 12)}… has ${all.length} unlogged states`);
  return all;
};

/**
 * The item to store for a new marker state: review date and status from the retention rules, the next
 * revision (`feedSeq`), the changes of earlier states still waiting for the sequencer, and a fresh PND
 * sync (PENDING, or HELD for handling code C) when PND would see a change. Its own change is derived
 * from the item by the sequencer.
 */
export const materialise = (
  state: MarkerState,
  before: StoredMarker | undefined,
  now: string,
  rules: RetentionRules,
): StoredMarker => {
  const dueOn = reviewDueOn(state.draft.asAt, state.draft.mopiGroup, rules);
  const status = effectiveStatus(state.lifecycle, dueOn, state.draft.mopiGroup, rules, now.slice(0, 10));
  // Only a change PND can see (content, status, review date) starts its sync again.
  const samePnd =
    before !== undefined &&
    before.draft.contentHash === state.draft.contentHash &&
    before.status === status &&
    before.reviewDueOn === dueOn;
  const pnd = samePnd
    ? {
        pndSyncState: before.pndSyncState,
        pndAttempts: before.pndAttempts,
        ...(before.pndBatchId ? { pndBatchId: before.pndBatchId } : {}),
        ...(before.pndLastAttemptAt ? { pndLastAttemptAt: before.pndLastAttemptAt } : {}),
        ...(before.pndReason ? { pndReason: before.pndReason } : {}),
      }
    : {
        pndSyncState: (isHeldForReview(state.draft) ? 'HELD' : 'PENDING') as PndSyncState,
        pndAttempts: 0,
      };
  const unlogged = carriedUnlogged(before);
  return {
    ...state,
    markerId: before?.markerId ?? markerIdFor(state.naturalKey),
    status,
    reviewDueOn: dueOn,
    createdOn: before?.createdOn ?? now.slice(0, 10),
    updatedAt: now,
    feedSeq: (before?.feedSeq ?? 0) + 1,
    loggedFeedSeq: before?.loggedFeedSeq ?? 0,
    ...(unlogged.length > 0 ? { unlogged } : {}),
    ...pnd,
    ...(before?.pndRef ? { pndRef: before.pndRef } : {}),
  };
};

/**
 * Writes one marker state, conditional on `observed` (the state it was planned against) still being
 * stored, with its revision and log bookkeeping: one write that carries the state's change with it,
 * so there is nothing to lose between writes. False when another writer (or the sequencer) changed
 * the marker first; the caller plans again.
 */
export const writeMarkerState = async (
  deps: CommitDeps,
  state: MarkerState,
  observed: StoredMarker | undefined,
): Promise<boolean> => deps.store.putMarker(materialise(state, observed, deps.now(), deps.rules), observed);

/** A record's head and the markers a plan for an update needs (absent ones missing from the map). */
export type RecordState = {
  readonly head: RecordHead | undefined;
  readonly markers: Map<string, StoredMarker>;
};

/** Reads a record's head, then the markers of the update and of every version the head has seen. */
export const readRecordState = async (store: IndexStore, update: RecordUpdate): Promise<RecordState> => {
  const head = await store.getHead(update.recordKey);
  return { head, markers: await store.getMarkers(keysToRead(update, head)) };
};

/**
 * Reads the state of many records at once: their heads in one batched read, then all their markers in
 * another, as the first round of `indexRecordUpdate` needs them. Unchanged records then cost no more.
 */
export const readRecordStates = async (
  store: IndexStore,
  updates: readonly RecordUpdate[],
): Promise<Map<string, RecordState>> => {
  const heads = await store.getHeads(updates.map((u) => u.recordKey));
  const markers = await store.getMarkers(updates.flatMap((u) => keysToRead(u, heads.get(u.recordKey))));
  return new Map(
    updates.map((u) => {
      const head = heads.get(u.recordKey);
      const mine = new Map(
        keysToRead(u, head).flatMap((k) =>
          markers.has(k) ? [[k, markers.get(k) as StoredMarker] as const] : [],
        ),
      );
      return [u.recordKey, { head, markers: mine }] as const;
    }),
  );
};

/** What indexing one record update did: markers written, head written, retries after lost races. */
export type RecordOutcome = {
  readonly markersWritten: number;
  readonly headWritten: boolean;
  readonly retries: number;
};

const MAX_ROUNDS = 50;

/** What one round of writing did: nothing to do (`done`), or how much it wrote. */
export type RoundOutcome = {
  readonly done: boolean;
  readonly markersWritten: number;
  readonly headWritten: boolean;
};

/**
 * Plans one round for one record update against the state read: each changed marker's new state
 * (conditional on the revision it read), the head (conditional on the `rev` it read), and a check of
 * every other item it read (a marker's revision, the head's `rev`), or nothing (undefined) when the index
 * already agrees with the update. A commit that holds therefore leaves the record exactly as planned.
 */
export const planRound = (
  deps: CommitDeps,
  update: RecordUpdate,
  state: RecordState,
): RecordWrite | undefined => {
  const { head, markers: stored } = state;
  const plan = planRecordUpdate(update, head, stored);
  if (plan.markers.length === 0 && !plan.head) return undefined;
  const now = deps.now();
  const changed = new Set(plan.markers.map(({ after }) => after.naturalKey));
  const checks: ReadCheck[] = [
    ...keysToRead(update, head)
      .filter((key) => !changed.has(key))
      .map((key): ReadCheck => ({ kind: 'marker', naturalKey: key, feedSeq: stored.get(key)?.feedSeq })),
    ...(plan.head ? [] : [{ kind: 'head', recordKey: update.recordKey, rev: head?.rev } as const]),
  ];
  return {
    markers: plan.markers.map(({ after }) => {
      const observed = stored.get(after.naturalKey);
      return { item: materialise(after, observed, now, deps.rules), observed };
    }),
    ...(plan.head ? { head: { head: plan.head, expectedRev: head?.rev } } : {}),
    ...(checks.length > 0 ? { checks } : {}),
  };
};

/**
 * What a round's write did, once the store said what became of it. `done` when there was nothing to
 * write, or when the write was confirmed: made in one transaction with every item the plan read still
 * as read, so the record is exactly as planned, and planning is a join (a fresh plan against what was
 * just written is empty: test/property/index-order.test.ts), so no read is needed to confirm it.
 */
export const roundOutcome = (write: RecordWrite | undefined, outcome: CommitOutcome): RoundOutcome =>
  write === undefined
    ? { done: true, markersWritten: 0, headWritten: false }
    : {
        done: outcome === 'confirmed',
        markersWritten: outcome === 'lost' ? 0 : write.markers.length,
        headWritten: outcome !== 'lost' && write.head !== undefined,
      };

/**
 * One round for one record update: plans against the state read and writes the record's changed
 * markers and head together, or none of them if another writer got in first. `done` when the plan was
 * empty or its commit confirmed; otherwise the caller reads again and runs another round.
 */
export const applyRound = async (
  deps: CommitDeps,
  update: RecordUpdate,
  state: RecordState,
): Promise<RoundOutcome> => {
  const write = planRound(deps, update, state);
  if (!write) return roundOutcome(undefined, 'lost');
  const [outcome] = await deps.store.commit([write]);
  return roundOutcome(write, outcome ?? 'lost');
};

/**
 * Applies one record update to the index: rounds of read, plan and conditional writes until a fresh
 * read plans nothing or a write is confirmed (every item the plan read still as read when it was made).
 * A writer therefore finishes only after it has seen the index agree with its update, which is what
 * makes concurrent writers converge (docs/pnd-sync.md, "Concurrency"). An update that changes nothing
 * costs one round of reads and no write; a new record one read and one transaction.
 */
export const indexRecordUpdate = async (
  deps: CommitDeps,
  update: RecordUpdate,
  prefetched?: RecordState,
): Promise<RecordOutcome> => {
  let markersWritten = 0;
  let headWritten = false;
  let state = prefetched;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const outcome = await applyRound(deps, update, state ?? (await readRecordState(deps.store, update)));
    state = undefined;
    markersWritten += outcome.markersWritten;
    headWritten ||= outcome.headWritten;
    // Rounds before the last were lost races, and so was the one before an empty plan.
    if (outcome.done)
      return {
        markersWritten,
        headWritten,
        retries: outcome.markersWritten > 0 || outcome.headWritten ? round : Math.max(0, round - 1),
      };
  }
  throw new Error(`Record ${update.recordKey.slice(0, 12)}… kept losing races after ${MAX_ROUNDS} rounds`);
};
