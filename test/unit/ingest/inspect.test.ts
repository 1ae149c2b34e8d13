import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../functions/ingest/decode.ts';
import { inspectObject } from '../../../functions/ingest/inspect.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import { FileRejectedError } from '../../../functions/shared/errors.ts';

async function* chunks(bytes: Buffer, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const text = async (bytes: Buffer, encoding: 'utf-8' | 'windows-1252'): Promise<string> => {
  let out = '';
  for await (const t of decodeText(chunks(bytes), encoding)) out += t;
  return out;
};

const rejection = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FileRejectedError) return error.code;
    throw error;
  }
  throw new Error('expected a FileRejectedError');
};

describe('inspectObject', () => {
  it('hashes the bytes as uploaded and detects UTF-8 with a BOM', async () => {
    const body = Buffer.from('\uFEFFref,sex\r\nA1,F\r\n', 'utf-8');
    const result = await inspectObject(chunks(body), DEFAULT_LIMITS, 'f.csv');
    expect(result).toEqual({
      sha256: createHash('sha256').update(body).digest('hex'),
      sizeBytes: body.length,
      gzip: false,
      contentBytes: body.length,
      encoding: 'utf-8',
      bom: true,
    });
    expect(await text(body, 'utf-8')).toBe('ref,sex\r\nA1,F\r\n');
  });

  it('detects Windows-1252 text and decodes it', async () => {
    const body = Buffer.from([
      0x74, 0x6f, 0x77, 0x6e, 0x0a, 0x53, 0x61, 0x69, 0x6e, 0x74, 0x65, 0x2d, 0x4d, 0xe8, 0x72, 0x65, 0x20,
      0xa3, 0x35,
    ]);
    const result = await inspectObject(chunks(body), DEFAULT_LIMITS, 'f.csv');
    expect(result.encoding).toBe('windows-1252');
    expect(await text(body, 'windows-1252')).toBe('town\nSainte-Mère £5');
  });

  it('detects gzip by its magic bytes and measures the content', async () => {
    const content = Buffer.from('a,b\n1,2\n'.repeat(1000));
    const body = gzipSync(content);
    const result = await inspectObject(chunks(body, 100), DEFAULT_LIMITS, 'f.csv.gz');
    expect(result.gzip).toBe(true);
    expect(result.contentBytes).toBe(content.length);
    expect(result.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await text(body, 'utf-8')).toBe(content.toString());
  });

  it('stops a decompression bomb at the content limit', async () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x61));
    const limits = { ...DEFAULT_LIMITS, maxDecompressedBytes: 1_000_000 };
    expect(await rejection(inspectObject(chunks(bomb, 1000), limits, 'bomb.csv.gz'))).toBe('TOO_LARGE');
  });

  it('rejects a file over the size limit', async () => {
    const limits = { ...DEFAULT_LIMITS, maxFileBytes: 10 };
    expect(await rejection(inspectObject(chunks(Buffer.from('a'.repeat(50))), limits, 'f.csv'))).toBe(
      'TOO_LARGE',
    );
  });

  it('rejects binary content, empty files and corrupt gzip', async () => {
    expect(
      await rejection(inspectObject(chunks(Buffer.from('PK\x03\x04\x00\x00rest')), DEFAULT_LIMITS, 'x.csv')),
    ).toBe('BINARY_CONTENT');
    expect(await rejection(inspectObject(chunks(Buffer.alloc(0)), DEFAULT_LIMITS, 'x.csv'))).toBe(
      'EMPTY_FILE',
    );
    expect(
      await rejection(inspectObject(chunks(Buffer.from([0xef, 0xbb, 0xbf])), DEFAULT_LIMITS, 'x.csv')),
    ).toBe('EMPTY_FILE');
    const truncated = gzipSync(Buffer.from('a,b\n'.repeat(500))).subarray(0, 30);
    expect(await rejection(inspectObject(chunks(truncated), DEFAULT_LIMITS, 'x.csv.gz'))).toBe(
      'CORRUPT_GZIP',
    );
  });
});
