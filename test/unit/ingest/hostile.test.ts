import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDigest } from '../../../cli/report-view.ts';
import { type ValidationResult, validateFile } from '../../../cli/validate-file.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import type { ReportEntry } from '../../../functions/ingest/report.ts';

// Hostile and awkward files, each run through the chain `msht validate` runs (cli/validate-file.ts:
// inspection, decoding, parsing, normalisation, the report), uploaded by PF-E23000001 for 2026-10.
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'hostile');

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'msht-hostile-'));
});

type Report = { entries: ReportEntry[]; summary: { status: string } };
let runs = 0;

const check = async (
  path: string,
): Promise<{ result: ValidationResult; report: Report; reportBytes: number }> => {
  const reportBase = join(out, `r${runs++}`);
  const result = await validateFile(path, {
    org: 'PF-E23000001',
    period: '2026-10',
    reportBase,
    now: () => '2026-11-02T10:00:00.000Z',
    limits: { ...DEFAULT_LIMITS, maxRejectedShare: 1 },
  });
  const report = JSON.parse(await readFile(`${reportBase}.json`, 'utf8')) as Report;
  return { result, report, reportBytes: (await stat(`${reportBase}.json`)).size };
};

const fixture = (name: string) => check(join(FIXTURES, name));

const generated = async (name: string, bytes: Uint8Array | string) => {
  const path = join(out, name);
  await writeFile(path, bytes);
  return check(path);
};

const rejectedWith = (result: ValidationResult, code: string): string => {
  if (result.kind !== 'file-rejected') throw new Error(`expected ${code}, but the file was read`);
  expect(result.code).toBe(code);
  return result.message;
};

const checked = (result: ValidationResult) => {
  if (result.kind !== 'checked') throw new Error(`rejected as a whole: ${result.code} ${result.message}`);
  return result;
};

/** The codes of each row's issues, by row number. */
const codesByRow = (report: Report): Record<number, string[]> => {
  const byRow: Record<number, string[]> = {};
  for (const e of report.entries) byRow[e.row] = [...(byRow[e.row] ?? []), e.code];
  return byRow;
};

describe('item 2: a classification holding SECRET, TOP SECRET or CONFIDENTIAL anywhere', () => {
  it('rejects it as CLASSIFICATION_TOO_HIGH, and an undocumented descriptor as INVALID_VALUE', async () => {
    const { result, report } = await fixture('subjects-classification-hidden.csv');
    expect(checked(result).outcome.counts).toEqual({ rows: 7, accepted: 2, warnings: 0, rejected: 5 });
    expect(codesByRow(report)).toEqual({
      1: ['CLASSIFICATION_TOO_HIGH'],
      2: ['CLASSIFICATION_TOO_HIGH'],
      3: ['CLASSIFICATION_TOO_HIGH'],
      4: ['CLASSIFICATION_TOO_HIGH'],
      5: ['INVALID_VALUE'],
    });
    expect(report.entries.find((e) => e.row === 5)?.message).toContain('PERSONAL, COMMERCIAL, LOCSEN');
  });
});

describe('item 3: a JSON Lines line naming a field twice', () => {
  it('is rejected as DUPLICATE_FIELD, directly, through a synonym or an escaped key', async () => {
    const { result, report } = await fixture('subjects-duplicate-keys.jsonl');
    // Keys repeated inside a nested value are not the line's fields: line 4 is accepted.
    expect(checked(result).outcome.counts).toEqual({ rows: 5, accepted: 2, warnings: 0, rejected: 3 });
    expect(report.entries.map((e) => [e.row, e.field, e.code])).toEqual([
      [1, 'org', 'DUPLICATE_FIELD'],
      [2, 'org', 'DUPLICATE_FIELD'],
      [3, 'org', 'DUPLICATE_FIELD'],
      [0, 'nested', 'UNKNOWN_COLUMN'],
    ]);
    expect(report.entries[1]?.message).toContain('"org", "force"');
  });
});

describe('item 4: encodings', () => {
  it('rejects UTF-8 text mixed with a Windows-1252 byte as MIXED_ENCODING, naming the bad line', async () => {
    const message = rejectedWith((await fixture('locations-mixed-encoding.csv')).result, 'MIXED_ENCODING');
    expect(message).toContain('line 3');
  });

  it('reads a file with a UTF-8 byte-order mark as UTF-8 always: a stray byte is MIXED_ENCODING', async () => {
    const message = rejectedWith((await fixture('locations-bom-stray-1252.csv')).result, 'MIXED_ENCODING');
    expect(message).toContain('byte-order mark');
    expect(message).toContain('line 2');
  });

  it.each([
    ['locations-utf16le-comma.csv', 'utf-16le', 2],
    ['locations-utf16be-comma.csv', 'utf-16be', 1],
  ])('decodes UTF-16 with a byte-order mark (%s)', async (name, encoding, rows) => {
    const result = checked((await fixture(name)).result);
    expect(result.encoding).toBe(encoding);
    expect(result.outcome.counts).toEqual({ rows, accepted: rows, warnings: 0, rejected: 0 });
  });

  it('says what Excel "Unicode text" (UTF-16, tab-separated) is and how to save it, not "binary content"', async () => {
    const message = rejectedWith(
      (await fixture('locations-excel-unicode-text.csv')).result,
      'MISSING_REQUIRED_COLUMN',
    );
    expect(message).toContain('tab-separated');
    expect(message).toContain('Unicode text');
    expect(message).toContain('CSV UTF-8 (Comma delimited)');
  });
});

