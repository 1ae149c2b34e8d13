import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  maxRecordBytes,
  type PackedMessage,
  packJsonLines,
  packRecords,
} from '../../../functions/ingest/pack.ts';
import type { RecordsMessage } from '../../../schemas/index.ts';

const collect = async (gen: AsyncIterable<PackedMessage>): Promise<PackedMessage[]> => {
  const out: PackedMessage[] = [];
  for await (const m of gen) out.push(m);
  return out;
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
    }
    const unpacked = messages.flatMap((m) => (JSON.parse(m.body) as RecordsMessage).records);
    expect(unpacked).toEqual(records.map((r) => JSON.parse(r)));
  });

  it('rejects a record that cannot fit in any message', async () => {
    await expect(
      collect(packRecords('u1', [`"${'y'.repeat(2000)}"`], { maxBytes: 500, maxRecords: 10 })),
    ).rejects.toThrow(RangeError);
  });

  it('packs a record of exactly maxRecordBytes and rejects one byte more', async () => {
    const limits = { maxBytes: 500, maxRecords: 10 };
    const largest = maxRecordBytes('u1', limits);
    const record = (bytes: number): string => `"${'z'.repeat(bytes - 2)}"`;
    const [message] = await collect(packRecords('u1', [record(largest)], limits));
    expect(Buffer.byteLength(message?.body ?? '')).toBeLessThanOrEqual(limits.maxBytes);
    await expect(collect(packRecords('u1', [record(largest + 1)], limits))).rejects.toThrow(RangeError);
  });

  it('is deterministic and loses no record, whatever the records and limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 40 }), { maxLength: 60 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.integer({ min: 1, max: 20 }),
        async (values, maxBytes, maxRecords) => {
          const json = values.map((v) => JSON.stringify(v));
          const first = await collect(packRecords('upload', json, { maxBytes, maxRecords }));
          const second = await collect(packRecords('upload', json, { maxBytes, maxRecords }));
          expect(second).toEqual(first);
          const records = first.flatMap((m) => (JSON.parse(m.body) as RecordsMessage).records);
          expect(records).toEqual(values);
          expect(first.reduce((n, m) => n + m.count, 0)).toBe(values.length);
          for (const m of first) expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(maxBytes);
        },
      ),
    );
  });
});

describe('packJsonLines', () => {
  it('packs the lines of a byte stream exactly as packRecords packs the same records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.json({ maxDepth: 2 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 9 }),
        async (json, chunkSize, maxRecords) => {
          // Prepare: the records as JSON Lines, cut into arbitrary pieces.
          const records = json.map((j) => JSON.stringify(JSON.parse(j)));
          const bytes = Buffer.from(records.map((r) => `${r}\n`).join(''));
          const pieces = async function* (): AsyncGenerator<Uint8Array> {
            for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
          };
          const limits = { maxBytes: 4096, maxRecords };
          // Act
          const fromBytes = await collect(packJsonLines('u1', pieces(), limits));
          // Assess
          expect(fromBytes).toEqual(await collect(packRecords('u1', records, limits)));
        },
      ),
      { numRuns: 100 },
    );
  });
});
