import { constants, crc32, deflateRawSync, gunzipSync } from 'node:zlib';
import {
  type CanonicalRecord,
  CanonicalRecordSchema,
  RECORDS_MESSAGE_MAX_BYTES,
  RECORDS_MESSAGE_MAX_RECORDS,
  type RecordsMessage,
  RecordsMessageBodySchema,
} from '../../schemas/index.ts';
import { MshtError } from './errors.ts';
import { jsonSyntaxMessage, parseJsonText } from './json-text.ts';

// The records codec: the one place that writes and reads the compressed records of a records message
// (schemas/messages/records-message.ts, version 2). Ingest writes the curated object as a series of
// "records members" (gzip members, RFC 1952, each holding the JSON Lines of one message's records) and
// the queue pass puts each member, base64-encoded, into one message; the indexer decodes it here.
//
// A records member is an ordinary gzip member (any gzip reader reads a series of them as one JSON Lines
// file) whose header carries one extra subfield (FEXTRA, RFC 1952 2.3.1.1), `MR`, with the member's
// length in bytes and its number of records (both uint32, little-endian), so that the queue pass cuts
// the curated object into messages without decompressing it. Compression is deterministic (zlib,
// level 1, no time stamp): the same records give the same bytes, so a retried upload re-sends
// identical messages.

const NEWLINE = 0x0a;
const FLG_FEXTRA = 0x04;
const OS_UNKNOWN = 0xff;
const SUBFIELD = [0x4d, 0x52] as const; // 'M', 'R'
const SUBFIELD_DATA_BYTES = 8;
const XLEN = 4 + SUBFIELD_DATA_BYTES;
/** The member header: 10 fixed bytes, XLEN (2) and the `MR` subfield (4 + 8). */
export const MEMBER_HEADER_BYTES = 10 + 2 + XLEN;
/** CRC-32 and ISIZE. */
const MEMBER_TRAILER_BYTES = 8;
/** The largest member the queue pass accepts: one message's worth, with room to spare. */
const MAX_MEMBER_BYTES = RECORDS_MESSAGE_MAX_BYTES;
/**
 * The most bytes the indexer inflates one message to. A member holds at most `maxLinesBytes` of lines
 * (under 200 KB at the SQS limit), so anything larger is not ours: a bound against a decompression bomb.
 */
const MAX_DECODED_BYTES = 1024 * 1024;
const LEVEL = constants.Z_BEST_SPEED;

/** One gzip member of JSON Lines `lines` (each record a line ending in `\n`), `count` records. */
export const encodeRecordsMember = (lines: Uint8Array, count: number): Buffer => {
  const deflated = deflateRawSync(lines, { level: LEVEL });
  const length = MEMBER_HEADER_BYTES + deflated.length + MEMBER_TRAILER_BYTES;
  const member = Buffer.allocUnsafe(length);
  member.set([0x1f, 0x8b, 0x08, FLG_FEXTRA, 0, 0, 0, 0, 0, OS_UNKNOWN], 0);
  member.writeUInt16LE(XLEN, 10);
  member.set(SUBFIELD, 12);
  member.writeUInt16LE(SUBFIELD_DATA_BYTES, 14);
  member.writeUInt32LE(length, 16);
  member.writeUInt32LE(count, 20);
  member.set(deflated, MEMBER_HEADER_BYTES);
  member.writeUInt32LE(crc32(lines), length - 8);
  member.writeUInt32LE(lines.length % 2 ** 32, length - 4);
  return member;
};

const curatedInvalid = (at: number): MshtError =>
  new MshtError(
    'CURATED_OBJECT_INVALID',
    `The curated object is not a series of records members (at byte ${at})`,
  );

/** The length and record count of the records member that starts at `at`; throws when there is none. */
const memberHeader = (bytes: Buffer, at: number, offset: number): { length: number; count: number } => {
  const ok =
    bytes[at] === 0x1f &&
    bytes[at + 1] === 0x8b &&
    bytes[at + 2] === 0x08 &&
    bytes[at + 3] === FLG_FEXTRA &&
    bytes.readUInt16LE(at + 10) === XLEN &&
    bytes[at + 12] === SUBFIELD[0] &&
    bytes[at + 13] === SUBFIELD[1] &&
    bytes.readUInt16LE(at + 14) === SUBFIELD_DATA_BYTES;
  if (!ok) throw curatedInvalid(offset + at);
  const length = bytes.readUInt32LE(at + 16);
  const count = bytes.readUInt32LE(at + 20);
  if (length <= MEMBER_HEADER_BYTES + MEMBER_TRAILER_BYTES || length > MAX_MEMBER_BYTES)
    throw curatedInvalid(offset + at);
  if (count > RECORDS_MESSAGE_MAX_RECORDS) throw curatedInvalid(offset + at);
  return { length, count };
};

/**
 * The records members of a curated object, in order, each as its bytes and record count, cut from the
 * stream by their headers (nothing is decompressed). A member of no records (the whole of an upload
 * that accepted none) is skipped. Throws `CURATED_OBJECT_INVALID` on bytes that are not members.
 */
export async function* readRecordsMembers(
  bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<{ readonly count: number; readonly member: Buffer }> {
  let buffer: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const piece of bytes) {
    buffer =
      buffer.length > 0
        ? Buffer.concat([buffer, piece])
        : Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    let at = 0;
    while (buffer.length - at >= MEMBER_HEADER_BYTES) {
      const { length, count } = memberHeader(buffer, at, offset);
      if (buffer.length - at < length) break;
      if (count > 0) yield { count, member: buffer.subarray(at, at + length) };
      at += length;
    }
    offset += at;
    // Copy the partial member, so that the piece it came from is not kept alive by it.
    buffer = Buffer.from(buffer.subarray(at));
  }
  if (buffer.length > 0) throw curatedInvalid(offset);
}

