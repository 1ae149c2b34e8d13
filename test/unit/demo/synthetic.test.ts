import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { generateExtracts, type SyntheticExtract } from '../../../cli/demo/synthetic.ts';
import {
  type CanonicalRecord,
  type IsoMonth,
  incomingKey,
  type OrgCode,
  parseIncomingKey,
} from '../../../schemas/index.ts';
import { resolveHeaders } from '../../../schemas/normalise/headers.ts';
import { normaliseRow } from '../../../schemas/normalise/normalise-row.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

const ORGS: OrgCode[] = ['PF-E23000001', 'PF-W15000003', 'NA-NCA'];
const MONTHS: IsoMonth[] = ['2026-09', '2026-10'];

/** Decodes a file as ingest does: gunzip, UTF-8 when valid (BOM dropped), else Windows-1252. */
const decode = (file: SyntheticExtract): { text: string; encoding: 'utf-8' | 'windows-1252' } => {
  const bytes = file.fileName.endsWith('.gz') ? gunzipSync(file.body) : file.body;
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
      encoding: 'utf-8',
    };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
};

/** Reads every data row of a file, keyed by canonical column names (as the ingest readers do). */
const readRows = (file: SyntheticExtract): Record<string, unknown>[] => {
  const key = parseIncomingKey(incomingKey(file.org, file.period, file.fileName));
  if (!key.ok) throw new Error(key.message);
  const { text } = decode(file);
  if (key.format === 'jsonl') {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const value = JSON.parse(line) as Record<string, unknown>;
        const keys = Object.keys(value);
        const { columns } = resolveHeaders(key.recordType, keys);
        return Object.fromEntries(keys.flatMap((k, i) => (columns[i] ? [[columns[i], value[k]]] : [])));
      });
  }
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy' });
  const [header = [], ...rows] = parsed.data;
  const { columns, missingRequired, duplicates } = resolveHeaders(key.recordType, header);
  expect(missingRequired).toEqual([]);
  expect(duplicates).toEqual([]);
  return rows.map((cells) => {
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(cells.flatMap((cell, i) => (columns[i] ? [[columns[i], cell]] : [])));
  });
};

const normaliseFile = (file: SyntheticExtract) => {
  const key = parseIncomingKey(incomingKey(file.org, file.period, file.fileName));
  if (!key.ok) throw new Error(key.message);
  return readRows(file).map((row, i) =>
    normaliseRow(key.recordType, row, {
      org: file.org,
      period: file.period,
      uploadId: `u-${file.fileName}`,
      fileSha256: 'f'.repeat(64),
      rowNumber: i + 1,
      ingestedAt: '2026-11-20T12:00:00.000Z',
      pseudonymKey: TEST_KEY,
    }),
  );
};

describe('generateExtracts', () => {
  const files = generateExtracts({ seed: 2026, orgs: ORGS, months: MONTHS, rowsPerFile: 24 });

  it('produces four files per organisation and month, all under valid incoming keys', () => {
    // Assess
    expect(files).toHaveLength(ORGS.length * MONTHS.length * 4);
    for (const file of files)
      expect(parseIncomingKey(incomingKey(file.org, file.period, file.fileName)).ok).toBe(true);
  });

  it('states exactly how many rows each file has and how many normaliseRow rejects', () => {
    // Act
    const mismatches = files.flatMap((file) => {
      const outcomes = normaliseFile(file);
      const rejected = outcomes.filter((o) => o.status === 'REJECTED').length;
      return outcomes.length === file.expected.rows && rejected === file.expected.rejected
        ? []
        : [
            {
              file: `${file.org}/${file.period}/${file.fileName}`,
              rows: outcomes.length,
              rejected,
              expected: file.expected,
            },
          ];
    });

    // Assess
    expect(mismatches).toEqual([]);
    expect(files.every((f) => f.expected.rejected > 0)).toBe(true);
  });

  it('mixes formats: CSV and JSON Lines, gzip, CRLF, BOM, header synonyms and Windows-1252', () => {
    // Prepare
    const decoded = files.map((f) => ({ f, ...decode(f) }));

    // Assess
    expect(files.some((f) => f.fileName.endsWith('.csv'))).toBe(true);
    expect(files.some((f) => f.fileName.endsWith('.jsonl'))).toBe(true);
    expect(files.some((f) => f.fileName.endsWith('.gz'))).toBe(true);
    expect(decoded.some((d) => d.text.includes('\r\n'))).toBe(true);
    expect(decoded.some((d) => d.text.startsWith('\uFEFF'))).toBe(true);
    expect(decoded.some((d) => d.encoding === 'windows-1252')).toBe(true);
    expect(decoded.some((d) => d.text.startsWith('Record Ref,SYSTEM'))).toBe(true);
    expect(decoded.some((d) => /"[^"]*,[^"]*\n[^"]*"/.test(d.text))).toBe(true);
  });

  it('round-trips non-ASCII text from a Windows-1252 file into the canonical record', () => {
    // Prepare
    const file = files.find((f) => decode(f).encoding === 'windows-1252');
    if (!file) throw new Error('no Windows-1252 file generated');

    // Act
    const records = normaliseFile(file).flatMap((o) =>
      o.status === 'REJECTED' ? [] : [o.record as CanonicalRecord],
    );

    // Assess
    expect(records.some((r) => r.recordType === 'location' && r.town === 'Sainte-Mère-Église')).toBe(true);
  });

  it('is deterministic for a seed and varies with the seed', () => {
    // Act
    const again = generateExtracts({ seed: 2026, orgs: ORGS, months: MONTHS, rowsPerFile: 24 });
    const other = generateExtracts({ seed: 7, orgs: ORGS, months: MONTHS, rowsPerFile: 24 });

    // Assess
    expect(again.map((f) => f.body.toString('base64'))).toEqual(files.map((f) => f.body.toString('base64')));
    expect(other.map((f) => f.body.toString('base64'))).not.toEqual(
      files.map((f) => f.body.toString('base64')),
    );
  });

  it('holds no real-person fields: no name columns in any header', () => {
    // Assess
    for (const file of files)
      expect(decode(file).text.toLowerCase()).not.toMatch(/surname|forename|first_name|full_name/);
  });

  it('handles tiny files (fewer than 4 rows) without invalid rows', () => {
    // Act
    const tiny = generateExtracts({ seed: 1, orgs: ['NA-NCA'], months: ['2026-10'], rowsPerFile: 2 });

    // Assess
    for (const file of tiny) {
      expect(file.expected).toEqual({ rows: 2, rejected: 0 });
      expect(normaliseFile(file).every((o) => o.status !== 'REJECTED')).toBe(true);
    }
  });
});
