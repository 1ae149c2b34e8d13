import { describe, expect, it } from 'vitest';
import {
  curatedKey,
  curatedUploadsKey,
  incomingKey,
  PREFIXES,
  parseIncomingKey,
  reportKey,
  uploadStatusKey,
  uploadStatusPrefix,
} from '../../../schemas/index.ts';

describe('object keys', () => {
  it('builds the incoming, report and curated keys of the bucket layout', () => {
    // Assess
    expect(incomingKey('PF-E23000001', '2026-10', 'subjects.csv')).toBe(
      'incoming/PF-E23000001/2026-10/subjects.csv',
    );
    expect(reportKey('NA-NCA', 'u1', 'json')).toBe('reports/NA-NCA/u1.json');
    expect(reportKey('NA-NCA', 'u1', 'csv')).toBe('reports/NA-NCA/u1.csv');
    expect(curatedKey('subject', '2026-10', 'NA-NCA', 'u1')).toBe(
      'curated/record_type=subject/month=2026-10/org=NA-NCA/u1.jsonl.gz',
    );
    expect(curatedUploadsKey('2026-10')).toBe('curated/uploads/month=2026-10/uploads.jsonl.gz');
    expect(uploadStatusKey('NA-NCA', 'u1')).toBe('reports/NA-NCA/uploads/u1.json');
    // Within the organisation's own reports prefix, which its upload role may read and list.
    expect(
      uploadStatusKey('NA-NCA', 'u1').startsWith(reportKey('NA-NCA', '', 'json').slice(0, -'.json'.length)),
    ).toBe(true);
    expect(uploadStatusPrefix('NA-NCA')).toBe('reports/NA-NCA/uploads/');
    expect(uploadStatusPrefix('*')).toBe('reports/*/uploads/');
    expect(Object.values(PREFIXES)).toEqual(['incoming/', 'reports/', 'curated/', 'aggregates/']);
  });

  it('parses a valid incoming key', () => {
    // Assess
    expect(parseIncomingKey('incoming/NA-NCA/2026-10/objects-vehicles.jsonl.gz')).toEqual({
      ok: true,
      org: 'NA-NCA',
      period: '2026-10',
      fileName: 'objects-vehicles.jsonl.gz',
      recordType: 'object',
      format: 'jsonl',
      gzip: true,
    });
  });

  it.each([
    ['incoming/PF-E23000001/subjects.csv', 'KEY_LAYOUT'],
    ['incoming/PF-E23000001/2026-10/extra/subjects.csv', 'KEY_LAYOUT'],
    ['reports/PF-E23000001/2026-10/subjects.csv', 'KEY_LAYOUT'],
    ['incoming/PF-X/2026-10/subjects.csv', 'UNKNOWN_ORG'],
    ['incoming/PF-E23000001/2026-13/subjects.csv', 'BAD_PERIOD'],
    ['incoming/PF-E23000001/October/subjects.csv', 'BAD_PERIOD'],
    ['incoming/PF-E23000001/2026-10/people.xlsx', 'UNKNOWN_FILE_TYPE'],
  ])('refuses %s with %s', (key, code) => {
    // Act
    const parsed = parseIncomingKey(key);

    // Assess
    expect(parsed).toMatchObject({ ok: false, code });
    expect(parsed.ok === false && parsed.message.length).toBeGreaterThan(10);
  });
});
