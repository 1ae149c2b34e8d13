import type { S3Client } from '@aws-sdk/client-s3';
import {
  type UploadLedgerEntry,
  type UploadStatusObject,
  UploadStatusObjectSchema,
  uploadStatusKey,
  uploadStatusOf,
} from '../../schemas/index.ts';
import { putObject, readJsonObject } from './aws/s3.ts';
import type { Ledger } from './ledger.ts';

/** Writes an upload's ledger entry to the status object of the upload (`uploadStatusKey`). */
export type PublishUploadStatus = (entry: UploadLedgerEntry) => Promise<void>;

/**
 * Writes the status object of `entry` (its projection `uploadStatusOf`) under the organisation's own
 * reports prefix, with the bucket's default encryption as the reports have (SSE-KMS in AWS). Callers
 * write it before the ledger moves to a status the indexer builds on (QUEUED), and INDEXED only after
 * the ledger is INDEXED, so that a stale status never overwrites a later one.
 */
export const publishUploadStatus = async (
  s3: S3Client,
  bucket: string,
  entry: UploadLedgerEntry,
): Promise<void> =>
  putObject(s3, {
    bucket,
    key: uploadStatusKey(entry.org, entry.uploadId),
    body: `${JSON.stringify(uploadStatusOf(entry), null, 2)}\n`,
    contentType: 'application/json',
  });

/** A `PublishUploadStatus` bound to one client and bucket, as the handlers build it once. */
export const uploadStatusPublisher =
  (s3: S3Client, bucket: string): PublishUploadStatus =>
  (entry) =>
    publishUploadStatus(s3, bucket, entry);

/**
 * Writes the INDEXED status object of an upload whose ledger entry is INDEXED, from the entry as the
 * ledger holds it (a consistent read), after the ledger moved. Only a second, concurrent run of ingest
 * for the same object could set the ledger back to QUEUED, and that run then finishes it and writes
 * INDEXED again.
 */
export const publishIndexed = async (
  ledger: Ledger,
  publish: PublishUploadStatus,
  uploadId: string,
): Promise<void> => {
  const entry = await ledger.get(uploadId);
  if (entry?.status === 'INDEXED') await publish(entry);
};

/** Reads the status object at `key`; undefined when there is none. Throws on an object that is not one. */
export const readUploadStatus = (
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<UploadStatusObject | undefined> => readJsonObject(s3, bucket, key, UploadStatusObjectSchema);