describe('item 5: whole-file messages that help', () => {
  it.each([
    ['locations-semicolon.csv', 'semicolon-separated'],
    ['locations-tab.csv', 'tab-separated'],
    ['locations-sep-line.csv', 'The first line is "sep=,"'],
    ['locations-title-row.csv', 'Line 2 looks like the header'],
  ])('%s: MISSING_REQUIRED_COLUMN shows the header read and says "%s"', async (name, hint) => {
    const message = rejectedWith((await fixture(name)).result, 'MISSING_REQUIRED_COLUMN');
    expect(message).toContain('the header read was "');
    expect(message).toContain(hint);
  });

  it('matches a header with a zero-width space pasted into it', async () => {
    const { result } = await fixture('locations-zero-width-header.csv');
    expect(checked(result).outcome.counts).toEqual({ rows: 1, accepted: 1, warnings: 0, rejected: 0 });
  });

  it('rejects a file of blank lines (spaces, tabs, bare commas) as EMPTY_FILE', async () => {
    rejectedWith((await fixture('locations-blank-lines.csv')).result, 'EMPTY_FILE');
  });

  it('rejects a CSV record over 1 MiB as LINE_TOO_LONG', async () => {
    const csv = `source_record_ref,source_system,location_type,town\nL-1,NICHE,RESIDENCE,${'x'.repeat(1_100_000)}\n`;
    rejectedWith((await generated('locations-long.csv', csv)).result, 'LINE_TOO_LONG');
  });

  it('keeps the report small whatever the header: unknown column names and their number are bounded', async () => {
    const huge = 'z'.repeat(500_000);
    const many = Array.from({ length: 5000 }, (_, i) => `extra_${i}`).join(',');
    const csv = `source_record_ref,source_system,location_type,town,${huge},${many}\nL-1,NICHE,RESIDENCE,Leeds${','.repeat(5001)}\n`;
    const { result, report, reportBytes } = await generated('locations-wide.csv', csv);
    expect(checked(result).outcome.counts.accepted).toBe(1);
    expect(reportBytes).toBeLessThan(64 * 1024);
    expect(report.entries.every((e) => [...e.field].length <= 64 && e.message.length <= 1024)).toBe(true);
    expect(report.entries.at(-1)?.message).toContain('4901 more column(s)');
  });
});

describe('item 6: terminal escape sequences in file content', () => {
  it('reach the report as data but never the terminal raw', async () => {
    const { report } = await fixture('locations-escapes.csv');
    expect(report.entries.some((e) => e.message.includes('\u001b[31m'))).toBe(true);
    const rendered = renderDigest({
      first: report.entries,
      total: report.entries.length,
      byCode: { UNKNOWN_COLUMN: 1, INVALID_VALUE: 1 },
    });
    expect(rendered).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(rendered).toContain('\\u{1B}');
  });
});

describe('item 7: values recorded as unknown', () => {
  it('always carry NATIONALITY_UNRECOGNISED when non-blank text is not understood', async () => {
    const { result, report } = await fixture('subjects-unreadable-nationality.csv');
    expect(checked(result).outcome.counts).toEqual({ rows: 7, accepted: 7, warnings: 5, rejected: 0 });
    expect(report.entries.map((e) => [e.row, e.code])).toEqual(
      [1, 2, 3, 4, 5].map((r) => [r, 'NATIONALITY_UNRECOGNISED']),
    );
  });
});

describe('item 8: references, numbers and NUL', () => {
  it('counts characters as code points and rejects bidi and zero-width characters in references', async () => {
    const { result, report } = await fixture('subjects-references.csv');
    expect(checked(result).outcome.counts).toEqual({ rows: 5, accepted: 2, warnings: 0, rejected: 3 });
    expect(codesByRow(report)).toEqual({ 2: ['TOO_LONG'], 3: ['INVALID_FORMAT'], 4: ['INVALID_FORMAT'] });
    expect(report.entries[0]?.message).toContain('65 characters long; the limit is 64');
  });

  it('rejects a JSON number reference beyond 2^53 rather than storing a rounded one', async () => {
    const { result, report } = await fixture('subjects-big-number.jsonl');
    expect(checked(result).outcome.counts).toEqual({ rows: 2, accepted: 1, warnings: 0, rejected: 1 });
    expect(report.entries.map((e) => [e.row, e.field, e.code])).toEqual([
      [1, 'source_record_ref', 'INVALID_VALUE'],
    ]);
  });

  it.each([10, 200_000])(
    'rejects the whole file for a NUL byte at offset about %i, naming its line',
    async (at) => {
      const header = 'source_record_ref,source_system,roles\n';
      const row = 'R-1,NICHE,VICTIM\n';
      const rows = Math.ceil(at / row.length);
      const bytes = Buffer.from(`${header}${row.repeat(rows)}R-\u00002,NICHE,VICTIM\n${row}`);
      const message = rejectedWith(
        (await generated(`subjects-nul-${at}.csv`, bytes)).result,
        'BINARY_CONTENT',
      );
      expect(message).toContain(`line ${rows + 2}`);
    },
  );
});
