import { z } from 'zod';
import { type CanonicalRecord, CanonicalRecordSchema } from '../canonical/record.ts';

/**
 * Version of the records message body (`v`) that ingest writes. The indexer reads version 1 too, so
 * that messages queued before a deploy are still indexed after it.
 */
export const RECORDS_MESSAGE_VERSION = 2;

/** The largest records message body, in bytes: SQS takes 256 KiB and bills each 64 KiB as one request. */
export const RECORDS_MESSAGE_MAX_BYTES = 256 * 1024 - 512;

/** The most records one message carries: few enough that the indexer finishes it well inside its timeout. */
export const RECORDS_MESSAGE_MAX_RECORDS = 500;

/**
 * Version 1 (ingest until issue 13): the canonical records in clear, many to a message. Still read.
 */
export const RecordsMessageV1Schema = z.object({
  v: z.literal(1),
  uploadId: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  records: z.array(CanonicalRecordSchema),
});
export type RecordsMessageV1 = z.infer<typeof RecordsMessageV1Schema>;

/**
 * Version 2, the body of a records message, ingest → indexer (SQS): the envelope in clear, the records
 * compressed. `recordsGzip` is the base64 (RFC 4648, padded) of one gzip member (RFC 1952) whose data is
 * `count` canonical records as JSON Lines (one record per line, each line ending in `\n`), exactly the
 * lines of the upload's curated object from record `chunk`'s first. The member is a piece of the curated
 * object itself (functions/ingest/pack.ts writes the curated object member by member, and the queue pass
 * cuts it at member boundaries without decompressing it); functions/shared/records-codec.ts encodes and
 * decodes it, for ingest and the indexer alike.
 *
 * `chunk` numbers the messages of an upload from 0; the uploads ledger counts each chunk's records once.
 */
export const RecordsMessageV2Schema = z.object({
  v: z.literal(2),
  uploadId: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  count: z.number().int().positive().max(RECORDS_MESSAGE_MAX_RECORDS),
  recordsGzip: z.string().min(1).max(RECORDS_MESSAGE_MAX_BYTES),
});
export type RecordsMessageV2 = z.infer<typeof RecordsMessageV2Schema>;

/** A records message body of either version, told apart by `v`. */
export const RecordsMessageBodySchema = z.discriminatedUnion('v', [
  RecordsMessageV1Schema,
  RecordsMessageV2Schema,
]);

/** A records message once decoded (either version): the records of one chunk of one upload. */
export type RecordsMessage = {
  readonly uploadId: string;
  readonly chunk: number;
  readonly records: readonly CanonicalRecord[];
};
