/** Why a row is rejected: code → what it means. Row-level codes; whole-file codes are in FILE_REJECTION_CODES. */
export const REJECTION_CODES = {
  REQUIRED_MISSING: 'A required value is missing or blank.',
  INVALID_FORMAT:
    'A value is not in an accepted format (identifier, number, postcode, row shape), or a reference holds a control or invisible formatting character (bidi override, zero-width space).',
  INVALID_VALUE: 'A value is not one of the allowed values, or contradicts another value.',
  INVALID_DATE: 'A date or timestamp is not in an accepted format, not a real date, or out of range.',
  DATE_IN_FUTURE: 'A date is later than the time the file was ingested.',
  ORG_MISMATCH: 'The row names a submitting organisation other than the uploader.',
  CLASSIFICATION_TOO_HIGH:
    'The row is classified above OFFICIAL: its marking holds SECRET, TOP SECRET or CONFIDENTIAL anywhere (even after OFFICIAL); it must not be sent.',
  UNKNOWN_ORG: 'An organisation code or name is not recognised.',
  TOO_LONG:
    'A value is longer than the column allows, or the whole normalised record is larger than one queue message surely carries (about 191 KiB: a message is at most 256 KiB, its records gzipped and base64-encoded).',
  DUPLICATE_FIELD:
    'A JSON Lines line names the same field twice (directly or through a synonym), as DUPLICATE_COLUMN does for a CSV header.',
  INVALID_JSON: 'A JSON Lines line is not valid JSON.',
  NOT_AN_OBJECT: 'A JSON Lines line is JSON but not an object.',
  CELL_ERROR:
    'An Excel cell of a known column holds an error value (#N/A, #REF!, #DIV/0!, #VALUE!...) instead of a value: fix the formula or type the value.',
  HANDLING_CONDITIONS_MISSING: '3x5x2 handling code C needs handling_conditions.',
  UNEXPECTED: 'The row could not be processed; report this to the national team.',
} as const;
export type RejectionCode = keyof typeof REJECTION_CODES;

/** Problems that do not stop a row being accepted: code → what it means. */
export const WARNING_CODES = {
  NATIONALITY_UNRECOGNISED: 'A nationality was not recognised and was recorded as XXX (unknown).',
  COUNTRY_UNRECOGNISED: 'A country was not recognised and was left out.',
  IDENTIFIER_UNRECOGNISED:
    'A PNC ID, CRO number, NRM reference or passport number is not in the expected format and was left out.',
  VALUE_TRUNCATED: 'A free-text value was longer than allowed and was shortened.',
  UNKNOWN_COLUMN: 'A column is not in the extract specification and was ignored.',
  CLOSED_WITHOUT_DATE:
    'An operation is CLOSED but has no closed_on: it is counted as closed in the month of the extract; give closed_on so it counts in the month it closed, once.',
  LEAD_ORG_NOT_SUBMITTER:
    "An operation's lead_org names another organisation: it is kept as an attribute, and the operation's figures are counted under the submitting organisation.",
} as const;
export type WarningCode = keyof typeof WARNING_CODES;

/** Why a whole file is rejected or flagged, detected by ingest before or while rows are read. */
export const FILE_REJECTION_CODES = {
  NOT_CSV_OR_JSONL: 'The content is neither CSV with a header row nor JSON Lines.',
  EMPTY_FILE: 'The file is empty or holds only blank lines: no header row (CSV) or no JSON lines.',
  MISSING_REQUIRED_COLUMN:
    'The CSV header lacks a required column of the record type; the message shows the header as read (cells that are no column name as ?, so a headerless file never has its first row quoted) and says when it looks separated by ; or tabs, starts with sep=, or sits below a title row.',
  UNKNOWN_COLUMN: 'A column is not in the specification (a warning only; the column is ignored).',
  DUPLICATE_COLUMN: 'The header names the same column twice (possibly through a synonym).',
  BINARY_CONTENT: 'The file holds binary content (e.g. a spreadsheet): a NUL byte anywhere in it.',
  MIXED_ENCODING:
    'The file mixes encodings: UTF-8 text (or a UTF-8 byte-order mark) and bytes that are not UTF-8, or a UTF-16 byte-order mark and invalid UTF-16; the message names the first bad line.',
  MALFORMED_CSV: 'The CSV cannot be split into records (for example a quote that is never closed).',
  CORRUPT_GZIP: 'The file starts like gzip but the compressed stream is corrupt or truncated.',
  LINE_TOO_LONG:
    'A JSON Lines line (or CSV record, or the values of one sheet row of an .xlsx workbook) is longer than 1 MiB.',
  TOO_LARGE: 'The file, or its decompressed content, is larger than the limit.',
  TOO_MANY_ROWS:
    'The file has more data rows than the limit for one file (5,000,000 by default; the message names the limit in force).',
  KEY_LAYOUT: 'The object key is not incoming/{org}/{YYYY-MM}/{file}.',
  UNKNOWN_ORG: 'The organisation in the key is not known.',
  BAD_PERIOD: 'The period in the key is not a month YYYY-MM.',
  TOO_MANY_REJECTED:
    'More rows were rejected than the quarantine threshold allows: the upload is QUARANTINED and nothing from it is applied.',
  NOT_XLSX:
    'A file named .xlsx is not an Excel workbook (not a zip archive, or a zip without a workbook in it), for example CSV text renamed .xlsx.',
  ENCRYPTED_WORKBOOK:
    'The .xlsx file is password-protected (encrypted), or an old binary Excel file (.xls) renamed .xlsx: remove the password, or save it as .xlsx.',
  CORRUPT_XLSX:
    'The workbook cannot be read: a zip entry or XML part of it is corrupt, truncated, or not as Excel writes it.',
  ZIP_BOMB:
    'The workbook is built to exhaust the reader: too many zip entries, an entry that expands far more than a workbook does, or one that expands to more than it declares.',
  XLSX_MACROS:
    'The workbook holds macros (a VBA project): save it as a plain Excel Workbook (.xlsx) without macros.',
  XLSX_EXTERNAL_LINKS:
    'The workbook links to other workbooks (external links): paste the values in (Data > Edit Links > Break Link) and save it again.',
  TOO_MANY_COLUMNS:
    "A sheet row has a value beyond column ALL (1,000 columns), or a cell beyond Excel's last column XFD.",
  SHARED_STRINGS_TOO_LARGE:
    "The workbook's table of text values (shared strings) holds more strings or text than one extract needs (2,000,000 strings or 64 MiB of text).",
  NO_MATCHING_SHEET:
    'The workbook has no sheet to read: no worksheet at all, or only sheets named after other record types.',
  AMBIGUOUS_SHEET: 'More than one sheet of the workbook is named after the record type: keep one of them.',
  UNKNOWN_FILE_TYPE:
    'The file name does not say which record type it holds (operations, subjects, objects, locations).',
} as const;
export type FileRejectionCode = keyof typeof FILE_REJECTION_CODES;

/** One problem found in a row: the field, a code, a plain-English message, and the offending value (≤ 64 chars). */
export type RowIssue = {
  field: string;
  code: RejectionCode | WarningCode;
  message: string;
  value?: string;
};
