import {
  type CanonicalRecord,
  keyedDigest,
  type MarkerDraft,
  type MarkerLifecycle,
  type PseudonymKey,
  type StoredMarker,
} from '../../schemas/index.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { deriveMarkers } from './derive-markers.ts';

/**
 * The pure decision core of the indexer. Everything here is data in, data out: the store adapters
 * (marker-store.ts) read the current state, call `planRecordUpdate`, and write what it returns with
 * single-item conditional writes.
 *
 * Order. Every record update has a version `asAt#digest`: its as-at time (UTC, millisecond ISO) and
 * then the keyed digest of everything it says about its markers (keyed, because the feed publishes
 * versions and the markers' content holds source record references). Versions compare as text. The state of the
 * index is the join (maximum) of the updates delivered so far, so it does not depend on the order or
 * the number of deliveries; see docs/pnd-sync.md, "Ordering".
 */

/** What one version of a source record says about its markers. */
export type RecordUpdate = {
  /** `keyedDigest(key, 'record', sourceOrg|sourceSystem|sourceRecordRef)`: one record head per source record. */
  readonly recordKey: string;
  readonly version: string;
  readonly withdrawn: boolean;
  /** The markers this version derives, by natural key. */
  readonly drafts: ReadonlyMap<string, MarkerDraft>;
};

/**
 * The latest version of a source record seen so far and the markers it derives, plus every marker any
 * version has derived (`allMarkerKeys`), so each plan covers every marker of the record. `rev` counts
 * head writes: the head is written only if it is still at the `rev` that was read.
 */
export type RecordHead = {
  readonly recordKey: string;
  readonly version: string;
  readonly withdrawn: boolean;
  readonly markerKeys: readonly string[];
  readonly allMarkerKeys: readonly string[];
  readonly rev: number;
};

/**
 * The ordered part of a marker's state. `lifecycle` is the verdict of the latest version of its
 * source record (`version`: the record version that set it); `contentVersion`/`draft` come from the
 * latest version that derived the marker (a superseded or withdrawn marker keeps the content it last had).
 */
export type MarkerState = Readonly<
  Pick<StoredMarker, 'naturalKey' | 'recordKey' | 'version' | 'lifecycle' | 'contentVersion' | 'draft'>
>;

/** The keyed digest of `sourceOrg|sourceSystem|sourceRecordRef`. */
export const recordKeyOf = (
  key: PseudonymKey,
  sourceOrg: string,
  sourceSystem: string,
  sourceRecordRef: string,
): string => keyedDigest(key, 'record', `${sourceOrg}|${sourceSystem}|${sourceRecordRef}`);

/** An as-at time as fixed-width UTC ISO text, so versions order correctly as text. */
export const normaliseAsAt = (asAt: string): string => {
  const date = new Date(asAt);
  if (Number.isNaN(date.getTime())) throw new RangeError('asAt is not a valid timestamp');
  return date.toISOString();
};

/**
 * Whether a record withdraws its markers. The extract's `record_status` column (canonical
 * `recordStatus`, ACTIVE by default) says WITHDRAWN when the source record was deleted under MoPI.
 */
export const isWithdrawn = (record: CanonicalRecord): boolean =>
  'recordStatus' in record && (record as { recordStatus?: unknown }).recordStatus === 'WITHDRAWN';

/**
 * The update a canonical record makes, or undefined for a record type that never derives markers
 * (operations). Its version digests the withdrawal flag and each marker's natural key and content hash,
 * so two deliveries of the same record are the same update and cost nothing.
 */
export const recordUpdateOf = (record: CanonicalRecord, key: PseudonymKey): RecordUpdate | undefined => {
  if (record.recordType === 'operation') return undefined;
  const drafts = new Map(deriveMarkers(record, key).map((d) => [d.naturalKey, d] as const));
  const withdrawn = isWithdrawn(record);
  const body = canonicalJson({
    withdrawn,
    markers: [...drafts.values()].map((d) => [d.naturalKey, d.contentHash]).sort(),
  });
  return {
    recordKey: recordKeyOf(key, record.sourceOrg, record.sourceSystem, record.sourceRecordRef),
    version: `${normaliseAsAt(record.asAt)}#${keyedDigest(key, 'version', body)}`,
    withdrawn,
    drafts,
  };
};

