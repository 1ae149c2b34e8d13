import type { CsvError } from 'csv-parse';

/**
 * Fixed wording of csv-parse's errors by code. Its own messages can quote the record (`Invalid Closing
 * Quote: got "J" at line 3 ...`, and its errors carry the record and field), so only the code and the
 * line number are used: https://csv.js.org/parse/errors/
 */
const CSV_FAILURES: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quote is opened and never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by a character other than a comma or line end',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'a closing quote is followed by a character other than a comma or line end',
  CSV_INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a record has a different number of fields from the header',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'a record has a different number of fields from the header',
};

/** What went wrong in a CSV, as our own text: what the parser found (by its code) and near which line. */
export const csvFailureMessage = (error: CsvError): string => {
  const what = CSV_FAILURES[error.code] ?? 'the records cannot be told apart';
  const line = Number.isSafeInteger(error.lines) ? String(error.lines) : '?';
  return `The CSV is malformed near line ${line}: ${what}; check quoting`;
};
