import { createHash } from 'node:crypto';
import type { ExtractFormat } from '../../schemas/record-types.ts';
import { FileRejectedError } from '../shared/errors.ts';
import { atLeast, gunzip, isGzip, peek, startsWith } from './byte-source.ts';
import type { IngestLimits } from './limits.ts';
import { countLf, createUtf8Scan, openSequence } from './utf8-scan.ts';
import { workbookProblem } from './xlsx/sniff.ts';

/**
 * Text encodings ingest accepts: UTF-8 (with or without a byte-order mark), Windows-1252, and UTF-16
 * with a byte-order mark (Excel's "Unicode text").
 */
export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** What one streaming pass over an uploaded object learns before anything from it is applied. */
export type Inspection = {
  /** sha256 (hex) of the object exactly as uploaded. */
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly gzip: boolean;
  /** Bytes of content after decompression (equal to sizeBytes when not compressed). */
  readonly contentBytes: number;
  readonly encoding: TextEncoding;
  /** Whether the content starts with a byte-order mark (UTF-8 or UTF-16). */
  readonly bom: boolean;
};

const BOMS: readonly { bytes: readonly number[]; encoding: TextEncoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];
/** The first bytes of a workbook looked at, to tell a zip from an encrypted workbook or text. */
const WORKBOOK_HEAD_BYTES = 4096;
const SAVE_AS_UTF8 = 'save the whole file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)")';

/**
 * Reads an object once, as a stream: hashes it, detects gzip by its magic bytes, enforces the size
 * limits (a decompression bomb stops here), rejects binary content (a NUL byte anywhere, which no CSV
 * or JSON Lines text holds) and decides the text encoding: a byte-order mark says UTF-8 or UTF-16;
 * without one, UTF-8 when valid throughout, Windows-1252 when the file holds no valid UTF-8 multi-byte
 * sequence at all, and `MIXED_ENCODING` when it holds both UTF-8 text and bytes that are not UTF-8
 * (re-reading it as Windows-1252 would turn its UTF-8 text into mojibake). Throws `FileRejectedError`
 * for a file that cannot be ingested. A workbook (`format` xlsx) is binary by nature: it is hashed and its
 * size checked, and its first bytes must be a zip archive (inspectWorkbook); its parts are checked as
 * they are read (xlsx/).
 */
