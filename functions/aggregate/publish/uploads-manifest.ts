import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { UploadLedgerEntry } from '../../../schemas/canonical/upload-ledger.ts';
import { curatedUploadsKey } from '../../../schemas/object-keys.ts';
import type { UploadManifestLine } from '../../../schemas/query/upload-manifest.ts';
import { putObject } from '../../shared/aws/s3.ts';
import type { Month } from '../month.ts';
import type { UploadSelection } from '../read/select-uploads.ts';

const lineOf = (
  entry: UploadLedgerEntry,
  selection: UploadManifestLine['selection'],
  runId: string,
): UploadManifestLine => ({
  uploadId: entry.uploadId,
  org: entry.org,
  period: entry.period,
  recordType: entry.recordType,
  incomingKey: entry.key,
  fileName: entry.fileName,
  status: entry.status,
  selection,
  receivedAt: entry.receivedAt,
  accepted: entry.counts.accepted,
  ...(entry.curatedKey === undefined ? {} : { curatedKey: entry.curatedKey }),
  runId,
});

/** The manifest's lines: every upload of the selection, counted ones first, each group in the selection's order. */
export const uploadsManifestLines = (selection: UploadSelection, runId: string): UploadManifestLine[] => [
  ...selection.counted.map((entry) => lineOf(entry, 'COUNTED', runId)),
  ...selection.superseded.map((entry) => lineOf(entry, 'SUPERSEDED', runId)),
  ...selection.failed.map((entry) => lineOf(entry, 'FAILED', runId)),
  ...selection.duplicate.map((entry) => lineOf(entry, 'DUPLICATE', runId)),
  ...selection.inFlight.map((entry) => lineOf(entry, 'IN_FLIGHT', runId)),
];

/**
 * Writes the month's uploads manifest (gzip JSON Lines, `curated/uploads/month={YYYY-MM}/uploads.jsonl.gz`)
 * after a run is published, so SQL over the curated zone counts the uploads this run counted
 * (the `counted_uploads` view, docs/query.md). A re-run of the month replaces it.
 */
export const writeUploadsManifest = async (
  s3: S3Client,
  bucket: string,
  month: Month,
  selection: UploadSelection,
  runId: string,
): Promise<string> => {
  const key = curatedUploadsKey(month);
  const body = uploadsManifestLines(selection, runId)
    .map((line) => `${JSON.stringify(line)}\n`)
    .join('');
  await putObject(s3, { bucket, key, body: gzipSync(body), contentType: 'application/gzip' });
  return key;
};
