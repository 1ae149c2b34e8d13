import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PACK_LIMITS,
  maxRecordBytes,
  type PackedMessage,
  packRecords,
} from '../../functions/ingest/pack.ts';
import {
  decodeRecordsMessage,
  encodeRecordsMessage,
  maxLinesBytes,
} from '../../functions/shared/records-codec.ts';
import { type CanonicalRecord, RECORD_TYPES, RECORDS_MESSAGE_MAX_BYTES } from '../../schemas/index.ts';
import { normaliseRow } from '../../schemas/normalise/normalise-row.ts';
import { contextArb, plausibleRowArb } from './arbitraries.ts';

/** SQS bills each 64 KiB of a message as one request. */
const SQS_CHUNK = 64 * 1024;
const billed = (body: string): number => Math.ceil(Buffer.byteLength(body) / SQS_CHUNK);

/** Canonical records as ingest makes them: plausible rows of any type, normalised, the accepted kept. */
const recordsArb = (maxLength: number): fc.Arbitrary<CanonicalRecord[]> =>
  fc
    .array(
      fc
        .constantFrom(...RECORD_TYPES)
        .chain((type) => fc.tuple(fc.constant(type), plausibleRowArb(type), contextArb)),
      { maxLength },
    )
    .map((rows) =>
      rows.flatMap(([type, row, context]) => {
        const outcome = normaliseRow(type, row, context);
        return outcome.status === 'REJECTED' ? [] : [outcome.record];
      }),
    );

const collect = async (gen: AsyncIterable<PackedMessage>): Promise<PackedMessage[]> => {
  const out: PackedMessage[] = [];
  for await (const m of gen) out.push(m);
  return out;
};

/** What a record is once it has been through JSON (what the indexer can ever receive). */
const viaJson = (records: readonly CanonicalRecord[]): unknown => JSON.parse(JSON.stringify(records));

describe('the records codec (schemas/messages/records-message.ts, version 2)', () => {
  it('decodes what it encodes: decode(encode(records)) = records', () => {
    fc.assert(
      fc.property(recordsArb(30), fc.nat(), (records, chunk) => {
        fc.pre(records.length > 0);
        const body = encodeRecordsMessage(
          'u1',
          chunk,
          records.map((r) => JSON.stringify(r)),
        );
        const message = decodeRecordsMessage(body);
        expect(message.uploadId).toBe('u1');
        expect(message.chunk).toBe(chunk);
        expect(message.records).toEqual(viaJson(records));
        // Deterministic: the same records give the same bytes.
        expect(
          encodeRecordsMessage(
            'u1',
            chunk,
            records.map((r) => JSON.stringify(r)),
          ),
        ).toBe(body);
      }),
      { numRuns: 25 },
    );
  });

  it('packs an upload into messages of at most 256 KiB that decode to its records, in order', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb(200), fc.integer({ min: 1, max: 500 }), async (records, maxRecords) => {
        const limits = { ...DEFAULT_PACK_LIMITS, maxRecords };
        const messages = await collect(
          packRecords(
            'u1',
            records.map((r) => JSON.stringify(r)),
            limits,
          ),
        );
        for (const m of messages)
          expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(RECORDS_MESSAGE_MAX_BYTES);
        expect(messages.flatMap((m) => decodeRecordsMessage(m.body).records)).toEqual(viaJson(records));
        expect(messages.map((m) => m.chunk)).toEqual(messages.map((_, i) => i));
      }),
      { numRuns: 20 },
    );
  });

  it('bills at most one 64 KiB chunk per 100 records for an upload of canonical records', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb(1500), async (records) => {
        fc.pre(records.length > 0);
        const messages = await collect(
          packRecords(
            'u1',
            records.map((r) => JSON.stringify(r)),
          ),
        );
        const chunks = messages.reduce((n, m) => n + billed(m.body), 0);
        expect(chunks).toBeLessThanOrEqual(Math.ceil(records.length / 100));
      }),
      { numRuns: 5 },
    );
  });

  it('sends a record too large for 100 to a chunk alone, within the limit, however badly it compresses', async () => {
    // Prepare: ordinary records around two of the largest a message surely carries, of random text.
    const [few] = fc.sample(recordsArb(40), { numRuns: 1, seed: 13 });
    const json = (few ?? []).map((r) => JSON.stringify(r));
    const largest = maxRecordBytes('u1');
    const huge = (): string =>
      `"${randomBytes(largest)
        .toString('base64')
        .slice(0, largest - 2)}"`;
    const records = [...json, huge(), huge(), ...json];
    // Act
    const messages = await collect(packRecords('u1', records));
    // Assess: each huge one alone; every message within SQS's limit; nothing lost.
    expect(messages.filter((m) => m.count === 1).length).toBeGreaterThanOrEqual(2);
    for (const m of messages)
      expect(Buffer.byteLength(m.body)).toBeLessThanOrEqual(RECORDS_MESSAGE_MAX_BYTES);
    expect(messages.reduce((n, m) => n + m.count, 0)).toBe(records.length);
    expect(maxLinesBytes('u1')).toBe(largest + 1);
  });
});