/** The lifecycle a record version gives one of its record's markers. */
const verdict = (
  head: { withdrawn: boolean; markerKeys: readonly string[] },
  key: string,
): MarkerLifecycle =>
  head.markerKeys.includes(key) ? (head.withdrawn ? 'WITHDRAWN' : 'ACTIVE') : 'SUPERSEDED';

/** Whether two states are the same for ordering purposes (not PND or feed bookkeeping). */
export const sameMarkerState = (a: MarkerState | undefined, b: MarkerState | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.version === b.version &&
    a.lifecycle === b.lifecycle &&
    a.contentVersion === b.contentVersion);

/** What to write for one update: changed markers (in natural key order) and the new head, if any. */
export type RecordPlan = {
  readonly markers: readonly { readonly before: MarkerState | undefined; readonly after: MarkerState }[];
  readonly head?: RecordHead;
};

/**
 * Plans one record update against the stored head and markers (every key of `keysToRead` must be in
 * `markers`, undefined when absent). The new head is the later of the two versions;
 * each marker of either takes the new head's verdict (ACTIVE or WITHDRAWN if it derives the marker,
 * SUPERSEDED if not) and the content of the update if the update is later than the content it holds.
 * Both are maxima, so the result does not depend on delivery order or duplicates, and an update that
 * changes neither writes nothing.
 */
export const planRecordUpdate = (
  update: RecordUpdate,
  head: RecordHead | undefined,
  markers: ReadonlyMap<string, MarkerState | undefined>,
): RecordPlan => {
  const updateKeys = [...update.drafts.keys()].sort();
  const allMarkerKeys = [...new Set([...(head?.allMarkerKeys ?? []), ...updateKeys])].sort();
  const newer = !head || update.version > head.version;
  const grows = allMarkerKeys.length > (head?.allMarkerKeys.length ?? 0);
  const newHead: RecordHead | undefined =
    newer || grows
      ? {
          recordKey: update.recordKey,
          ...(newer
            ? { version: update.version, withdrawn: update.withdrawn, markerKeys: updateKeys }
            : {
                version: (head as RecordHead).version,
                withdrawn: (head as RecordHead).withdrawn,
                markerKeys: (head as RecordHead).markerKeys,
              }),
          allMarkerKeys,
          rev: (head?.rev ?? 0) + 1,
        }
      : undefined;
  const latest = newHead ?? (head as RecordHead);
  const changed: { before: MarkerState | undefined; after: MarkerState }[] = [];
  for (const key of keysToRead(update, head)) {
    const before = markers.get(key);
    const draft = update.drafts.get(key);
    const lifecycle = verdict(latest, key);
    let after: MarkerState | undefined;
    if (!before) {
      if (draft)
        after = {
          naturalKey: key,
          recordKey: update.recordKey,
          version: latest.version,
          lifecycle,
          contentVersion: update.version,
          draft,
        };
    } else {
      const content =
        draft && update.version > before.contentVersion ? { contentVersion: update.version, draft } : {};
      const status = lifecycle !== before.lifecycle ? { lifecycle, version: latest.version } : {};
      after = { ...before, ...content, ...status };
    }
    if (after && !sameMarkerState(before, after)) changed.push({ before, after });
  }
  return { markers: changed, ...(newHead ? { head: newHead } : {}) };
};

/** The keys of the markers a plan needs to read for an update and its stored head. */
export const keysToRead = (update: RecordUpdate, head: RecordHead | undefined): string[] =>
  [...new Set([...update.drafts.keys(), ...(head?.allMarkerKeys ?? [])])].sort();

/** An in-memory index: applies updates one at a time with `planRecordUpdate` (the reference model). */
export type MemoryIndex = { heads: Map<string, RecordHead>; markers: Map<string, MarkerState> };

/** Applies one update to an in-memory index; returns how many items it wrote. */
export const applyToMemoryIndex = (index: MemoryIndex, update: RecordUpdate): number => {
  const head = index.heads.get(update.recordKey);
  const plan = planRecordUpdate(
    update,
    head,
    new Map(keysToRead(update, head).map((k) => [k, index.markers.get(k)])),
  );
  for (const m of plan.markers) index.markers.set(m.after.naturalKey, m.after);
  if (plan.head) index.heads.set(plan.head.recordKey, plan.head);
  return plan.markers.length + (plan.head ? 1 : 0);
};
