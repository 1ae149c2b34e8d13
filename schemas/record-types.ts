/** The four kinds of extract record, one per file. */
export const RECORD_TYPES = ['operation', 'subject', 'object', 'location'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/**
 * Accepted file formats: CSV with a header row, JSON Lines (one object per line), or an Excel workbook
 * (.xlsx: one sheet of one record type, read like CSV).
 */
export type ExtractFormat = 'csv' | 'jsonl' | 'xlsx';

/**
 * `{type}[{sep}{suffix}].{csv|jsonl}[.gz]` or `{type}[{sep}{suffix}].xlsx`: the suffix starts with `-`, `_`
 * or a space and holds letters, digits, spaces, `-`, `_` and brackets (as Windows names a copy,
 * `subjects (2).csv`), not ending in a space. A workbook is not gzipped (it is a zip already).
 */
const FILE_NAME =
  /^(operations|subjects|objects|locations)([-_ ][A-Za-z0-9 _()-]{0,63}[A-Za-z0-9_()-])?\.(?:(csv|jsonl)(\.gz)?|(xlsx))$/i;

/** The rule for file names, in words, for messages and docs. */
export const FILE_NAME_RULE =
  'the name must start with operations, subjects, objects or locations, optionally followed by -, _ or a space and a suffix ' +
  '(letters, digits, spaces, -, _, brackets), and end .csv or .jsonl (optionally .gz) or .xlsx';

/**
 * Reads the record type, format and compression from a file name `{recordType-plural}[-suffix].{csv|jsonl}[.gz]`
 * or `{recordType-plural}[-suffix].xlsx` (case-insensitive), e.g. `objects-vehicles.jsonl.gz`; null when
 * the name does not follow the layout.
 */
export const recordTypeFromFileName = (
  fileName: string,
): { recordType: RecordType; format: ExtractFormat; gzip: boolean } | null => {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  const plural = (match[1] ?? '').toLowerCase();
  return {
    recordType: plural.slice(0, -1) as RecordType,
    format: (match[3] ?? match[5] ?? '').toLowerCase() as ExtractFormat,
    gzip: match[4] !== undefined,
  };
};

const TYPE_WORDS = ['operations', 'subjects', 'objects', 'locations'] as const;
const SINGULAR: Readonly<Record<string, string>> = {
  operation: 'operations',
  subject: 'subjects',
  object: 'objects',
  location: 'locations',
};

/** Spreadsheet files that are not accepted, and why: what to save them as instead. */
const SPREADSHEETS: readonly { ext: RegExp; why: string }[] = [
  {
    ext: /\.xlsm$/i,
    why: 'a macro-enabled workbook (.xlsm) may run code; save it as "Excel Workbook (.xlsx)", without macros, or as CSV UTF-8',
  },
  {
    ext: /\.(xls|xlsb)$/i,
    why: 'an old or binary Excel format (.xls, .xlsb) is not read; save it as "Excel Workbook (.xlsx)" or as CSV UTF-8',
  },
  { ext: /\.ods$/i, why: 'an OpenDocument spreadsheet (.ods) is not read; save it as .xlsx or as CSV UTF-8' },
  { ext: /\.xlsx\.gz$/i, why: 'a workbook is compressed already: upload the .xlsx without .gz' },
];

/**
 * Why a file name is refused, and a name that would be accepted for it where one can be guessed:
 * `Subject Nov.csv` → `subjects Nov.csv`, `nov-subjects.csv` → `subjects-nov.csv`. Undefined when the
 * name is accepted.
 */
export const fileNameProblem = (fileName: string): string | undefined => {
  if (recordTypeFromFileName(fileName)) return undefined;
  const ext = /\.(csv|jsonl)(\.gz)?$|\.xlsx$/i.exec(fileName);
  const shown = `'${fileName.slice(0, 100)}'`;
  if (!ext) {
    const refused = SPREADSHEETS.find((s) => s.ext.test(fileName));
    return `${shown} is not accepted: ${refused ? `${refused.why}; ` : ''}${FILE_NAME_RULE}`;
  }
  const stem = fileName.slice(0, ext.index);
  const lower = stem.toLowerCase();
  const word = /^[a-z]+/.exec(lower)?.[0] ?? '';
  const typeWord =
    SINGULAR[word] ??
    TYPE_WORDS.find((t) => lower.includes(t)) ??
    TYPE_WORDS.find((t) => lower.includes(t.slice(0, -1)));
  if (!typeWord) return `${shown} does not name a record type: ${FILE_NAME_RULE}`;
  const rest = (
    SINGULAR[word] ? stem.slice(word.length) : stem.replace(new RegExp(`${typeWord.slice(0, -1)}s?`, 'i'), '')
  )
    .replace(/[^A-Za-z0-9 _()-]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[-_ ]+|[-_ ]+$/g, '')
    .slice(0, 60);
  const guess = `${typeWord}${rest ? `-${rest}` : ''}${ext[0].toLowerCase()}`;
  return recordTypeFromFileName(guess)
    ? `${shown} is not accepted: ${FILE_NAME_RULE}; for this file, e.g. '${guess}'`
    : `${shown} is not accepted: ${FILE_NAME_RULE}`;
};
