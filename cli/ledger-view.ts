import { visibleText } from '../functions/shared/visible-text.ts';
import type { UploadLedgerEntry } from '../schemas/index.ts';
import { renderTable } from './table.ts';

/** Statuses after which an upload changes no more. */
export const FINISHED_STATUSES = ['INDEXED', 'FAILED', 'DUPLICATE', 'QUARANTINED'] as const;

export const isFinished = (entry: UploadLedgerEntry): boolean =>
  (FINISHED_STATUSES as readonly string[]).includes(entry.status);

/** Renders ledger entries as a table, newest first as given. */
export const renderLedger = (entries: readonly UploadLedgerEntry[]): string =>
  renderTable(
    [
      'upload',
      'org',
      'period',
      'file',
      'status',
      'rows',
      'accepted',
      'warnings',
      'rejected',
      'indexed',
      'received',
    ],
    entries.map((e) => [
      e.uploadId,
      e.org,
      e.period,
      e.fileName,
      e.status,
      e.counts.rows,
      e.counts.accepted,
      e.counts.warnings,
      e.counts.rejected,
      e.counts.indexed,
      e.receivedAt,
    ]),
  );

/** Renders one entry in full, including why it failed and where its report is. */
export const renderEntry = (entry: UploadLedgerEntry, bucket: string): string => {
  const lines = [renderLedger([entry])];
  // The failure message may quote the file (its header, a bad line): no escape sequence reaches the
  // terminal (the table escapes its own cells).
  if (entry.failure) lines.push(visibleText(`Reason: [${entry.failure.code}] ${entry.failure.message}`));
  if (entry.duplicateOf)
    lines.push(visibleText(`Identical to upload ${entry.duplicateOf}; nothing was applied again.`));
  lines.push(visibleText(`Report: s3://${bucket}/reports/${entry.org}/${entry.uploadId}.json (and .csv)`));
  return lines.join('\n');
};
