import type { S3Client } from '@aws-sdk/client-s3';
import {
  type UploadLedgerEntry,
  type UploadProgress,
  UploadProgressSchema,
  uploadProgressKey,
} from '../../schemas/index.ts';
import { putObject, readJsonObject } from './aws/s3.ts';

/** Writes how far indexing of an upload has got, from its ledger entry. */
export type PublishUploadProgress = (entry: UploadLedgerEntry, at: string) => Promise<void>;

/** The progress of an upload as its ledger entry gives it; `accepted` once ingest has queued them all. */
export const uploadProgressOf = (entry: UploadLedgerEntry, at: string): UploadProgress => ({
  uploadId: entry.uploadId,
  org: entry.org,
  indexed: entry.counts.indexed,
  ...(entry.status === 'QUEUED' || entry.status === 'INDEXED' ? { accepted: entry.counts.accepted } : {}),
  at,
});

/** Writes the progress object of `entry` under the organisation's own reports prefix (`uploadProgressKey`). */
export const publishUploadProgress = async (
  s3: S3Client,
  bucket: string,
  entry: UploadLedgerEntry,
  at: string,
): Promise<void> =>
  putObject(s3, {
    bucket,
    key: uploadProgressKey(entry.org, entry.uploadId),
    body: `${JSON.stringify(uploadProgressOf(entry, at))}\n`,
    contentType: 'application/json',
  });

/** Reads an upload's progress object; undefined when there is none (yet). */
export const readUploadProgress = (
  s3: S3Client,
  bucket: string,
  entry: Pick<UploadLedgerEntry, 'org' | 'uploadId'>,
): Promise<UploadProgress | undefined> =>
  readJsonObject(s3, bucket, uploadProgressKey(entry.org, entry.uploadId), UploadProgressSchema);
