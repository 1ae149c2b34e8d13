import { CLASSIFICATION_DESCRIPTORS } from '../common/classification.ts';
import { ORG_CODES, orgName, orgRegion } from '../common/organisations.ts';
import { FILE_REJECTION_CODES, REJECTION_CODES, WARNING_CODES } from '../normalise/codes.ts';
import { RECORD_TYPES } from '../record-types.ts';
import type { ColumnSpec } from './column-spec.ts';
import { EXTRACT_COLUMNS } from './columns.ts';

/** Markers around the generated part of docs/extract-spec.md. */
export const SPEC_DOC_BEGIN = '<!-- generated:begin (node schemas/generate-extract-spec.ts) -->';
export const SPEC_DOC_END = '<!-- generated:end -->';

/** What a data team should do about each code. */
export const WHAT_TO_DO: Readonly<Record<string, string>> = {
  REQUIRED_MISSING: 'Fill in the value, or leave the row out if the record is incomplete at source.',
  INVALID_FORMAT: 'Write the value in the format the column describes (e.g. a UK phone number 07700 900123).',
  INVALID_VALUE:
    'Use one of the allowed values or synonyms listed for the column; check contradictions named in the message.',
  INVALID_DATE:
    'Use YYYY-MM-DD or dd/mm/yyyy (YYYY-MM or YYYY when only the month or year is known); check the day exists.',
  DATE_IN_FUTURE: 'Correct the date; dates must not be later than the day the file is uploaded.',
  ORG_MISMATCH:
    "Upload each organisation's rows under its own incoming/{org}/ folder, or correct the org column.",
  CLASSIFICATION_TOO_HIGH:
    'Do not send SECRET, TOP SECRET or CONFIDENTIAL material; remove the row and handle it through the proper channel.',
  DUPLICATE_FIELD: 'Write each field once per line (a synonym counts as the same field).',
  UNKNOWN_ORG:
    'Use an organisation code from the table in this document, an ONS code (E23000001) or the full force name.',
  TOO_LONG: 'Shorten the value to the limit given for the column.',
  INVALID_JSON: 'Make each line one complete JSON object; check quotes and escaping.',
  NOT_AN_OBJECT: 'Write each line as a JSON object {...}, not an array or a bare value.',
  HANDLING_CONDITIONS_MISSING: 'Add the handling conditions in handling_conditions, or use handling code P.',
  UNEXPECTED: 'Tell the national team, quoting the upload id and row number.',
  CELL_ERROR:
    'Go to the cell named (the report line is the Excel row): fix the formula, or paste the values (Paste Special > Values) and type the missing one.',
  NATIONALITY_UNRECOGNISED:
    'Use an ISO code (ALB), a country name or an NRM nationality (Albanian); Stateless and Unknown are accepted.',
  COUNTRY_UNRECOGNISED: 'Use an ISO code (ROU) or the English country name.',
  IDENTIFIER_UNRECOGNISED: 'Check the identifier format (PNC ID 2001/0123456X, CRO 123456/01A).',
  VALUE_TRUNCATED: 'Nothing, unless the full text matters: then shorten it at source.',
  UNKNOWN_COLUMN: 'Rename the column to one in this specification (or a listed synonym), or drop it.',
  CLOSED_WITHOUT_DATE:
    'Give closed_on (the day, or at least the month) for every CLOSED operation, so it counts as closed once, in the month it closed: without it, each extract that sends it CLOSED counts it closed again.',
  LEAD_ORG_NOT_SUBMITTER:
    'Nothing, if another organisation leads the operation: report only your own part of it (your arrests, charges, referrals, crimes); the lead reports its part.',
  NOT_CSV_OR_JSONL:
    'Send CSV with a header row (.csv), JSON Lines (.jsonl) or an Excel workbook named .xlsx; not JSON arrays.',
  EMPTY_FILE: 'Send a file with a header row and at least one data row.',
  MISSING_REQUIRED_COLUMN:
    'Add the missing required column(s) to the header; make the header the first line and separate it with commas.',
  DUPLICATE_COLUMN: 'Remove one of the two columns (a synonym counts as the same column).',
  BINARY_CONTENT:
    'Export as CSV text, or name an Excel workbook .xlsx (not renamed to .csv); remove NUL characters.',
  MIXED_ENCODING:
    'Save the whole file in one encoding, preferably UTF-8 (Excel: "CSV UTF-8 (Comma delimited)"); fix the line named.',
  LINE_TOO_LONG: 'Shorten the record or sheet row named, or close the quote that was left open.',
  TOO_LARGE: 'Split the extract into several files (subjects-1.csv, subjects-2.csv, ...).',
  TOO_MANY_ROWS: 'Split the extract into several files.',
  KEY_LAYOUT: 'Upload to incoming/{org}/{YYYY-MM}/{file}.',
  BAD_PERIOD: 'Name the period folder as the month, YYYY-MM.',
  NOT_XLSX:
    'Name a CSV file .csv; save a workbook from Excel as "Excel Workbook (.xlsx)" (File > Save As), not renamed from another format.',
  ENCRYPTED_WORKBOOK:
    'Remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save as "Excel Workbook (.xlsx)"; save an old .xls as .xlsx.',
  CORRUPT_XLSX:
    'Open the workbook in Excel and save it again as "Excel Workbook (.xlsx)", or save the sheet as CSV UTF-8.',
  ZIP_BOMB:
    'Save the sheet from Excel as a plain "Excel Workbook (.xlsx)" or as CSV UTF-8; a real extract never trips this.',
  XLSX_MACROS:
    'Save as "Excel Workbook (.xlsx)" (not macro-enabled), answering Yes to saving without the VBA project.',
  XLSX_EXTERNAL_LINKS:
    'Data > Edit Links (Workbook Links) > Break Link, which keeps the values; or copy the sheet and Paste Special > Values into a new workbook.',
  TOO_MANY_COLUMNS:
    'Delete the columns right of the data (select them, Delete), or save the sheet as CSV UTF-8.',
  SHARED_STRINGS_TOO_LARGE: 'Split the rows over several workbooks, or save the sheet as CSV UTF-8.',
  NO_MATCHING_SHEET:
    'Put the records on the first sheet, or on a sheet named after the record type (subjects, Subjects); send each record type in a workbook of its own name.',
  AMBIGUOUS_SHEET: 'Keep one sheet named after the record type: rename or delete the other.',
  UNKNOWN_FILE_TYPE:
    'Name the file operations, subjects, objects or locations (optional -suffix), then .csv or .jsonl (optional .gz), or .xlsx.',
};

