import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectObject } from '../../functions/ingest/inspect.ts';
import { DEFAULT_LIMITS } from '../../functions/ingest/limits.ts';
import { processFile, type RowCounts } from '../../functions/ingest/process-file.ts';
import { createReportWriter } from '../../functions/ingest/report.ts';
import { memorySink } from '../../functions/ingest/text-sink.ts';
import { FileRejectedError } from '../../functions/shared/errors.ts';
import { EXTRACT_COLUMNS, RECORD_TYPES, type RecordType } from '../../schemas/index.ts';
import { TEST_KEY } from '../support/pseudonym-key.ts';
import { arbitraryRowArb, plausibleRowArb } from './arbitraries.ts';

type Outcome =
  | { kind: 'rows'; counts: RowCounts; curatedLines: number; rejectedRows: number }
  | { kind: 'file-rejected'; code: string };

/** Runs bytes through inspection and the chain, as ingest and `msht validate` do, in memory. */
const ingest = async (
  bytes: Uint8Array,
  recordType: RecordType,
  format: 'csv' | 'jsonl',
): Promise<Outcome> => {
  const source = async function* (): AsyncGenerator<Uint8Array> {
    // Odd-sized pieces, so that characters, quotes and lines are split across chunks.
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  };
  const curated = memorySink();
  const json = memorySink();
  const report = createReportWriter({ json, csv: memorySink() }, {});
  try {
    const inspection = await inspectObject(source(), DEFAULT_LIMITS, `x.${format}`);
    const outcome = await processFile(
      source(),
      {
        file: `x.${format}`,
        recordType,
        format,
        org: 'PF-E23000001',
        period: '2026-10',
        uploadId: 'u-property',
        fileSha256: inspection.sha256,
        encoding: inspection.encoding,
        ingestedAt: '2026-11-02T10:00:00.000Z',
        pseudonymKey: TEST_KEY,
        limits: DEFAULT_LIMITS,
      },
      { curated, report },
    );
    await report.finish({});
    const entries = (JSON.parse(json.text()) as { entries: { row: number; severity: string }[] }).entries;
    return {
      kind: 'rows',
      counts: outcome.counts,
      curatedLines: curated
        .text()
        .split('\n')
        .filter((l) => l !== '').length,
      rejectedRows: new Set(entries.filter((e) => e.severity === 'error').map((e) => e.row)).size,
    };
  } catch (error) {
    if (error instanceof FileRejectedError) return { kind: 'file-rejected', code: error.code };
    throw error;
  }
};

/** Every row is accounted for: accepted rows are curated, rejected rows are in the report. */
const assertReconciles = (outcome: Outcome): void => {
  if (outcome.kind === 'file-rejected') {
    expect(outcome.code).toMatch(/^[A-Z_]+$/);
    return;
  }
  const { counts } = outcome;
  expect(counts.rows).toBe(counts.accepted + counts.rejected);
  expect(counts.warnings).toBeLessThanOrEqual(counts.accepted);
  expect(outcome.curatedLines).toBe(counts.accepted);
  expect(outcome.rejectedRows).toBe(counts.rejected);
};

const csvCell = (value: string): string =>
  /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;

/** How a spreadsheet would show a generated value; objects (even one whose `toString` is not a function) as JSON. */
const cellText = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : Array.isArray(value)
      ? value.map(cellText).join(';')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

/** A CSV extract of rows: the header is every column any row uses. */
const toCsv = (rows: Record<string, unknown>[], recordType: RecordType, crlf: boolean): string => {
  const names = EXTRACT_COLUMNS[recordType].map((c) => c.name);
  const used = names.filter(
    (n) =>
      rows.some((r) => r[n] !== undefined) || EXTRACT_COLUMNS[recordType].find((c) => c.name === n)?.required,
  );
  const eol = crlf ? '\r\n' : '\n';
  return (
    [used.join(','), ...rows.map((r) => used.map((n) => csvCell(cellText(r[n]))).join(','))].join(eol) + eol
  );
};

describe('ingest (properties)', () => {
  it('never crashes on arbitrary bytes, and always reconciles or rejects the file with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom('csv' as const, 'jsonl' as const),
        fc.boolean(),
        async (bytes, format, gzip) => {
          assertReconciles(await ingest(gzip ? gzipSync(bytes) : bytes, 'subject', format));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never crashes on arbitrary text after a valid header, and reconciles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const bytes = Buffer.from(`source_record_ref,source_system,roles,sex\n${text}`);
        assertReconciles(await ingest(bytes, 'subject', 'csv'));
      }),
      { numRuns: 300 },
    );
  });

  for (const recordType of RECORD_TYPES) {
    it(`reconciles arbitrary and plausible ${recordType} rows written as CSV and as JSON Lines`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(plausibleRowArb(recordType), arbitraryRowArb(recordType)), { maxLength: 8 }),
          fc.boolean(),
          async (rows, crlf) => {
            const csv = await ingest(Buffer.from(toCsv(rows, recordType, crlf)), recordType, 'csv');
            assertReconciles(csv);
            const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
            assertReconciles(await ingest(Buffer.from(jsonl), recordType, 'jsonl'));
            if (csv.kind === 'rows') expect(csv.counts.rows).toBe(rows.length);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
