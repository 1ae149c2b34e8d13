import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../functions/ingest/limits.ts';
import { processFile } from '../../functions/ingest/process-file.ts';
import { createReportWriter } from '../../functions/ingest/report.ts';
import { memorySink } from '../../functions/ingest/text-sink.ts';
import { unescapeXstring } from '../../functions/ingest/xlsx/sheet.ts';
import { toCsv } from '../../functions/shared/csv.ts';
import { FileRejectedError } from '../../functions/shared/errors.ts';
import type { RecordType } from '../../schemas/index.ts';
import { TEST_KEY } from '../support/pseudonym-key.ts';
import { plausibleRowArb } from './arbitraries.ts';

/**
 * Text both formats hold alike: no line breaks (a CSV record's line would shift), no characters XML
 * cannot carry, nothing exceljs would leave for Excel's `_xHHHH_` escapes.
 */
const portable = (value: unknown): string =>
  [...String(value ?? '')]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff) || code >= 0xfffe ? ' ' : c;
    })
    .join('')
    .replace(/_x/g, '_ x');

const run = async (bytes: Buffer, recordType: RecordType, format: 'csv' | 'xlsx') => {
  const curated = memorySink();
  const json = memorySink();
  const report = createReportWriter({ json, csv: memorySink() }, {});
  try {
    const outcome = await processFile(
      (async function* () {
        yield bytes;
      })(),
      {
        file: `x.${format}`,
        recordType,
        format,
        org: 'PF-E23000001',
        period: '2026-10',
        uploadId: 'u-same',
        fileSha256: 'b'.repeat(64),
        encoding: 'utf-8',
        ingestedAt: '2026-11-02T10:00:00.000Z',
        pseudonymKey: TEST_KEY,
        limits: DEFAULT_LIMITS,
      },
      { curated, report },
    );
    await report.finish({});
    return {
      counts: outcome.counts,
      records: curated.text(),
      entries: (JSON.parse(json.text()) as { entries: unknown }).entries,
    };
  } catch (error) {
    if (error instanceof FileRejectedError) return { rejected: error.code };
    throw error;
  }
};

describe('xlsx reads as CSV does', () => {
  it('the same rows written as CSV and as an exceljs workbook give the same records and report', async () => {
    const recordTypes: RecordType[] = ['subject', 'operation', 'object', 'location'];
    // The property is only worth something if rows are read and accepted: counted across runs.
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...recordTypes)
          .chain((type) =>
            fc.tuple(fc.constant(type), fc.array(plausibleRowArb(type), { minLength: 1, maxLength: 6 })),
          ),
        async ([recordType, generated]) => {
          const rows = generated
            .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, portable(v)])))
            // A row of empty cells only is a blank row in a sheet, a row of empty fields in CSV.
            .filter((row) => Object.values(row).some((v) => v.trim() !== ''));
          fc.pre(rows.length > 0);
          const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
          const cells = rows.map((row) => header.map((h) => row[h] ?? ''));
          const csv = Buffer.from(toCsv([header, ...cells], '\n'));
          const book = new ExcelJS.Workbook();
          const sheet = book.addWorksheet(`${recordType}s`);
          for (const values of [header, ...cells]) sheet.addRow(values);
          const xlsx = Buffer.from(await book.xlsx.writeBuffer());
          const [fromCsv, fromXlsx] = [
            await run(csv, recordType, 'csv'),
            await run(xlsx, recordType, 'xlsx'),
          ];
          expect(fromXlsx).toEqual(fromCsv);
          accepted += 'counts' in fromCsv ? (fromCsv.counts?.accepted ?? 0) : 0;
        },
      ),
      { numRuns: 40 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it("decodes Excel's _xHHHH_ escapes", () => {
    expect(unescapeXstring('a_x000D_b_x005F_x0041_')).toBe('a\rb_x0041_');
  });
});

describe('a damaged workbook', () => {
  it('is read or rejected with a FileRejectedError, never another error, whatever bytes are changed', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('subjects');
    sheet.addRow(['source_record_ref', 'source_system', 'roles', 'date_of_birth']);
    for (let i = 0; i < 20; i++)
      sheet.addRow([`P-${i}`, 'NICHE', 'victim', new Date(Date.UTC(1990, 0, 1 + i))]);
    const original = Buffer.from(await book.xlsx.writeBuffer());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat({ max: original.length }), { nil: undefined }),
        async (changes, cut) => {
          const damaged = Buffer.from(original.subarray(0, cut ?? original.length));
          for (const [at, byte] of changes) if (at < damaged.length) damaged[at] = byte;
          const got = await run(damaged, 'subject', 'xlsx');
          expect(got).toBeDefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});
