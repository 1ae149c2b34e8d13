import { describe, expect, it } from 'vitest';
import { headerHint, shownHeader } from '../../../functions/ingest/header-hint.ts';
import { inspectObject } from '../../../functions/ingest/inspect.ts';
import { countTopLevelKeys, duplicateTopLevelKeys } from '../../../functions/ingest/json-keys.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import { truncateValue } from '../../../functions/ingest/report.ts';
import { countLf, createUtf8Scan, openSequence } from '../../../functions/ingest/utf8-scan.ts';
import { FileRejectedError } from '../../../functions/shared/errors.ts';
import { visibleText } from '../../../functions/shared/visible-text.ts';

async function* chunks(bytes: Buffer, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const inspect = async (bytes: Buffer, size = 7) => {
  try {
    return await inspectObject(chunks(bytes, size), DEFAULT_LIMITS, 'f.csv');
  } catch (error) {
    if (error instanceof FileRejectedError) return { code: error.code, message: error.message };
    throw error;
  }
};

describe('json-keys', () => {
  it('counts the keys of the top-level object only, as written', () => {
    expect(countTopLevelKeys('{"a":1,"b":{"a":1,"a":2},"c":["x","y"]}')).toBe(3);
    expect(countTopLevelKeys('{"a":1,"a":2}')).toBe(2);
    expect(countTopLevelKeys('{ "a\\"," : "b\\\\", "c" :[{"d":"}"}] }')).toBe(2);
    expect(countTopLevelKeys('{}')).toBe(0);
  });

  it('names duplicates with their escapes decoded', () => {
    expect(duplicateTopLevelKeys('{"org":1,"o\\u0072g":2,"x":{"y":1,"y":2},"x":3}')).toEqual(['org', 'x']);
  });
});

describe('utf8-scan', () => {
  it('tells valid multi-byte UTF-8 from invalid bytes and names the line of the first bad byte', () => {
    const scan = createUtf8Scan(1);
    scan.write(Buffer.from('a\nZürich\n'));
    expect(scan.result()).toEqual({ sawMultibyte: true });
    scan.write(Buffer.from([0x41, 0xe9, 0x0a]));
    expect(scan.result()).toEqual({ sawMultibyte: true, firstInvalidLine: 3 });
  });

  it('rejects overlong forms, surrogates and a sequence left open at the end', () => {
    for (const bytes of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const scan = createUtf8Scan(1);
      scan.write(Uint8Array.from(bytes));
      expect(scan.result().firstInvalidLine).toBe(1);
    }
    const open = createUtf8Scan(5);
    open.write(Uint8Array.from([0xe2, 0x82]));
    expect(open.result()).toEqual({ sawMultibyte: false });
    expect(open.result(true)).toEqual({ sawMultibyte: false, firstInvalidLine: 5 });
  });

  it('finds the open sequence a decoder holds back, and counts LF bytes', () => {
    expect([...openSequence(Uint8Array.from([0x61, 0xe2, 0x82]))]).toEqual([0xe2, 0x82]);
    expect([...openSequence(Uint8Array.from([0xe2, 0x82, 0xac]))]).toEqual([]);
    expect(countLf(Buffer.from('a\nb\nc'), 3)).toBe(1);
  });
});

describe('inspectObject: encodings and NUL', () => {
  it('detects UTF-16 LE and BE by their byte-order marks', async () => {
    expect(await inspect(Buffer.from('\ufeffa,b\n', 'utf16le'))).toMatchObject({
      encoding: 'utf-16le',
      bom: true,
    });
    const be = Buffer.from('\ufeffa,b\n', 'utf16le').swap16();
    expect(await inspect(be)).toMatchObject({ encoding: 'utf-16be', bom: true });
  });

  it('rejects a NUL character in UTF-16 and a UTF-16 file cut in half a character', async () => {
    expect(await inspect(Buffer.from('\ufeffa\n\u0000', 'utf16le'))).toMatchObject({
      code: 'BINARY_CONTENT',
      message: expect.stringContaining('line 2'),
    });
    expect(
      await inspect(Buffer.concat([Buffer.from('\ufeffab', 'utf16le'), Buffer.from([0x41])])),
    ).toMatchObject({
      code: 'MIXED_ENCODING',
    });
  });

  it('keeps a pure Windows-1252 file Windows-1252, and finds mixing whichever comes first', async () => {
    expect(await inspect(Buffer.from([0x61, 0x0a, 0xe9, 0x0a, 0xa3]))).toMatchObject({
      encoding: 'windows-1252',
    });
    const utf8First = Buffer.concat([Buffer.from('é\nx\n'), Buffer.from([0xe9])]);
    const cp1252First = Buffer.concat([Buffer.from([0xe9, 0x0a]), Buffer.from('x\né')]);
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(await inspect(utf8First, size)).toMatchObject({
        code: 'MIXED_ENCODING',
        message: expect.stringContaining('line 3'),
      });
      expect(await inspect(cp1252First, size)).toMatchObject({
        code: 'MIXED_ENCODING',
        message: expect.stringContaining('line 1'),
      });
    }
  });

  it('finds a UTF-8 sequence split across chunks whose second half is bad', async () => {
    // "é" starts (C3) at the end of one chunk; the next chunk brings a byte that cannot continue it.
    const bytes = Buffer.from([0x61, 0xc3, 0xa9, 0x0a, 0xc3, 0x41]);
    for (const size of [1, 2, 5]) {
      expect(await inspect(bytes, size)).toMatchObject({
        code: 'MIXED_ENCODING',
        message: expect.stringContaining('line 2'),
      });
    }
  });
});

describe('header hints', () => {
  it('shows the header as read, clipped, with only column names in it (a headerless file has a data row there)', () => {
    expect(shownHeader(['source_record_ref', 'John Smith', 'roles;sex', ''])).toBe(
      '"source_record_ref,?,roles;sex," (? = not a column name, not shown)',
    );
    expect(shownHeader(['P-1', 'NICHE', 'potential victim', '14/03/2009'])).not.toMatch(/P-1|NICHE|2009/);
    expect([...shownHeader(Array.from({ length: 40 }, () => 'source_record_ref'))].length).toBe(202);
  });

  it('says nothing when the header is only missing a column', () => {
    expect(headerHint(['source_record_ref', 'roles'])).toBe('');
  });
});

describe('report clipping', () => {
  it('cuts values to 64 code points without splitting an emoji', () => {
    const cut = truncateValue('😀'.repeat(100)) ?? '';
    expect([...cut]).toHaveLength(64);
    expect(cut.isWellFormed()).toBe(true);
  });

  it('escapes control and invisible characters for display', () => {
    expect(visibleText('\u001b]0;x\u0007\u202e')).toBe('\\u{1B}]0;x\\u{7}\\u{202E}');
  });
});
