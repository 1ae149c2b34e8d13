import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { readUploadStatus } from '../functions/shared/upload-status.ts';
import {
  type OrgCode,
  type UploadStatusObject,
  uploadStatusKey,
  uploadStatusPrefix,
} from '../schemas/index.ts';
import { CliError, EXIT_COULD_NOT_RUN } from './errors.ts';

// What `msht upload` and `msht status` know of uploads: the status objects under reports/{org}/uploads/,
// which an organisation's upload role may list and read (never the ledger, which holds every
// organisation's uploads). Existence is asked by listing, not by reading: S3 answers a read of a
// missing key with 403, not 404, to a role whose listing is limited to a prefix.

/** Clocks of this machine, of S3 and of the pipeline may differ by this much. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A listed status object: its key and when it was last written. */
export type StatusListing = { readonly key: string; readonly lastModified: number };

const isAccessDenied = (error: unknown): boolean =>
  (error as { name?: string } | null)?.name === 'AccessDenied' ||
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 403;

/**
 * Runs `work`; S3 refusing it becomes one line saying what the credentials may not do, e.g.
 * `read reports/PF-E23000002/uploads/` (exit 4), with `hint` on what to do about it.
 */
export const withS3Access = async <T>(what: string, work: () => Promise<T>, hint = ''): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const told = hint ? `${message.replace(/\.?$/, '.')} ${hint}` : message;
    throw new CliError(`your credentials may not ${what}: ${told}`, {
      exitCode: EXIT_COULD_NOT_RUN,
      cause: error,
    });
  }
};

/** `withS3Access` for reading under `prefix`. */
export const readingUnder = <T>(prefix: string, work: () => Promise<T>, hint = ''): Promise<T> =>
  withS3Access(`read ${prefix}`, work, hint);

/** Every status object whose key starts with `prefix`, through every page of the listing. */
export const listStatuses = async (
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<StatusListing[]> => {
  const out: StatusListing[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (object.Key?.endsWith('.json'))
        out.push({ key: object.Key, lastModified: object.LastModified?.getTime() ?? 0 });
    }
  }
  return out;
};

/** The status object of one upload of `org`, or undefined while there is none. */
export const readStatus = async (
  s3: S3Client,
  bucket: string,
  org: OrgCode,
  uploadId: string,
  hint = '',
): Promise<UploadStatusObject | undefined> => {
  const key = uploadStatusKey(org, uploadId);
  return readingUnder(
    uploadStatusPrefix(org),
    async () => {
      const listed = await listStatuses(s3, bucket, key);
      return listed.some((l) => l.key === key) ? readUploadStatus(s3, bucket, key) : undefined;
    },
    hint,
  );
};

/**
 * The `limit` status objects received last, newest first, of those `listed`. An object is written at
 * or after its upload was received, so reading newest-written first can stop at the first object
 * written (give or take clock skew) before the oldest of the `limit` received so far: it, and every
 * object after it, was received earlier still.
 */
export const newestReceived = async (
  listed: readonly StatusListing[],
  limit: number,
  read: (key: string) => Promise<UploadStatusObject | undefined>,
): Promise<UploadStatusObject[]> => {
  const best: UploadStatusObject[] = [];
  for (const { key, lastModified } of [...listed].sort((a, b) => b.lastModified - a.lastModified)) {
    const oldest = best.length >= limit ? best[limit - 1] : undefined;
    if (oldest && lastModified + CLOCK_SKEW_MS < Date.parse(oldest.receivedAt)) break;
    const status = await read(key);
    if (!status) continue;
    best.push(status);
    best.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }
  return best.slice(0, limit);
};

/** The latest `limit` uploads of the organisations given (each one's prefix listed), newest first. */
export const latestStatuses = async (
  s3: S3Client,
  bucket: string,
  orgs: readonly OrgCode[],
  limit: number,
  hint = '',
  /** Only uploads this says yes to (e.g. of one period). */
  only: (entry: UploadStatusObject) => boolean = () => true,
): Promise<UploadStatusObject[]> => {
  const listings = await Promise.all(
    orgs.map((org) => {
      const prefix = uploadStatusPrefix(org);
      return readingUnder(prefix, () => listStatuses(s3, bucket, prefix), hint);
    }),
  );
  return newestReceived(listings.flat(), limit, async (key) => {
    const entry = await readingUnder(
      key.slice(0, key.lastIndexOf('/') + 1),
      () => readUploadStatus(s3, bucket, key),
      hint,
    );
    return entry && only(entry) ? entry : undefined;
  });
};

/**
 * The status objects of `org` for object `key` written since `since` (an ISO time, less clock skew),
 * received since then too, newest received first: how `msht upload` finds its upload when the id it
 * derives from the upload's ETag and version id is not the one ingest derived from the S3 event.
 */
export const statusesOfKeySince = async (
  s3: S3Client,
  bucket: string,
  org: OrgCode,
  key: string,
  since: string,
): Promise<UploadStatusObject[]> => {
  const from = Date.parse(since) - CLOCK_SKEW_MS;
  const prefix = uploadStatusPrefix(org);
  return readingUnder(prefix, async () => {
    const listed = (await listStatuses(s3, bucket, prefix)).filter((l) => l.lastModified >= from);
    const read = await Promise.all(listed.map((l) => readUploadStatus(s3, bucket, l.key)));
    return read
      .filter((s): s is UploadStatusObject => s?.key === key && Date.parse(s.receivedAt) >= from)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  });
};