export const inspectObject = async (
  source: AsyncIterable<Uint8Array>,
  limits: IngestLimits,
  file: string,
  format?: ExtractFormat,
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

  if (format === 'xlsx') {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let checked = false;
    const check = (): void => {
      checked = true;
      const problem = workbookProblem(Buffer.concat(head));
      if (problem) reject(problem.code, problem.message);
    };
    for await (const chunk of hashed(source)) {
      if (checked) continue;
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= WORKBOOK_HEAD_BYTES) check();
    }
    if (!checked) check();
    return {
      sha256: hash.digest('hex'),
      sizeBytes,
      gzip: false,
      contentBytes: sizeBytes,
      encoding: 'utf-8',
      bom: false,
    };
  }

  const { first, all } = await peek(source);
  const gzip = isGzip(first);
  // The first chunk holds at least 3 bytes (unless the file is shorter), so that a BOM is seen whole.
  const content = atLeast(gzip ? gunzip(hashed(all)) : hashed(all), 3);

  const binary = (line: number): never =>
    reject(
      'BINARY_CONTENT',
      `The file holds binary content (a NUL byte, line ${line}), not CSV or JSON Lines text; export it as CSV text`,
    );
  let contentBytes = 0;
  let bomLength = 0;
  let encoding: TextEncoding | undefined;
  let lines = 1;
  let check: ((chunk: Uint8Array) => void) | undefined;
  let finish: (() => TextEncoding) | undefined;

  /** UTF-16 (BOM): decoded here, so that a NUL character and invalid UTF-16 are found. */
  const utf16 = (name: 'utf-16le' | 'utf-16be'): void => {
    const decoder = new TextDecoder(name, { fatal: true });
    const take = (text: string): void => {
      const nul = text.indexOf('\u0000');
      if (nul !== -1) binary(lines + newlines(text, nul));
      lines += newlines(text, text.length);
    };
    const bad = (): never =>
      reject(
        'MIXED_ENCODING',
        `The file starts with a UTF-16 byte-order mark but is not valid UTF-16 after line ${lines}; ${SAVE_AS_UTF8}`,
      );
    const decode = (chunk?: Uint8Array): string => {
      try {
        return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      } catch {
        return bad();
      }
    };
    check = (chunk) => take(decode(chunk));
    finish = () => {
      take(decode());
      return name;
    };
  };

  /** UTF-8 or Windows-1252: native validation while valid, a byte scan once it is not. */
  const eightBit = (bom: boolean): void => {
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let sawMultibyte = bom;
    let scan: ReturnType<typeof createUtf8Scan> | undefined;
    let tail: Uint8Array = new Uint8Array(0);
    const mixed = (line: number): never =>
      reject(
        'MIXED_ENCODING',
        `${bom ? 'The file starts with a UTF-8 byte-order mark' : 'The file holds UTF-8 text'}, but line ${line} has bytes that are not valid UTF-8 (text in another encoding, such as Windows-1252, pasted in); ${SAVE_AS_UTF8}`,
      );
    // Bytes given to the decoder and UTF-16 units it returned: ASCII gives one unit a byte and every
    // multi-byte sequence fewer units than bytes, so fewer units means UTF-8 text was seen.
    let decodedBytes = 0;
    let decodedChars = 0;
    /** The byte scan takes over from the decoder, starting with any sequence the decoder held back. */
    const takeOver = (): ReturnType<typeof createUtf8Scan> => {
      const open = openSequence(tail);
      if (decodedChars < decodedBytes - (bom ? 3 : 0) - open.length) sawMultibyte = true;
      const taken = createUtf8Scan(lines);
      taken.write(open);
      return taken;
    };
    const judge = (end: boolean): void => {
      const result = scan?.result(end);
      if (result?.firstInvalidLine !== undefined && (sawMultibyte || result.sawMultibyte)) {
        mixed(result.firstInvalidLine);
      }
    };
    check = (chunk) => {
      const nul = chunk.indexOf(0);
      if (nul !== -1) binary(lines + countLf(chunk, nul));
      if (!scan) {
        try {
          decodedChars += utf8.decode(chunk, { stream: true }).length;
        } catch {
          // Not UTF-8 from here: scan this chunk (with any sequence the decoder held back) and the rest.
          scan = takeOver();
          scan.write(chunk);
          judge(false);
        }
        if (!scan) {
          decodedBytes += chunk.length;
          tail = chunk.subarray(Math.max(0, chunk.length - 3));
        }
      } else {
        scan.write(chunk);
        judge(false);
      }
      lines += countLf(chunk);
    };
    finish = () => {
      if (!scan) {
        try {
          utf8.decode();
          return 'utf-8';
        } catch {
          scan = takeOver();
        }
      }
      judge(true);
      return 'windows-1252';
    };
  };

  try {
    for await (const chunk of content) {
      if (encoding === undefined && chunk.length > 0) {
        const bom = BOMS.find((b) => startsWith(chunk, b.bytes));
        encoding = bom?.encoding ?? 'utf-8';
        bomLength = bom?.bytes.length ?? 0;
        if (encoding === 'utf-16le' || encoding === 'utf-16be') utf16(encoding);
        else eightBit(bom !== undefined);
      }
      contentBytes += chunk.length;
      if (contentBytes > limits.maxDecompressedBytes) {
        reject(
          'TOO_LARGE',
          `The file expands to more than ${limits.maxDecompressedBytes} bytes when decompressed`,
        );
      }
      check?.(chunk);
    }
  } catch (error) {
    if (error instanceof FileRejectedError) throw error;
    // zlib's own message is not passed on: only our wording reaches the report and the status object.
    if (gzip) reject('CORRUPT_GZIP', 'The gzip stream is corrupt or truncated');
    throw error;
  }
  if (contentBytes === bomLength) reject('EMPTY_FILE', 'The file is empty');
  const decided = finish?.() ?? 'utf-8';
  return {
    sha256: hash.digest('hex'),
    sizeBytes,
    gzip,
    contentBytes,
    encoding: decided,
    bom: bomLength > 0,
  };
};

/** How many LF characters `text` holds before `end`. */
const newlines = (text: string, end: number): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
};
