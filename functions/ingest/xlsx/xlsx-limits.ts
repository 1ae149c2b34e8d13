/**
 * Limits of the .xlsx reader, beyond the ingest limits every file has (maxFileBytes, maxDecompressedBytes,
 * maxRows): each stops a hostile workbook in bounded memory and time, far above what a real extract needs.
 */
export const XLSX_LIMITS = {
  /** Zip entries: a workbook has tens. */
  maxEntries: 10_000,
  /**
   * Largest inflated/compressed ratio of a part once it is larger than ratioCheckBytes: sheet XML
   * compresses 5–30 times (measured on exceljs and Excel output: 100k rows ≈ 10x); a zip bomb of
   * repeated bytes hundreds of times.
   */
  maxCompressionRatio: 250,
  ratioCheckBytes: 16 * 1024 * 1024,
  /** Columns read: a value beyond this column (ALL) rejects the file; Excel's own last column is XFD (16,384). */
  maxColumns: 1000,
  excelColumns: 16_384,
  /** Shared strings: how many, and their UTF-8 bytes in all (held in memory while the sheet is read). */
  maxSharedStrings: 2_000_000,
  maxSharedStringBytes: 64 * 1024 * 1024,
  /** The small parts (workbook.xml, its relationships, styles.xml): inflated bytes of each. */
  maxSmallPartBytes: 16 * 1024 * 1024,
  /** XML text, tag or attribute between two parser events, in bytes: a cell holds at most 32,767 characters. */
  maxXmlTokenBytes: 4 * 1024 * 1024,
} as const;
