import type { PseudonymKey } from '../../schemas/index.ts';
import type { Ledger } from '../shared/ledger.ts';
import { decodeRecordsMessage } from '../shared/records-codec.ts';
import type { PublishUploadProgress } from '../shared/upload-progress.ts';
import { type PublishUploadStatus, publishIndexed } from '../shared/upload-status.ts';
import {
  type CommitDeps,
  indexRecordUpdate,
  planRound,
  type RecordState,
  readRecordStates,
  roundOutcome,
} from './commit.ts';
import { type RecordUpdate, recordUpdateOf } from './ordering.ts';

export type IndexDeps = CommitDeps & {
  /** The key of natural keys, record keys and versions, read once per execution environment. */
  readonly pseudonymKey: () => Promise<PseudonymKey>;
  readonly ledger: Ledger;
  /** Writes the upload's status object (functions/shared/upload-status.ts) once it is INDEXED. */
  readonly publishStatus: PublishUploadStatus;
  /**
   * Writes how far indexing has got (functions/shared/upload-progress.ts), every PROGRESS_EVERY_CHUNKS
   * messages of an upload; a hint for the organisation, so the handler's writer logs a failure rather
   * than failing the message. Without it no progress is written.
   */
  readonly publishProgress?: PublishUploadProgress;
};

/**
 * Progress is written for the messages whose chunk number is a multiple of this (chunk 0 included): about
 * every 2,000 records of typical subjects, a write and a ledger read each.
 */
export const PROGRESS_EVERY_CHUNKS = 8;

/**
 * Counts one message's records as indexed in the ledger and, when that finishes the upload (the ledger
 * moved QUEUED to INDEXED), writes its INDEXED status object from the entry read back. A message
 * delivered again (counted before) writes it again when the upload is INDEXED: that repairs a crash
 * between the ledger's move and the object write. Every PROGRESS_EVERY_CHUNKS chunks, a message that
 * did not finish the upload writes its progress from the entry read back.
 */
export const countIndexed = async (
  deps: Pick<IndexDeps, 'ledger' | 'publishStatus' | 'publishProgress' | 'now'>,
  uploadId: string,
  chunk: number,
  records: number,
): Promise<void> => {
  const counted = await deps.ledger.recordIndexed(uploadId, String(chunk), records);
  const finished = await deps.ledger.finishIfIndexed(uploadId);
  if (finished || !counted) {
    await publishIndexed(deps.ledger, deps.publishStatus, uploadId);
    return;
  }
  if (deps.publishProgress && chunk % PROGRESS_EVERY_CHUNKS === 0) {
    const entry = await deps.ledger.get(uploadId);
    if (entry && entry.status !== 'INDEXED') await deps.publishProgress(entry, deps.now());
  }
};

/** What indexing one message did. `unchanged`: records whose source record needed no write at all. */
export type IndexSummary = {
  readonly records: number;
  readonly markersWritten: number;
  readonly headsWritten: number;
  readonly unchanged: number;
  readonly retries: number;
};

/**
 * Indexes one records message: every record's update is joined into the index (records of the same
 * source record one after another, others concurrently), then the message's records count as indexed
 * in the upload ledger (once per message, however often it is delivered). Throws on an invalid message
 * or a failed write, so SQS redelivers it and, in the end, dead-letters it.
 */
export const indexRecordsMessage = async (deps: IndexDeps, body: string): Promise<IndexSummary> => {
  // Version 1 or 2, decoded in one place (functions/shared/records-codec.ts), with fixed error messages.
  const message = decodeRecordsMessage(body);
  const key = await deps.pseudonymKey();
  const groups = new Map<string, RecordUpdate[]>();
  for (const record of message.records) {
    const update = recordUpdateOf(record, key);
    if (!update) continue;
    groups.set(update.recordKey, [...(groups.get(update.recordKey) ?? []), update]);
  }
  const summary = {
    records: message.records.length,
    markersWritten: 0,
    headsWritten: 0,
    unchanged: 0,
    retries: 0,
  };
  // Rounds over all records at once: one batched read, every plan of the round committed together
  // (each record all or nothing, many records a request, with a check that every item it read but left
  // is unchanged), a batched read again for the records whose commit was not confirmed, until none is
  // left. An unchanged record costs its share of one batched read; a changed one its share of the writes.
  let pending = [...groups.values()].map((g) => g[0] as RecordUpdate);
  const touched = new Set<string>();
  for (let round = 0; pending.length > 0; round++) {
    if (round >= 50) throw new Error(`${pending.length} records kept losing races`);
    const states = await readRecordStates(deps.store, pending);
    const planned = pending.flatMap((update) => {
      const write = planRound(deps, update, states.get(update.recordKey) as RecordState);
      return write ? [{ update, write }] : [];
    });
    const committed = await deps.store.commit(planned.map((p) => p.write));
    const unconfirmed: RecordUpdate[] = [];
    planned.forEach(({ update, write }, i) => {
      const outcome = roundOutcome(write, committed[i] ?? 'lost');
      if (!outcome.done) unconfirmed.push(update);
      summary.markersWritten += outcome.markersWritten;
      summary.headsWritten += outcome.headWritten ? 1 : 0;
      touched.add(update.recordKey);
      if (round > 0) summary.retries++;
    });
    pending = unconfirmed;
  }
  // Later records of the same source record in this message, one after another.
  for (const updates of groups.values())
    for (const update of updates.slice(1)) {
      const outcome = await indexRecordUpdate(deps, update);
      summary.markersWritten += outcome.markersWritten;
      summary.headsWritten += outcome.headWritten ? 1 : 0;
      summary.retries += outcome.retries;
      if (outcome.markersWritten > 0 || outcome.headWritten) touched.add(update.recordKey);
    }
  summary.unchanged = message.records.length - touched.size;
  await countIndexed(deps, message.uploadId, message.chunk, message.records.length);
  return summary;
};
