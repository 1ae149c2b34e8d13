import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRows } from '../../../functions/ingest/read-rows.ts';

const HEADER = 'source_record_ref,source_system,roles';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** The data rows read from a CSV text, as their source references. */
const refsOf = async (text: string, size = 64 * 1024): Promise<string[]> => {
  const refs: string[] = [];
  for await (const batch of readCsvRows(chunks(text, size), 'subject', 'subjects.csv', () => undefined)) {
    for (const row of batch) refs.push(String(row.fields?.source_record_ref ?? row.issue?.code));
  }
  return refs;
};

describe('CSV line endings', () => {
  it('reads every row of a file with a CRLF header and LF rows', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `P-${i},NICHE,victim`);
    expect(await refsOf(`${HEADER}\r\n${rows.join('\n')}\n`)).toHaveLength(1000);
  });

  it('reads CR-only files (classic Mac) and LF-header, CRLF-rows files', async () => {
    expect(await refsOf(`${HEADER}\rP-1,NICHE,victim\rP-2,NICHE,victim\r`)).toEqual(['P-1', 'P-2']);
    expect(await refsOf(`${HEADER}\nP-1,NICHE,victim\r\nP-2,NICHE,victim\r\n`)).toEqual(['P-1', 'P-2']);
  });

  it('keeps a line break inside a quoted field, whatever the ending', async () => {
    const text = `${HEADER},notes\r\nP-1,NICHE,victim,"one\r\ntwo"\nP-2,NICHE,victim,"a\rb"\n`;
    expect(await refsOf(text)).toEqual(['P-1', 'P-2']);
  });

  it('reads the same rows whatever ending each line has and however the text is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('\r\n', '\n', '\r'), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 50 }),
        async (endings, size) => {
          const lines = [HEADER, ...endings.slice(1).map((_, i) => `P-${i},NICHE,victim`)];
          const text = lines.map((line, i) => `${line}${endings[i]}`).join('');
          expect(await refsOf(text, size)).toEqual(lines.slice(1).map((_, i) => `P-${i}`));
        },
      ),
      { numRuns: 100 },
    );
  });
});
