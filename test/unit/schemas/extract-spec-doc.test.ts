import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { EXTRACT_COLUMNS, parseIncomingKey, RECORD_TYPES, renderSpecTables } from '../../../schemas/index.ts';
import { FILE_REJECTION_CODES, REJECTION_CODES, WARNING_CODES } from '../../../schemas/normalise/codes.ts';
import { resolveHeaders } from '../../../schemas/normalise/headers.ts';
import { normaliseRow } from '../../../schemas/normalise/normalise-row.ts';
import { CTX } from './fixtures.ts';

const doc = readFileSync(join(import.meta.dirname, '../../../docs/extract-spec.md'), 'utf8');

describe('docs/extract-spec.md', () => {
  it('holds the current generated tables (run node schemas/generate-extract-spec.ts after changing a column)', () => {
    // Assess
    expect(
      doc.includes(renderSpecTables()),
      'extract-spec.md drift: run node schemas/generate-extract-spec.ts',
    ).toBe(true);
  });

  it('mentions every column of every record type and every rejection, warning and file code', () => {
    // Assess
    for (const type of RECORD_TYPES)
      for (const column of EXTRACT_COLUMNS[type]) expect(doc).toContain(`\`${column.name}\``);
    for (const code of Object.keys({ ...REJECTION_CODES, ...WARNING_CODES, ...FILE_REJECTION_CODES }))
      expect(doc).toContain(`\`${code}\``);
  });

  it('gives examples that are accepted as they stand', () => {
    // Prepare
    const examples = [...doc.matchAll(/`(incoming\/[^`]+)`:\n\n```(csv|json)\n([\s\S]*?)```/g)];

    // Act
    const outcomes = examples.flatMap(([, key = '', , body = '']) => {
      const parsed = parseIncomingKey(key);
      if (!parsed.ok) throw new Error(parsed.message);
      const rows: Record<string, unknown>[] =
        parsed.format === 'jsonl'
          ? body
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as Record<string, unknown>)
          : (() => {
              const [header = [], ...cells] = Papa.parse<string[]>(body.trim(), {
                skipEmptyLines: true,
              }).data;
              const { columns } = resolveHeaders(parsed.recordType, header);
              return cells.map((r) => Object.fromEntries(r.map((v, i) => [columns[i] ?? `?${i}`, v])));
            })();
      return rows.map((row) => normaliseRow(parsed.recordType, row, CTX));
    });

    // Assess
    expect(examples.length).toBe(4);
    expect(outcomes.filter((o) => o.status === 'REJECTED')).toEqual([]);
  });
});
