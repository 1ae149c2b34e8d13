import { visibleText } from '../functions/shared/visible-text.ts';
import { type UploadStatusObject, uploadStatusKey } from '../schemas/index.ts';
import { renderTable } from './table.ts';

/** Statuses after which an upload changes no more. */
export const FINISHED_STATUSES = ['INDEXED', 'FAILED', 'DUPLICATE', 'QUARANTINED'] as const;

export const isFinished = (entry: Pick<UploadStatusObject, 'status'>): boolean =>
  (FINISHED_STATUSES as readonly string[]).includes(entry.status);

/** Renders uploads (their status objects, or ledger entries) as a table, newest first as given. */
export const renderLedger = (entries: readonly UploadStatusObject[]): string =>
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

/** Renders one upload in full, including why it failed and where its report and status object are. */
export const renderEntry = (entry: UploadStatusObject, bucket: string): string => {
  const lines = [renderLedger([entry])];
  // The failure message may quote the file (its header, a bad line): no escape sequence reaches the
  // terminal (the table escapes its own cells).
  if (entry.failure) lines.push(visibleText(`Reason: [${entry.failure.code}] ${entry.failure.message}`));
  if (entry.duplicateOf)
    lines.push(visibleText(`Identical to upload ${entry.duplicateOf}; nothing was applied again.`));
  lines.push(visibleText(`Report: s3://${bucket}/reports/${entry.org}/${entry.uploadId}.json (and .csv)`));
  lines.push(visibleText(`Status: s3://${bucket}/${uploadStatusKey(entry.org, entry.uploadId)}`));
  return lines.join('\n');
};
