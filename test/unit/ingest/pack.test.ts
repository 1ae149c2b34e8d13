import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PACK_LIMITS,
  MemberPacker,
  maxRecordBytes,
  type PackedMessage,
  packCuratedObject,
  packRecords,
} from '../../../functions/ingest/pack.ts';
import { RecordsMessageV2Schema } from '../../../schemas/index.ts';

const collect = async (gen: AsyncIterable<PackedMessage>): Promise<PackedMessage[]> => {
  const out: PackedMessage[] = [];
  for await (const m of gen) out.push(m);
  return out;
};

/** The lines a version 2 body carries, read without the canonical schema (these records are any JSON). */
const linesOf = (body: string): string[] => {
  const message = RecordsMessageV2Schema.parse(JSON.parse(body));
  const text = gunzipSync(Buffer.from(message.recordsGzip, 'base64')).toString('utf8');
  return text.slice(0, -1).split('\n');
};

/** The curated object's bytes for `records`, as the curated sink stores it. */
const curatedBytes = (records: readonly string[], limits = DEFAULT_PACK_LIMITS): Buffer => {
  const packer = new MemberPacker('u1', limits);
  const members = packer.push(Buffer.from(records.map((r) => `${r}\n`).join('')));
  return Buffer.concat([...members, ...packer.end()]);
};

describe('packRecords', () => {
  it('packs records in order into numbered messages within the byte and record limits', async () => {
    // Prepare
    const records = Array.from({ length: 25 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(i * 7) }));
    // Act
    const messages = await collect(packRecords('u1', records, { maxBytes: 600, maxRecords: 4 }));
    // Assess
    expect(messages.map((m) => m.chunk)).toEqual(messages.map((_, i) => i));
    for (const m of messages) {
      expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(600);
      expect(m.count).toBeLessThanOrEqual(4);
      expect(linesOf(m.body)).toHaveLength(m.count);
    }
    expect(messages.flatMap((m) => linesOf(m.body))).toEqual(records);
  });

  it('rejects a record that cannot fit in any message', async () => {
    await expect(
      collect(packRecords('u1', [`"${'y'.repeat(2000)}"`], { maxBytes: 500, maxRecords: 10 })),
    ).rejects.toThrow(RangeError);
  });

  it.each([{ maxBytes: 500, maxRecords: 10 }, DEFAULT_PACK_LIMITS])(
    'packs an incompressible record of exactly maxRecordBytes (limits %o) and rejects one byte more',
    async (limits) => {
      const largest = maxRecordBytes('u1', limits);
      // Random base64 text: about the worst case for deflate that a JSON string can be.
      const record = (bytes: number): string =>
        `"${randomBytes(bytes)
          .toString('base64')
          .slice(0, bytes - 2)}"`;
      const [message] = await collect(packRecords('u1', [record(largest)], limits));
      expect(Buffer.byteLength(message?.body ?? '')).toBeLessThanOrEqual(limits.maxBytes);
      expect(message?.count).toBe(1);
      await expect(collect(packRecords('u1', [record(largest + 1)], limits))).rejects.toThrow(RangeError);
    },
  );

  it('is deterministic and loses no record, whatever the records and limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 }),
        fc.integer({ min: 400, max: 2000 }),
        fc.integer({ min: 1, max: 20 }),
        async (values, maxBytes, maxRecords) => {
          const json = values.map((v) => JSON.stringify(v));
          const first = await collect(packRecords('upload', json, { maxBytes, maxRecords }));
          const second = await collect(packRecords('upload', json, { maxBytes, maxRecords }));
          expect(second).toEqual(first);
          expect(first.flatMap((m) => linesOf(m.body)).map((l) => JSON.parse(l))).toEqual(values);
          expect(first.reduce((n, m) => n + m.count, 0)).toBe(values.length);
          for (const m of first) expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(maxBytes);
        },
      ),
    );
  });
});

describe('the curated object and packCuratedObject', () => {
  it('is gzip JSON Lines for any gzip reader, and the queue pass cuts it into the same messages from any pieces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.json({ maxDepth: 2 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 9 }),
        async (json, chunkSize, maxRecords) => {
          // Prepare: the records as the curated object, cut into arbitrary pieces.
          const records = json.map((j) => JSON.stringify(JSON.parse(j)));
          const limits = { maxBytes: 4096, maxRecords };
          const bytes = curatedBytes(records, limits);
          const pieces = async function* (): AsyncGenerator<Uint8Array> {
            for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
          };
          // Act
          const fromBytes = await collect(packCuratedObject('u1', pieces(), limits));
          // Assess: one JSON line per record for a plain gunzip (the aggregation, DuckDB, Athena)...
          expect(gunzipSync(bytes).toString('utf8')).toBe(records.map((r) => `${r}\n`).join(''));
          // ...and the messages packRecords makes of the same records.
          expect(fromBytes).toEqual(await collect(packRecords('u1', records, limits)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stores an upload of no records as an empty gzip member and queues nothing', async () => {
    const bytes = curatedBytes([]);
    expect(gunzipSync(bytes).length).toBe(0);
    expect(await collect(packCuratedObject('u1', [bytes]))).toEqual([]);
  });

  it.each([
    [
      'a plain gzip stream',
      (b: Buffer) => Buffer.concat([b.subarray(0, 3), Buffer.from([0]), b.subarray(4)]),
    ],
    ['a truncated object', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['bytes after the last member', (b: Buffer) => Buffer.concat([b, Buffer.from('{"name":"Zebedee"}')])],
  ])('fails on %s with a fixed message', async (_, spoil) => {
    const bytes = spoil(curatedBytes(['{"a":1}', '{"a":2}']));
    const error = await collect(packCuratedObject('u1', [bytes])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'CURATED_OBJECT_INVALID' });
    expect(String((error as Error).message)).toMatch(
      /^The curated object is not a series of records members \(at byte \d+\)$/,
    );
  });
});