const KIND_FORMAT: Readonly<Record<ColumnSpec['kind'], string>> = {
  text: 'text',
  'text-list': 'list of text',
  enum: 'one value',
  'enum-list': 'list of values',
  date: 'date: YYYY-MM-DD, dd/mm/yyyy, d/m/yyyy, YYYY-MM, YYYY',
  timestamp: 'ISO timestamp (offset or Z; none = UTC) or date',
  boolean: 'yes/no, y/n, true/false, 1/0',
  integer: 'whole number',
  decimal: 'decimal number',
  org: 'organisation code, ONS code or name',
  'org-list': 'list of organisations',
  country: 'country: alpha-3, alpha-2, name or demonym',
  'country-list': 'list of countries',
  'nationality-list': 'list of nationalities',
  classification: `OFFICIAL[-SENSITIVE][: DESCRIPTORS]; descriptors ${CLASSIFICATION_DESCRIPTORS.join(', ')}`,
  grading: '3x5x2 (1/A/P) or 5x5x5',
  identifier: 'identifier',
  discarded: 'ignored, never stored',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const format = (spec: ColumnSpec): string => {
  const parts = [KIND_FORMAT[spec.kind]];
  if (spec.maxLength) parts.push(`≤ ${spec.maxLength} chars${spec.kind.endsWith('list') ? ' each' : ''}`);
  if (spec.vocabulary)
    parts.push(
      Object.keys(spec.vocabulary)
        .map((v) => `\`${v}\``)
        .join(', '),
    );
  return parts.join('; ');
};

const columnTable = (columns: readonly ColumnSpec[]): string[] => {
  const kept = columns.filter((c) => c.kind !== 'discarded');
  const lines = [
    '| column | required | format / allowed values | header synonyms | meaning | example |',
    '|---|---|---|---|---|---|',
    ...kept.map(
      (c) =>
        `| \`${c.name}\` | ${c.required ? '**yes**' : 'no'} | ${cell(format(c))} | ${cell(c.synonyms.join(', '))} | ${cell(c.description)} | ${c.example ? `\`${cell(c.example)}\`` : ''} |`,
    ),
  ];
  const discarded = columns.filter((c) => c.kind === 'discarded').map((c) => `\`${c.name}\``);
  if (discarded.length > 0) {
    lines.push('', `Accepted but never stored (free text; no warning): ${discarded.join(', ')}.`);
  }
  const vocabularies = kept.filter((c) => c.vocabulary);
  if (vocabularies.length > 0) {
    lines.push(
      '',
      '<details><summary>Value synonyms (case, accents and punctuation are ignored)</summary>',
      '',
    );
    for (const c of vocabularies) {
      const entries = Object.entries(c.vocabulary ?? {}).filter(([, synonyms]) => synonyms.length > 0);
      lines.push(
        `- \`${c.name}\`: ${entries.map(([v, s]) => `\`${v}\` ← ${s.map((x) => `"${x}"`).join(', ')}`).join('; ')}`,
      );
    }
    lines.push('', '</details>');
  }
  return lines;
};

/** Advice for whole-file codes that differ from the row code of the same name. */
export const FILE_WHAT_TO_DO: Readonly<Record<string, string>> = {
  UNKNOWN_ORG:
    'Upload under your own organisation code (the code column of the table in this document, e.g. PF-E23000001): your upload role allows no other folder.',
};

const codeTable = (
  codes: Readonly<Record<string, string>>,
  advice: Readonly<Record<string, string>> = WHAT_TO_DO,
): string[] => [
  '| code | meaning | what to do |',
  '|---|---|---|',
  ...Object.entries(codes).map(
    ([code, meaning]) =>
      `| \`${code}\` | ${cell(meaning)} | ${cell(advice[code] ?? WHAT_TO_DO[code] ?? '')} |`,
  ),
];

/** The generated part of the extract specification: column tables per record type and code tables. */
export const renderSpecTables = (): string =>
  [
    SPEC_DOC_BEGIN,
    '',
    ...RECORD_TYPES.flatMap((type) => [
      `### ${type} records (\`${type}s*.csv\` / \`${type}s*.jsonl\` / \`${type}s*.xlsx\`)`,
      '',
      ...columnTable(EXTRACT_COLUMNS[type]),
      '',
    ]),
    '### Organisation codes',
    '',
    '| code | organisation | region |',
    '|---|---|---|',
    ...ORG_CODES.map((code) => `| \`${code}\` | ${cell(orgName(code))} | ${orgRegion(code)} |`),
    '',
    '### Why a row is rejected',
    '',
    ...codeTable(REJECTION_CODES),
    '',
    '### Warnings (the row is still accepted)',
    '',
    ...codeTable(WARNING_CODES),
    '',
    '### Why a whole file is rejected',
    '',
    ...codeTable(FILE_REJECTION_CODES, FILE_WHAT_TO_DO),
    '',
    SPEC_DOC_END,
  ].join('\n');

/** Replaces the generated part of the document text (between the markers) with the current tables. */
export const updateSpecDoc = (doc: string): string => {
  const start = doc.indexOf(SPEC_DOC_BEGIN);
  const end = doc.indexOf(SPEC_DOC_END);
  if (start < 0 || end < start) throw new Error('extract-spec.md lacks the generated-section markers');
  return `${doc.slice(0, start)}${renderSpecTables()}${doc.slice(end + SPEC_DOC_END.length)}`;
};
