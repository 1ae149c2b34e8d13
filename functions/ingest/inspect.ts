import { createHash } from 'node:crypto';
import { FileRejectedError } from '../shared/errors.ts';
import { gunzip, isGzip, peek, startsWith } from './byte-source.ts';
import type { IngestLimits } from './limits.ts';

/** Text encodings ingest accepts: UTF-8 (with or without a byte-order mark) and Windows-1252. */
export type TextEncoding = 'utf-8' | 'windows-1252';

/** What one streaming pass over an uploaded object learns before anything from it is applied. */
export type Inspection = {
  /** sha256 (hex) of the object exactly as uploaded. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly gzip: boolean;
  /** Bytes of content after decompression (equal to sizeBytes when not compressed). */
  readonly contentBytes: number;
  readonly encoding: TextEncoding;
  readonly bom: boolean;
};

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const BINARY_SNIFF_BYTES = 64 * 1024;

/**
 * Reads an object once, as a stream: hashes it, detects gzip by its magic bytes, enforces the size
 * limits (a decompression bomb stops here), rejects binary content (a NUL byte, which no CSV or JSON
 * Lines text holds) and decides the text encoding: UTF-8 when valid throughout, else Windows-1252.
 * Throws `FileRejectedError` for a file that cannot be ingested.
 */
export const inspectObject = async (
  source: AsyncIterable<Uint8Array>,
  limits: IngestLimits,
  file: string,
): Promise<Inspection> => {
  const reject = (code: string, message: string): never => {
    throw new FileRejectedError(code, message, { context: { file } });
  };
  const hash = createHash('sha256');
  let sizeBytes = 0;
  async function* hashed(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      sizeBytes += chunk.length;
      if (sizeBytes > limits.maxFileBytes)
        reject('TOO_LARGE', `The file is larger than ${limits.maxFileBytes} bytes`);
      hash.update(chunk);
      yield chunk;
    }
  }

  const { first, all } = await peek(source);
  const gzip = isGzip(first);
  const content = gzip ? gunzip(hashed(all)) : hashed(all);

  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let contentBytes = 0;
  let bom = false;
  try {
    for await (const chunk of content) {
      if (contentBytes === 0 && chunk.length > 0) bom = startsWith(chunk, UTF8_BOM);
      if (
        contentBytes < BINARY_SNIFF_BYTES &&
        chunk.subarray(0, BINARY_SNIFF_BYTES - contentBytes).includes(0)
      ) {
        reject('BINARY_CONTENT', 'The file holds binary content, not CSV or JSON Lines text');
      }
      contentBytes += chunk.length;
      if (contentBytes > limits.maxDecompressedBytes) {
        reject(
          'TOO_LARGE',
          `The file expands to more than ${limits.maxDecompressedBytes} bytes when decompressed`,
        );
      }
      if (validUtf8) {
        try {
          utf8.decode(chunk, { stream: true });
        } catch {
          validUtf8 = false;
        }
      }
    }
  } catch (error) {
    if (error instanceof FileRejectedError) throw error;
    if (gzip) reject('CORRUPT_GZIP', `The gzip stream is corrupt or truncated: ${(error as Error).message}`);
    throw error;
  }
  if (validUtf8) {
    try {
      utf8.decode();
    } catch {
      validUtf8 = false;
    }
  }
  if (contentBytes === 0 || (bom && contentBytes === UTF8_BOM.length))
    reject('EMPTY_FILE', 'The file is empty');
  return {
    sha256: hash.digest('hex'),
    sizeBytes,
    gzip,
    contentBytes,
    encoding: validUtf8 ? 'utf-8' : 'windows-1252',
    bom,
  };
};
