import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { RECORDS_MESSAGE_MAX_BYTES, RECORDS_MESSAGE_MAX_RECORDS } from '../../schemas/index.ts';
import {
  encodeRecordsMember,
  maxLinesBytes,
  readRecordsMembers,
  recordsMessageBody,
} from '../shared/records-codec.ts';
import type { TextSink } from './text-sink.ts';

// pack.test.ts and the records codec's property test read message bodies through the codec.

/** Limits of one records message. SQS takes up to 256 KiB and bills each 64 KiB chunk as a request. */
export type PackLimits = { readonly maxBytes: number; readonly maxRecords: number };

/**
 * Default: just under SQS's 256 KiB, and few enough records that the indexer finishes a message well
 * inside its timeout. Compressed, a message of typical records is one 64 KiB billing chunk.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export const DEFAULT_PACK_LIMITS: PackLimits = {
  maxBytes: RECORDS_MESSAGE_MAX_BYTES,
  maxRecords: RECORDS_MESSAGE_MAX_RECORDS,
};

/** A message body holding records of one upload. */
export type PackedMessage = { readonly chunk: number; readonly count: number; readonly body: string };

/**
 * The largest serialised record, in bytes, that one message of `limits` surely carries (alone, however
 * badly it compresses). Ingest rejects a row whose record is larger (`TOO_LONG`), so packing never meets one.
 */
export const maxRecordBytes = (uploadId: string, limits: PackLimits = DEFAULT_PACK_LIMITS): number =>
  maxLinesBytes(uploadId, limits.maxBytes) - 1;

const NEWLINE = 0x0a;

/**
 * Cuts JSON Lines into records members (functions/shared/records-codec.ts), one per future message:
 * records in order, a member closed before the record that would take it over `maxLinesBytes` of lines
 * or `maxRecords` records. Boundaries depend on the lines alone, so the same records always give the
 * same members.
 */
export class MemberPacker {
  private parts: Buffer[] = [];
  private bytes = 0;
  private count = 0;
  private members = 0;
  private readonly maxLines: number;
  private readonly limits: PackLimits;

  constructor(uploadId: string, limits: PackLimits = DEFAULT_PACK_LIMITS) {
    this.limits = limits;
    if (limits.maxRecords < 1 || limits.maxRecords > RECORDS_MESSAGE_MAX_RECORDS)
      throw new RangeError(`maxRecords must be 1 to ${RECORDS_MESSAGE_MAX_RECORDS}`);
    this.maxLines = maxLinesBytes(uploadId, limits.maxBytes);
  }

  /** Adds whole lines (each ending in `\n`); returns the members they completed. */
  push(text: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let segment = 0;
    let start = 0;
    for (let nl = text.indexOf(NEWLINE, start); nl !== -1; nl = text.indexOf(NEWLINE, start)) {
      const size = nl + 1 - start;
      if (size > this.maxLines)
        throw new RangeError(
          `A record of ${size - 1} bytes does not fit in a message of ${this.limits.maxBytes} bytes`,
        );
      if (this.count > 0 && (this.bytes + size > this.maxLines || this.count >= this.limits.maxRecords)) {
        if (start > segment) this.parts.push(text.subarray(segment, start));
        out.push(this.member());
        segment = start;
      }
      this.bytes += size;
      this.count++;
      start = nl + 1;
    }
    if (start !== text.length) throw new RangeError('Records are packed in whole lines');
    if (start > segment) this.parts.push(text.subarray(segment, start));
    return out;
  }

  /** The last member; a member of no records when there were none at all (a gzip file is never empty). */
  end(): Buffer[] {
    return this.count > 0 || this.members === 0 ? [this.member()] : [];
  }

  private member(): Buffer {
    const lines = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.bytes);
    const member = encodeRecordsMember(lines, this.count);
    this.parts = [];
    this.bytes = 0;
    this.count = 0;
    this.members++;
    return member;
  }
}

/**
 * The curated object's sink: accepted records as JSON Lines text (whole lines), stored as records
 * members, so that the object is gzip JSON Lines for every reader and the queue pass sends it without
 * decompressing it. `consume` receives the byte stream and resolves once it has stored everything.
 */
export const curatedSink = (
  consume: (stream: PassThrough) => Promise<void>,
  uploadId: string,
  limits: PackLimits = DEFAULT_PACK_LIMITS,
): TextSink => {
  const body = new PassThrough();
  const done = consume(body);
  done.catch(() => undefined);
  const packer = new MemberPacker(uploadId, limits);
  const send = async (members: Buffer[]): Promise<void> => {
    for (const member of members) if (!body.write(member)) await Promise.race([once(body, 'drain'), done]);
  };
  return {
    write: (text) => send(packer.push(Buffer.from(text, 'utf8'))),
    close: async () => {
      await send(packer.end());
      body.end();
      await done;
    },
  };
};

/**
 * The records messages of a curated object (the bytes `curatedSink` stored), one per records member, in
 * order and numbered from 0: each member is cut by its header and base64-encoded into its message, no
 * record decompressed or parsed. Throws `RangeError` for a message over `limits.maxBytes` (which the
 * member sizes rule out).
 */
export async function* packCuratedObject(
  uploadId: string,
  bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: PackLimits = DEFAULT_PACK_LIMITS,
): AsyncGenerator<PackedMessage> {
  let chunk = 0;
  for await (const { count, member } of readRecordsMembers(bytes)) {
    const body = recordsMessageBody(uploadId, chunk, count, member);
    const size = Buffer.byteLength(body);
    if (size > limits.maxBytes)
      throw new RangeError(`A message of ${size} bytes is over the limit of ${limits.maxBytes}`);
    yield { chunk, count, body };
    chunk++;
  }
}

/** Packs serialised records into messages as ingest does (curated members, then messages); for tests. */
export async function* packRecords(
  uploadId: string,
  recordsJson: AsyncIterable<string> | Iterable<string>,
  limits: PackLimits = DEFAULT_PACK_LIMITS,
): AsyncGenerator<PackedMessage> {
  const packer = new MemberPacker(uploadId, limits);
  const members: Buffer[] = [];
  for await (const json of recordsJson) members.push(...packer.push(Buffer.from(`${json}\n`)));
  members.push(...packer.end());
  yield* packCuratedObject(uploadId, [Buffer.concat(members)], limits);
}
