import { startsWith } from '../byte-source.ts';

/** Bytes that open a zip archive's first local file header, as every .xlsx starts. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** An OLE compound file: an encrypted (password-protected) workbook, or an old binary .xls. */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Why the first bytes of a file named .xlsx are not an Excel workbook, as a code and a message; undefined
 * when they start like one (a zip archive).
 */
export const workbookProblem = (
  first: Uint8Array | undefined,
): { code: string; message: string } | undefined => {
  if (!first || first.length === 0) return { code: 'EMPTY_FILE', message: 'The file is empty' };
  if (startsWith(first, ZIP_MAGIC)) return undefined;
  if (startsWith(first, CFB_MAGIC)) {
    return {
      code: 'ENCRYPTED_WORKBOOK',
      message:
        'The file is a password-protected (encrypted) workbook, or an old binary Excel file (.xls) named .xlsx: remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save it as "Excel Workbook (.xlsx)"',
    };
  }
  if (startsWith(first, GZIP_MAGIC)) {
    return {
      code: 'NOT_XLSX',
      message: 'The file is gzip, not an Excel workbook: upload the .xlsx itself (it is compressed already)',
    };
  }
  const head = first.subarray(0, 4096);
  const text = !head.includes(0) && head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
  return {
    code: 'NOT_XLSX',
    message: text
      ? 'The file is named .xlsx but holds text (such as CSV), not an Excel workbook: name it .csv (or .jsonl), or save it from Excel as "Excel Workbook (.xlsx)"'
      : 'The file is named .xlsx but is not an Excel workbook (not a zip archive); save it from Excel as "Excel Workbook (.xlsx)"',
  };
};
