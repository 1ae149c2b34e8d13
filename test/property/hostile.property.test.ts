import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDigest } from '../../cli/report-view.ts';
import { renderTable } from '../../cli/table.ts';
import { countTopLevelKeys, duplicateTopLevelKeys } from '../../functions/ingest/json-keys.ts';
import { createUtf8Scan } from '../../functions/ingest/utf8-scan.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import { codePointLength, truncateCodePoints } from '../../schemas/common/text-length.ts';

const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const anyText = fc.string({ unit: 'binary', maxLength: 80 });

describe('hostile input (properties)', () => {
  it('escaped text never holds a control or invisible formatting character', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 2, max: 100 }), (text, max) => {
        expect(visibleText(text)).not.toMatch(INVISIBLE);
        expect(codePointLength(visibleText(text, max))).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });

  it('a rendered table or report digest holds no control character but its line breaks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyText, anyText, anyText), { maxLength: 5 }), (cells) => {
        const entries = cells.map(([field, code, message], i) => ({
          row: i,
          severity: 'error' as const,
          field,
          code,
          message,
        }));
        const digest = renderDigest({
          first: entries,
          total: entries.length,
          byCode: Object.fromEntries(cells.map(([, c]) => [c, 1])),
        });
        const table = renderTable(['a', 'b', 'c'], cells);
        for (const out of [digest, table]) expect(out.replaceAll('\n', '')).not.toMatch(INVISIBLE);
      }),
      { numRuns: 300 },
    );
  });

  it('code-point length and truncation agree with the string iterator', () => {
    fc.assert(
      fc.property(anyText, fc.nat(90), (text, max) => {
        expect(codePointLength(text)).toBe([...text].length);
        const cut = truncateCodePoints(text, max);
        expect(cut).toBe([...text].slice(0, max).join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('the UTF-8 scan agrees with a fatal TextDecoder on arbitrary bytes, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (bytes, size) => {
        const scan = createUtf8Scan(1);
        for (let i = 0; i < bytes.length; i += size) scan.write(bytes.subarray(i, i + size));
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(scan.result(true).firstInvalidLine === undefined).toBe(valid);
      }),
      { numRuns: 1000 },
    );
  });

  it('the key scanner counts the keys JSON.stringify wrote and finds any key written twice', () => {
    fc.assert(
      fc.property(fc.dictionary(anyText, fc.jsonValue(), { maxKeys: 6 }), anyText, (object, extra) => {
        const line = JSON.stringify(object);
        expect(countTopLevelKeys(line)).toBe(Object.keys(object).length);
        expect(duplicateTopLevelKeys(line)).toEqual([]);
        const twice = `{${JSON.stringify(extra)}:1,${line.slice(1, -1)}${line === '{}' ? '' : ','}${JSON.stringify(extra)}:2}`;
        expect(duplicateTopLevelKeys(twice)).toContain(extra);
      }),
      { numRuns: 500 },
    );
  });
});
