import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, splitLines } from '../../../functions/ingest/text-lines.ts';

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

const collect = async <T>(gen: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
};

describe('splitLines', () => {
  it('splits LF and CRLF lines across chunk boundaries and numbers them', async () => {
    const lines = await collect(splitLines(from(['a\r', '\nb', 'c\n\nd'])));
    expect(lines).toEqual([
      { lineNumber: 1, line: 'a' },
      { lineNumber: 2, line: 'bc' },
      { lineNumber: 3, line: '' },
      { lineNumber: 4, line: 'd' },
    ]);
  });

  it('gives the same lines however the text is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.array(fc.nat(), { maxLength: 5 }), async (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, text.length]
          .slice(1)
          .map((end, i, all) => text.slice(i === 0 ? 0 : all[i - 1], end));
        const whole = await collect(splitLines(from([text])));
        expect(await collect(splitLines(from(chunks)))).toEqual(whole);
      }),
    );
  });
});

describe('decodeUtf8', () => {
  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = Buffer.from('£5 café', 'utf-8');
    const parts = [bytes.subarray(0, 1), bytes.subarray(1, 7), bytes.subarray(7)];
    expect((await collect(decodeUtf8(from(parts)))).join('')).toBe('£5 café');
  });
});
