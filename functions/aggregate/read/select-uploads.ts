import type { UploadLedgerEntry } from '../../../schemas/canonical/upload-ledger.ts';
import type { Month } from '../month.ts';

/** The uploads of a month, sorted into what the aggregation counts and what it leaves out (and why). */
export interface UploadSelection {
  /** Completed uploads whose curated records are counted, sorted by key then upload id. */
  readonly counted: readonly UploadLedgerEntry[];
  /** Completed uploads replaced by a later completed upload of the same file (same incoming key). */
  readonly superseded: readonly UploadLedgerEntry[];
  readonly failed: readonly UploadLedgerEntry[];
  readonly duplicate: readonly UploadLedgerEntry[];
  /** Received or processing: not counted yet (re-run the month once they finish). */
  readonly inFlight: readonly UploadLedgerEntry[];
}

const COMPLETED = new Set(['QUEUED', 'INDEXED']);
const IN_FLIGHT = new Set(['RECEIVED', 'PROCESSING']);

const byKeyThenId = (a: UploadLedgerEntry, b: UploadLedgerEntry): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0;

/** Later receipt wins; the upload id breaks a tie so the choice never depends on listing order. */
const isLater = (a: UploadLedgerEntry, b: UploadLedgerEntry): boolean =>
  a.receivedAt !== b.receivedAt ? a.receivedAt > b.receivedAt : a.uploadId > b.uploadId;

/**
 * Chooses the uploads that count for a month. Rule: of the completed uploads (QUEUED or INDEXED, so the
 * curated object is whole) of one incoming key `incoming/{org}/{month}/{file}`, the latest received
 * counts and replaces the earlier ones; uploads under different file names all count (an organisation
 * may split a record type over several files), and records repeated across them are resolved record by
 * record (latest `asAt` wins). A failed or duplicate upload never replaces a completed one.
 */
export const selectUploads = (entries: Iterable<UploadLedgerEntry>, month: Month): UploadSelection => {
  const latest = new Map<string, UploadLedgerEntry>();
  const completed: UploadLedgerEntry[] = [];
  const failed: UploadLedgerEntry[] = [];
  const duplicate: UploadLedgerEntry[] = [];
  const inFlight: UploadLedgerEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.period !== month || seen.has(entry.uploadId)) continue;
    seen.add(entry.uploadId);
    if (COMPLETED.has(entry.status) && entry.curatedKey !== undefined) {
      completed.push(entry);
      const current = latest.get(entry.key);
      if (current === undefined || isLater(entry, current)) latest.set(entry.key, entry);
    } else if (entry.status === 'FAILED' || entry.status === 'QUARANTINED') failed.push(entry);
    else if (entry.status === 'DUPLICATE') duplicate.push(entry);
    else if (IN_FLIGHT.has(entry.status)) inFlight.push(entry);
  }
  const counted = [...latest.values()].sort(byKeyThenId);
  const countedIds = new Set(counted.map((entry) => entry.uploadId));
  return {
    counted,
    superseded: completed.filter((entry) => !countedIds.has(entry.uploadId)).sort(byKeyThenId),
    failed: failed.sort(byKeyThenId),
    duplicate: duplicate.sort(byKeyThenId),
    inFlight: inFlight.sort(byKeyThenId),
  };
};
