import { RECORDS_MESSAGE_VERSION } from '../../schemas/index.ts';

// pack.test.ts reads message bodies with the contract's type from here.

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

/** The start of a records message body (schemas/messages/records-message.ts), up to its records. */
const envelopeHead = (uploadId: string, chunk: number): string =>
  `{"v":${RECORDS_MESSAGE_VERSION},"uploadId":${JSON.stringify(uploadId)},"chunk":${chunk},"records":[`;

const envelope = (uploadId: string, chunk: number, recordsJson: readonly string[]): string =>
  `${envelopeHead(uploadId, chunk)}${recordsJson.join(',')}]}`;

/**
 * The largest serialised record, in bytes, that fits in one message of `limits` with its envelope.
 * Ingest rejects a row whose record is larger (`TOO_LONG`), so packing never meets one.
 */
export const maxRecordBytes = (uploadId: string, limits: PackLimits = DEFAULT_PACK_LIMITS): number =>
  limits.maxBytes - Buffer.byteLength(envelope(uploadId, Number.MAX_SAFE_INTEGER, [])) - 1;

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

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * Packs the records of a JSON Lines byte stream (the curated object, one record per line) exactly as
 * `packRecords` would, but working on bytes: lines are located with `indexOf` and copied once into
 * their message, so no record is decoded to a string on its own.
 */
export async function* packJsonLines(
  uploadId: string,
  bytes: AsyncIterable<Uint8Array>,
  limits: PackLimits = DEFAULT_PACK_LIMITS,
): AsyncGenerator<PackedMessage> {
  const overhead = Buffer.byteLength(envelope(uploadId, Number.MAX_SAFE_INTEGER, []));
  let chunk = 0;
  let lines: Uint8Array[] = [];
  let bytesInBatch = overhead;
  let lineBytes = 0;
  const message = (): PackedMessage => {
    const joined = Buffer.allocUnsafe(lineBytes + lines.length - 1);
    let at = 0;
    lines.forEach((line, i) => {
      if (i > 0) joined[at++] = COMMA;
      joined.set(line, at);
      at += line.length;
    });
    return {
      chunk,
      count: lines.length,
      body: `${envelopeHead(uploadId, chunk)}${joined.toString('utf8')}]}`,
    };
  };
  const add = function* (line: Uint8Array): Generator<PackedMessage> {
    const size = line.length + 1;
    if (overhead + size > limits.maxBytes) {
      throw new RangeError(`A record of ${size} bytes does not fit in a message of ${limits.maxBytes} bytes`);
    }
    if (lines.length > 0 && (bytesInBatch + size > limits.maxBytes || lines.length >= limits.maxRecords)) {
      yield message();
      chunk++;
      lines = [];
      bytesInBatch = overhead;
      lineBytes = 0;
    }
    lines.push(line);
    bytesInBatch += size;
    lineBytes += line.length;
  };
  let carry: Buffer = Buffer.alloc(0);
  for await (const piece of bytes) {
    const data =
      carry.length > 0
        ? Buffer.concat([carry, piece])
        : Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    let start = 0;
    for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
      if (nl > start) yield* add(data.subarray(start, nl));
      start = nl + 1;
    }
    // Copy the partial line, so that the chunk it came from is not kept alive by it.
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length > 0) yield* add(carry);
  if (lines.length > 0) yield message();
}