const head = (uploadId: string, chunk: number, count: number): string =>
  `{"v":2,"uploadId":${JSON.stringify(uploadId)},"chunk":${chunk},"count":${count},"recordsGzip":"`;

/** A version 2 records message body carrying `member` (a records member of `count` records). */
export const recordsMessageBody = (
  uploadId: string,
  chunk: number,
  count: number,
  member: Uint8Array,
): string =>
  `${head(uploadId, chunk, count)}${Buffer.from(member.buffer, member.byteOffset, member.length).toString('base64')}"}`;

/** A zlib bound on the deflated size of `n` bytes, with margin (zlib's deflateBound is n + n/4096 + n/16384 + 13). */
const deflateBound = (n: number): number => n + Math.ceil(n / 1024) + 64;

/**
 * The most bytes of JSON Lines one message of `maxBytes` surely carries, however badly they compress:
 * the envelope, base64 (4 characters per 3 bytes) and the member's header, trailer and deflate
 * overhead taken off. Message boundaries depend on line lengths and counts only, never on how well
 * they compressed, so they stay the same on every run.
 */
export const maxLinesBytes = (uploadId: string, maxBytes: number = RECORDS_MESSAGE_MAX_BYTES): number => {
  const envelope = Buffer.byteLength(
    `${head(uploadId, Number.MAX_SAFE_INTEGER, RECORDS_MESSAGE_MAX_RECORDS)}"}`,
  );
  const memberBytes = Math.floor((maxBytes - envelope) / 4) * 3;
  let lines = memberBytes - MEMBER_HEADER_BYTES - MEMBER_TRAILER_BYTES;
  while (lines > 0 && deflateBound(lines) + MEMBER_HEADER_BYTES + MEMBER_TRAILER_BYTES > memberBytes) lines--;
  return lines;
};

/** A version 2 records message of serialised records (tests, benchmarks): one member, chunk `chunk`. */
export const encodeRecordsMessage = (
  uploadId: string,
  chunk: number,
  recordsJson: readonly string[],
): string =>
  recordsMessageBody(
    uploadId,
    chunk,
    recordsJson.length,
    encodeRecordsMember(Buffer.from(recordsJson.map((json) => `${json}\n`).join('')), recordsJson.length),
  );

const invalid = (message: string): MshtError => new MshtError('RECORDS_MESSAGE_INVALID', message);

const schemaPaths = (issues: readonly { readonly path: readonly PropertyKey[] }[], prefix: string): string =>
  [...new Set(issues.map((issue) => [prefix, ...issue.path.slice(0, 3)].filter((p) => p !== '').join('.')))]
    .slice(0, 5)
    .join(', ');

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The records of a version 2 message: base64, one gzip member, `count` JSON lines of canonical records. */
const decodeRecords = (recordsGzip: string, count: number): CanonicalRecord[] => {
  const member = Buffer.from(recordsGzip, 'base64');
  // Buffer.from skips what is not base64: only the canonical encoding of what it read is ours.
  if (member.toString('base64') !== recordsGzip)
    throw invalid('The records of the records message are not base64');
  let lines: string;
  try {
    lines = UTF8.decode(gunzipSync(member, { maxOutputLength: MAX_DECODED_BYTES }));
  } catch {
    // zlib's and the decoder's messages stay here, as JSON.parse's do (json-text.ts).
    throw invalid(
      'The records of the records message are not a gzip member of UTF-8 text within its size limit',
    );
  }
  if (lines.length === 0 || lines.charCodeAt(lines.length - 1) !== NEWLINE)
    throw invalid('The records of the records message do not end with a whole line');
  const texts = lines.slice(0, -1).split('\n');
  if (texts.length !== count)
    throw invalid(`The records message holds ${texts.length} records, not the ${count} it counts`);
  return texts.map((text, i) => {
    const json = parseJsonText(text);
    if (!json.ok) throw invalid(jsonSyntaxMessage(`Record ${i + 1} of the records message`, json));
    const parsed = CanonicalRecordSchema.safeParse(json.value);
    if (!parsed.success)
      throw invalid(
        `The records message does not match its schema at ${schemaPaths(parsed.error.issues, `records.${i}`)}`,
      );
    return parsed.data;
  });
};

/**
 * A records message from its body, version 1 or 2. Fixed error messages (`RECORDS_MESSAGE_INVALID`):
 * the parsers' own (V8's, zod's, zlib's) would quote record content into the failure that SQS retries
 * and the runtime logs.
 */
export const decodeRecordsMessage = (body: string): RecordsMessage => {
  const json = parseJsonText(body);
  if (!json.ok) throw invalid(jsonSyntaxMessage('The records message', json));
  const parsed = RecordsMessageBodySchema.safeParse(json.value);
  if (!parsed.success)
    throw invalid(`The records message does not match its schema at ${schemaPaths(parsed.error.issues, '')}`);
  const message = parsed.data;
  if (message.v === 1) return { uploadId: message.uploadId, chunk: message.chunk, records: message.records };
  return {
    uploadId: message.uploadId,
    chunk: message.chunk,
    records: decodeRecords(message.recordsGzip, message.count),
  };
};
