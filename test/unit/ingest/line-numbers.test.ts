import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRows, readJsonlRows } from '../../../functions/ingest/read-rows.ts';

const HEADER = 'source_record_ref,source_system,roles,notes';

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** Each data row's source reference and the line of the file it starts on. */
const linesOf = async (text: string, size = 64 * 1024): Promise<[string, number | undefined][]> => {
  const out: [string, number | undefined][] = [];
  for await (const batch of readCsvRows(chunks(text, size), 'subject', 'subjects.csv', () => undefined))
    for (const row of batch) out.push([String(row.fields?.source_record_ref ?? row.issue?.code), row.line]);
  return out;
};

describe('the line a row starts on, as the sender (and Excel) counts lines', () => {
  it('is the row number plus one with the header on line 1, and counts blank lines and breaks inside quotes', async () => {
    const text = `${HEADER}\nP-1,NICHE,victim,\n\nP-2,NICHE,victim,"two\nlines"\nP-3,NICHE,victim,x\n`;
    expect(await linesOf(text)).toEqual([
      ['P-1', 2],
      ['P-2', 4],
      ['P-3', 6],
    ]);
  });

  it('is the line the row was written on, whatever the endings, breaks in quotes and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            ending: fc.constantFrom('\r\n', '\n', '\r'),
            breaks: fc.integer({ min: 0, max: 2 }),
            blankAfter: fc.boolean(),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 40 }),
        async (rows, size) => {
          let text = `${HEADER}\n`;
          let line = 2;
          const expected: [string, number][] = [];
          for (const [i, row] of rows.entries()) {
            expected.push([`P-${i}`, line]);
            const note =
              row.breaks === 0 ? 'x' : `"${Array.from({ length: row.breaks + 1 }, () => 'x').join('\n')}"`;
            text += `P-${i},NICHE,victim,${note}${row.ending}`;
            line += 1 + row.breaks;
            if (row.blankAfter) {
              text += row.ending;
              line += 1;
            }
          }
          expect(await linesOf(text, size)).toEqual(expected);
        },
      ),
    );
  });

  it('is the line number for JSON Lines', async () => {
    const text =
      '{"source_record_ref":"P-1","source_system":"N","roles":"victim"}\n\n{"source_record_ref":"P-2","source_system":"N","roles":"victim"}\n';
    const lines: (number | undefined)[] = [];
    for await (const batch of readJsonlRows(chunks(text, 16), 'subject', 'subjects.jsonl', () => undefined))
      for (const row of batch) lines.push(row.line);
    expect(lines).toEqual([1, 3]);
  });
});
