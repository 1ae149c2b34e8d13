import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { FileRejectedError } from '../../shared/errors.ts';
import { XLSX_LIMITS } from './xlsx-limits.ts';

/**
 * A workbook's zip archive, opened for random access: the object is spooled to a temporary file (the
 * central directory is at the end of a zip, and Excel writes the sheets before the shared strings they
 * refer to), then read with yauzl, which checks every entry's local header against the central
 * directory and that an entry never inflates to more than it declares.
 */
export type WorkbookZip = {
  /** The entry of a part, by its name (case-insensitive, as OPC part names are), if the archive has it. */
  readonly has: (name: string) => boolean;
  /** The names of every entry. */
  readonly names: readonly string[];
  /** The inflated bytes of one part, counted against the archive's limits as they come. */
  readonly read: (name: string) => AsyncIterable<Uint8Array>;
  readonly close: () => Promise<void>;
};

export type ZipLimits = { readonly maxDecompressedBytes: number };

/** Spools a byte stream to a file of its own in a fresh temporary folder; `remove` deletes both. */
export const spool = async (
  bytes: AsyncIterable<Uint8Array>,
): Promise<{ path: string; remove: () => Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'msht-xlsx-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, 'workbook.xlsx');
  try {
    await pipeline(bytes, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
};

/**
 * Opens a spooled workbook. Rejects (`FileRejectedError`) an archive yauzl cannot read (`CORRUPT_XLSX`),
 * one with more entries than a workbook has or whose entries declare more than maxDecompressedBytes in
 * all (`ZIP_BOMB`), and encrypted entries (`ENCRYPTED_WORKBOOK`).
 */
export const openWorkbookZip = async (
  path: string,
  file: string,
  limits: ZipLimits,
): Promise<WorkbookZip> => {
  const reject = (code: string, message: string): never => {
    throw new FileRejectedError(code, message, { context: { file } });
  };
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, {
      autoClose: false,
      strictFileNames: false,
      validateEntrySizes: true,
    });
  } catch {
    // yauzl's own message is not passed on: only our wording reaches the report.
    return reject(
      'NOT_XLSX',
      'The file is named .xlsx but is not a readable Excel workbook (its zip directory is missing or corrupt); save it again from Excel as "Excel Workbook (.xlsx)"',
    );
  }
  const close = async (): Promise<void> => {
    if (zip.isOpen) zip.close();
  };
  try {
    if (zip.entryCount > XLSX_LIMITS.maxEntries) {
      reject(
        'ZIP_BOMB',
        `The workbook's zip holds ${zip.entryCount} entries, more than the ${XLSX_LIMITS.maxEntries} a workbook needs; save the data as a plain workbook or as CSV`,
      );
    }
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limits.maxDecompressedBytes) {
        reject(
          'TOO_LARGE',
          `The workbook's parts expand to more than ${limits.maxDecompressedBytes} bytes; split the data into several files`,
        );
      }
      if (entry.isEncrypted()) {
        reject(
          'ENCRYPTED_WORKBOOK',
          'The workbook is encrypted (zip encryption); remove the password and save it again as .xlsx',
        );
      }
      const name = entry.fileName.replace(/^\/+/, '').toLowerCase();
      if (!entries.has(name)) entries.set(name, entry);
    }
    let inflated = 0;
    const read = async function* (name: string): AsyncGenerator<Uint8Array> {
      const entry = entries.get(name.replace(/^\/+/, '').toLowerCase());
      if (!entry) return;
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > XLSX_LIMITS.ratioCheckBytes && ratio > XLSX_LIMITS.maxCompressionRatio) {
        reject(
          'ZIP_BOMB',
          `The workbook part ${shownName(name)} expands ${Math.round(ratio)} times (to ${entry.uncompressedSize} bytes), far more than a worksheet compresses; a zip bomb is refused`,
        );
      }
      if (!entry.canDecodeFileData()) {
        reject(
          'CORRUPT_XLSX',
          `The workbook part ${shownName(name)} is compressed in a way Excel does not write`,
        );
      }
      let stream: NodeJS.ReadableStream;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch {
        return reject(
          'CORRUPT_XLSX',
          `The workbook part ${shownName(name)} cannot be read (corrupt zip entry)`,
        );
      }
      let counted = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          counted += chunk.length;
          inflated += chunk.length;
          if (inflated > limits.maxDecompressedBytes) {
            reject(
              'TOO_LARGE',
              `The workbook's parts expand to more than ${limits.maxDecompressedBytes} bytes; split the data into several files`,
            );
          }
          if (
            counted > XLSX_LIMITS.ratioCheckBytes &&
            counted / Math.max(1, entry.compressedSize) > XLSX_LIMITS.maxCompressionRatio
          ) {
            reject(
              'ZIP_BOMB',
              `The workbook part ${shownName(name)} expands more than ${XLSX_LIMITS.maxCompressionRatio} times, far more than a worksheet compresses; a zip bomb is refused`,
            );
          }
          yield chunk;
        }
      } catch (error) {
        if (error instanceof FileRejectedError) throw error;
        const text = error instanceof Error ? error.message : '';
        if (/too many bytes/i.test(text)) {
          reject(
            'ZIP_BOMB',
            `The workbook part ${shownName(name)} expands to more bytes than its zip entry declares; a zip bomb is refused`,
          );
        }
        reject('CORRUPT_XLSX', `The workbook part ${shownName(name)} is corrupt or truncated`);
      } finally {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      }
    };
    return {
      has: (name) => entries.has(name.replace(/^\/+/, '').toLowerCase()),
      names: [...entries.keys()],
      read,
      close,
    };
  } catch (error) {
    await close();
    if (error instanceof FileRejectedError) throw error;
    // yauzl's own message (a bad central directory entry) is not passed on.
    return reject(
      'CORRUPT_XLSX',
      "The workbook's zip directory is corrupt; save the workbook again from Excel",
    );
  }
};

/** A part's name for a message: clipped, only the characters a part name is made of. */
export const shownName = (name: string): string =>
  `'${name.replace(/[^A-Za-z0-9/._\-[\]]/g, '?').slice(0, 80)}'`;
