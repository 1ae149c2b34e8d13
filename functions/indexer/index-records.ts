import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type CanonicalRecord, CanonicalRecordSchema } from '../../schemas/index.ts';
import type { Ledger } from '../shared/ledger.ts';
import { deriveMarkers } from './derive-markers.ts';
import type { MarkerStore, UpsertOutcome } from './marker-store.ts';

/** The body of a records message, written by ingest (functions/ingest/pack.ts). */
export const RecordsMessageSchema = z.object({
  v: z.literal(1),
  uploadId: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  records: z.array(CanonicalRecordSchema),
});

export type IndexDeps = { readonly markers: MarkerStore; readonly ledger: Ledger };

export type IndexSummary = { readonly records: number } & Record<UpsertOutcome, number>;

/**
 * The ordering version of a record: its as-at time, then when its upload arrived, then its row. Text
 * comparison of versions orders updates, so a stale update never overwrites a newer one.
 */
export const versionOf = (record: CanonicalRecord): string =>
  `${record.asAt}#${record.provenance.ingestedAt}#${String(record.provenance.rowNumber).padStart(10, '0')}`;

/** A stable marker id (UUID-shaped) derived from the natural key, so resubmissions keep their id. */
export const markerIdFor = (naturalKey: string): string => {
  const h = createHash('sha256').update(`marker:${naturalKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Indexes one records message: derives the markers of every record and upserts them, then counts the
 * message's records as indexed in the upload ledger (once per message, however often it is delivered).
 * Throws on an invalid message or a failed write, so SQS redelivers it and, in the end, dead-letters it.
 */
export const indexRecordsMessage = async (deps: IndexDeps, body: string): Promise<IndexSummary> => {
  const message = RecordsMessageSchema.parse(JSON.parse(body));
  const summary = { records: message.records.length, created: 0, updated: 0, skipped: 0 };
  for (const record of message.records) {
    const version = versionOf(record);
    for (const draft of deriveMarkers(record)) {
      const outcome = await deps.markers.upsert({
        naturalKey: draft.naturalKey,
        markerId: markerIdFor(draft.naturalKey),
        version,
        contentHash: draft.contentHash,
        attributes: { ...draft, status: 'ACTIVE', pndSyncState: 'PENDING' },
      });
      summary[outcome]++;
    }
  }
  await deps.ledger.recordIndexed(message.uploadId, String(message.chunk), message.records.length);
  await deps.ledger.finishIfIndexed(message.uploadId);
  return summary;
};
