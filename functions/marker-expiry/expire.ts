import type { StoredMarker } from '../../schemas/index.ts';
import { type CommitDeps, writeMarkerState } from '../indexer/commit.ts';
import type { MarkerState } from '../indexer/ordering.ts';
import { effectiveStatus, reviewDueOn } from '../indexer/retention.ts';

/** What one expiry pass did. */
export type ExpiryResult = {
  /** Markers the scan offered (ACTIVE and past their review date). */
  readonly examined: number;
  /** Markers written as EXPIRED, each carrying its change for the feed sequencer. */
  readonly expired: number;
  /** Writes lost to a concurrent writer and planned again. */
  readonly retries: number;
};

const MAX_ATTEMPTS = 10;

/** The ordered state of a stored marker, without what it shows or its PND bookkeeping. */
const stateOf = (m: StoredMarker): MarkerState => ({
  naturalKey: m.naturalKey,
  recordKey: m.recordKey,
  version: m.version,
  lifecycle: m.lifecycle,
  contentVersion: m.contentVersion,
  draft: m.draft,
});

/** Whether the retention rules make a stored ACTIVE marker EXPIRED on `today` (as `materialise` will judge it). */
const isExpiring = (m: StoredMarker, deps: Pick<CommitDeps, 'rules'>, today: string): boolean => {
  const dueOn = reviewDueOn(m.draft.asAt, m.draft.mopiGroup, deps.rules);
  return (
    m.status === 'ACTIVE' &&
    effectiveStatus(m.lifecycle, dueOn, m.draft.mopiGroup, deps.rules, today) === 'EXPIRED'
  );
};

/**
 * Writes one marker as EXPIRED (its change goes to the feed through the sequencer), conditional on the
 * state it read,
 * with the indexer's own `writeMarkerState`: the status comes from the same `materialise`, so PND
 * sync starts again (a REMOVE line at the next export). A lost race re-reads the
 * marker and decides again: a newer version written meanwhile has had its status judged by its writer.
 */
const expireOne = async (deps: CommitDeps, first: StoredMarker, today: string): Promise<number | null> => {
  let marker: StoredMarker | undefined = first;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!marker || !isExpiring(marker, deps, today)) return null;
    if (await writeMarkerState(deps, stateOf(marker), marker)) return attempt;
    marker = (await deps.store.getMarkers([first.naturalKey])).get(first.naturalKey);
  }
  throw new Error(
    `Marker ${first.naturalKey.slice(0, 12)}… kept losing races after ${MAX_ATTEMPTS} attempts`,
  );
};

/**
 * The expiry pass: every ACTIVE marker whose MoPI group's rule is time-based disposal and whose review
 * date has come (`today`, YYYY-MM-DD) is written as EXPIRED, carrying its feed change. The indexer judges
 * status only when it writes a marker; this pass catches the markers no new version reaches. Running
 * it again, or alongside the indexer, changes nothing more.
 */
export const expireDueMarkers = async (
  deps: CommitDeps,
  candidates: AsyncIterable<StoredMarker>,
  today: string,
): Promise<ExpiryResult> => {
  let examined = 0;
  let expired = 0;
  let retries = 0;
  for await (const marker of candidates) {
    examined++;
    const attempts = await expireOne(deps, marker, today);
    if (attempts !== null) {
      expired++;
      retries += attempts;
    }
  }
  return { examined, expired, retries };
};
