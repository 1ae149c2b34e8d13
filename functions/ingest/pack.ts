/** Limits of one records message. SQS takes up to 1 MiB and bills each 64 KiB chunk as a request. */
export type PackLimits = { readonly maxBytes: number; readonly maxRecords: number };

/**
 * Default: just under four 64 KiB billing chunks, and few enough records that the indexer finishes a
 * message well inside its timeout.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export const DEFAULT_PACK_LIMITS: PackLimits = { maxBytes: 256 * 1024 - 512, maxRecords: 500 };

/** A message body holding records (each already serialised as JSON) of one upload. */
export type PackedMessage = { readonly chunk: number; readonly count: number; readonly body: string };

/** The body of a records message, as the indexer reads it. */
export type RecordsMessage = {
  readonly v: 1;
  readonly uploadId: string;
  readonly chunk: number;
  readonly records: readonly unknown[];
};

const envelope = (uploadId: string, chunk: number, recordsJson: readonly string[]): string =>
  `{"v":1,"uploadId":${JSON.stringify(uploadId)},"chunk":${chunk},"records":[${recordsJson.join(',')}]}`;

/**
 * Packs serialised records into message bodies in order, many to a message, each within the limits.
 * Deterministic: the same records give the same chunks, so a retried upload re-sends identical messages.
 * Throws `RangeError` for a single record too large for a message.
 */
export async function* packRecords(
  uploadId: string,
  recordsJson: AsyncIterable<string> | Iterable<string>,
  limits: PackLimits = DEFAULT_PACK_LIMITS,
): AsyncGenerator<PackedMessage> {
  const overhead = Buffer.byteLength(envelope(uploadId, Number.MAX_SAFE_INTEGER, []));
  let chunk = 0;
  let batch: string[] = [];
  let bytes = overhead;
  for await (const json of recordsJson) {
    const size = Buffer.byteLength(json) + 1;
    if (overhead + size > limits.maxBytes) {
      throw new RangeError(`A record of ${size} bytes does not fit in a message of ${limits.maxBytes} bytes`);
    }
    if (batch.length > 0 && (bytes + size > limits.maxBytes || batch.length >= limits.maxRecords)) {
      yield { chunk, count: batch.length, body: envelope(uploadId, chunk, batch) };
      chunk++;
      batch = [];
      bytes = overhead;
    }
    batch.push(json);
    bytes += size;
  }
  if (batch.length > 0) yield { chunk, count: batch.length, body: envelope(uploadId, chunk, batch) };
}
