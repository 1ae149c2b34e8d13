// The hostile corpus: files built to exhaust the memory or the patience of an ingest chain, generated at
// run time (never committed as data). `npm run bench:memory` runs `msht validate` on each at full size
// and prints its peak RSS; test/unit/ingest/hostile-corpus.test.ts runs each at a small scale through the
// same chain and asserts its outcome (a clear rejection naming file, row, field and reason, or rows read).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { createPrng } from '../cli/demo/synthetic.ts';
import { SUBJECT_COLUMNS } from '../schemas/extract/subject.ts';
import type { IngestLimits } from '../schemas/settings/ingest-limits.ts';
import {
  cellXml,
  deflatePieces,
  repeated,
  sheetXml,
  workbookBytes,
  workbookEntries,
  writeXlsx,
  zipArchive,
} from './xlsx-files.ts';

/** What validating a corpus file must end in: the file rejected with a code, or its rows read. */
export type HostileOutcome =
  | { readonly file: string }
  | {
      readonly rows: number;
      /** Rows rejected, exactly (unless left out). */
      readonly rejected?: number;
      /** Issue codes that must each appear at least once in the report. */
      readonly codes: readonly string[];
    };

/** One hostile file: how to write it at a scale (1 = the full bench size), and what it must end in. */
export type HostileCase = {
  readonly name: string;
  /** The file name (its record type and format, as ingest reads them from it). */
  readonly fileName: string;
  /** What the class attacks. */
  readonly attack: string;
  readonly write: (path: string, scale: number) => Promise<void>;
  readonly expect: (scale: number) => HostileOutcome;
  /** Limits to validate with instead of the defaults, when the case is about a limit. */
  readonly limits?: (scale: number) => Partial<IngestLimits>;
};

const MIB = 1024 * 1024;

/** A streaming writer that honours backpressure, optionally gzip. */
const open = (path: string, gzip = false) => {
  const file = createWriteStream(path);
  const zip = gzip ? createGzip({ level: 1 }) : undefined;
  if (zip) zip.pipe(file);
  const out: Writable = zip ?? file;
  return {
    write: async (text: string | Buffer): Promise<void> => {
      if (!out.write(text)) await once(out, 'drain');
    },
    end: async (): Promise<void> => {
      out.end();
      await once(file, 'close');
    },
  };
};

/** Writes `count` lines produced by `line`, buffered into ~1 MiB writes. */
const writeLines = async (
  path: string,
  head: string,
  count: number,
  line: (i: number) => string,
  options: { gzip?: boolean; eol?: string } = {},
): Promise<void> => {
  const out = open(path, options.gzip);
  const eol = options.eol ?? '\n';
  let buffer = head;
  for (let i = 1; i <= count; i++) {
    buffer += line(i) + eol;
    if (buffer.length >= MIB) {
      await out.write(buffer);
      buffer = '';
    }
  }
  await out.write(buffer);
  await out.end();
};

const n = (full: number, scale: number, min = 1): number => Math.max(min, Math.round(full * scale));

const CSV_HEAD = 'source_record_ref,source_system,roles,sex,date_of_birth,nationality\n';
const csvRow = (i: number): string => `P-${i},NICHE,POTENTIAL_VICTIM,F,14/03/1998,Albanian`;
const jsonRow = (i: number, extra = ''): string =>
  `{"source_record_ref":"P-${i}","source_system":"NICHE","roles":"victim"${extra}}`;

/** A distinct long text for row i (so that no cache can share it). */
const longText = (i: number, chars: number): string => `${i}-`.padEnd(chars, 'x');

/** Subject columns the corpus fills with a huge value one at a time (every kind of field). */
const FIELDS = SUBJECT_COLUMNS.map((c) => c.name);

/** A huge value for a column of each kind: text, a list, digits, a date-like run. */
const hugeValue = (column: string, i: number, chars: number): string => {
  const kind = SUBJECT_COLUMNS.find((c) => c.name === column)?.kind ?? 'text';
  if (kind.endsWith('-list')) return 'A;'.repeat(chars / 2);
  if (kind === 'integer' || kind === 'decimal') return '9'.repeat(chars);
  if (kind === 'date' || kind === 'timestamp') return `1/1/${'1'.repeat(chars)}`;
  return longText(i, chars);
};

const TEXT_HOSTILE_CORPUS: readonly HostileCase[] = [
  {
    name: 'jsonl-huge-unknown-keys',
    fileName: 'subjects-unknown-keys.jsonl',
    attack: 'every line has its own unknown key of 600 KB (key caches, header mappings)',
    write: (path, s) =>
      writeLines(path, '', n(400, s), (i) => jsonRow(i, `,${JSON.stringify(longText(i, 600_000))}:1`)),
    expect: (s) => ({ rows: n(400, s), rejected: 0, codes: ['UNKNOWN_COLUMN'] }),
  },
  {
    name: 'jsonl-many-unknown-keys',
    fileName: 'subjects-many-keys.jsonl',
    attack: 'every line has 3,000 unknown keys of its own',
    write: (path, s) =>
      writeLines(path, '', n(2000, s), (i) =>
        jsonRow(i, Array.from({ length: 3000 }, (_, k) => `,"x${i}_${k}":${k}`).join('')),
      ),
    expect: (s) => ({ rows: n(2000, s), rejected: 0, codes: ['UNKNOWN_COLUMN'] }),
  },
  {
    name: 'csv-huge-dob',
    fileName: 'subjects-huge-dob.csv',
    attack: 'a 200 KB date of birth on every row (date parser, its cache)',
    write: (path, s) =>
      writeLines(
        path,
        CSV_HEAD,
        n(1200, s),
        (i) => `P-${i},NICHE,POTENTIAL_VICTIM,F,${longText(i, 200_000)},GBR`,
      ),
    expect: (s) => ({ rows: n(1200, s), rejected: n(1200, s), codes: ['INVALID_DATE'] }),
  },
  {
    name: 'csv-huge-notes',
    fileName: 'subjects-huge-notes.csv',
    attack: 'a 300 KB notes column (discarded free text) on every row',
    write: (path, s) =>
      writeLines(
        path,
        `${CSV_HEAD.trimEnd()},notes\n`,
        n(1200, s),
        (i) => `${csvRow(i)},"${longText(i, 300_000)}"`,
      ),
    expect: (s) => ({ rows: n(1200, s), rejected: 0, codes: [] }),
  },
  {
    name: 'csv-huge-every-field',
    fileName: 'subjects-huge-fields.csv',
    attack: 'a 200 KB value in each column in turn (text, lists, numbers, dates, codes)',
    write: (path, s) => {
      const rowsPerField = n(20, s);
      const header = `${FIELDS.join(',')}\n`;
      return writeLines(path, header, FIELDS.length * rowsPerField, (i) => {
        const target = FIELDS[Math.floor((i - 1) / rowsPerField)] as string;
        return FIELDS.map((c) =>
          c === target
            ? `"${hugeValue(c, i, 200_000)}"`
            : c === 'source_record_ref'
              ? `P-${i}`
              : c === 'source_system'
                ? 'NICHE'
                : c === 'roles'
                  ? 'VICTIM'
                  : '',
        ).join(',');
      });
    },
    // Rejected where the column has a limit; free text is truncated with a warning, discarded text ignored.
    expect: (s) => {
      const rowsPerField = n(20, s);
      return {
        rows: FIELDS.length * rowsPerField,
        codes: ['TOO_LONG', 'INVALID_DATE', 'INVALID_VALUE'],
      };
    },
  },
  {
    name: 'jsonl-huge-every-field',
    fileName: 'subjects-huge-fields.jsonl',
    attack: 'a 200 KB value, a 50,000-item array or a 200 KB number in each field in turn',
    write: (path, s) => {
      const rowsPerField = n(10, s);
      return writeLines(path, '', FIELDS.length * rowsPerField * 3, (i) => {
        const k = i - 1;
        const target = FIELDS[Math.floor(k / (rowsPerField * 3))] as string;
        const form = k % 3;
        const value =
          form === 0
            ? JSON.stringify(hugeValue(target, i, 200_000))
            : form === 1
              ? JSON.stringify(Array.from({ length: 50_000 }, () => 'A'))
              : '9'.repeat(200_000);
        const base: Record<string, string> = {
          source_record_ref: `"P-${i}"`,
          source_system: '"NICHE"',
          roles: '"VICTIM"',
        };
        base[target] = value;
        return `{${Object.entries(base)
          .map(([key, v]) => `"${key}":${v}`)
          .join(',')}}`;
      });
    },
    expect: (s) => ({ rows: FIELDS.length * n(10, s) * 3, codes: ['TOO_LONG', 'INVALID_VALUE'] }),
  },
  {
    name: 'jsonl-long-line',
    fileName: 'subjects-long-line.jsonl',
    attack: 'one 64 MB line with no line break',
    write: async (path, s) => {
      const out = open(path);
      await out.write(`${jsonRow(1)}\n{"source_record_ref":"`);
      const piece = 'x'.repeat(MIB);
      for (let i = 0; i < n(64, s, 2); i++) await out.write(piece);
      await out.end();
    },
    expect: () => ({ file: 'LINE_TOO_LONG' }),
  },
  {
    name: 'csv-long-line',
    fileName: 'subjects-long-line.csv',
    attack: 'one 64 MB unquoted field with no line break',
    write: async (path, s) => {
      const out = open(path);
      await out.write(`${CSV_HEAD}${csvRow(1)}\nP-2,NICHE,VICTIM,F,`);
      const piece = 'x'.repeat(MIB);
      for (let i = 0; i < n(64, s, 2); i++) await out.write(piece);
      await out.end();
    },
    expect: () => ({ file: 'LINE_TOO_LONG' }),
  },
  {
    name: 'csv-unclosed-quote',
    fileName: 'subjects-unclosed-quote.csv',
    attack: 'a quote opened on row 2 and never closed, then 64 MB of rows',
    write: (path, s) =>
      writeLines(path, `${CSV_HEAD}${csvRow(1)}\nP-2,NICHE,"VICTIM,F,,\n`, n(1_000_000, s, 20_000), csvRow),
    expect: () => ({ file: 'LINE_TOO_LONG' }),
  },
  {
    name: 'csv-many-columns',
    fileName: 'subjects-many-columns.csv',
    attack: '60,000 columns: a 700 KB header and rows of 60,000 cells',
    write: (path, s) => {
      const extra = Array.from({ length: 60_000 }, (_, k) => `extra_${k}`).join(',');
      const cells = ','.repeat(60_000);
      return writeLines(path, `${CSV_HEAD.trimEnd()},${extra}\n`, n(2000, s), (i) => `${csvRow(i)}${cells}`);
    },
    expect: (s) => ({ rows: n(2000, s), rejected: 0, codes: ['UNKNOWN_COLUMN'] }),
  },
  {
    name: 'jsonl-deep',
    fileName: 'subjects-deep.jsonl',
    attack: 'values nested 100,000 deep (arrays and objects)',
    write: (path, s) =>
      writeLines(path, '', n(400, s), (i) =>
        i % 2 === 0
          ? jsonRow(i, `,"nationality":${'['.repeat(100_000)}${']'.repeat(100_000)}`)
          : jsonRow(i, `,"sex":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`),
      ),
    expect: (s) => ({ rows: n(400, s), rejected: n(400, s), codes: ['INVALID_VALUE'] }),
  },
  {
    name: 'jsonl-duplicate-keys',
    fileName: 'subjects-duplicate-keys.jsonl',
    attack: 'every line names one key 50,000 times',
    write: (path, s) => writeLines(path, '', n(400, s), (i) => jsonRow(i, ',"sex":"F"'.repeat(50_000))),
    expect: (s) => ({ rows: n(400, s), rejected: n(400, s), codes: ['DUPLICATE_FIELD'] }),
  },
  {
    name: 'jsonl-escapes',
    fileName: 'subjects-escapes.jsonl',
    attack: 'strings of 150,000 \\u escapes (1 MB of JSON for 150 K characters)',
    write: (path, s) =>
      writeLines(path, '', n(300, s), (i) => jsonRow(i, `,"notes":"${'\\u00e9'.repeat(150_000)}"`)),
    expect: (s) => ({ rows: n(300, s), rejected: 0, codes: [] }),
  },
  {
    name: 'csv-all-rejected',
    fileName: 'subjects-all-rejected.csv',
    attack: '500,000 rows each rejected for several reasons (the report streams every one)',
    write: (path, s) =>
      writeLines(path, CSV_HEAD, n(500_000, s), (i) => `P-${i},NICHE,NOT_A_ROLE,Q,31/02/1990,GBR`),
    expect: (s) => ({
      rows: n(500_000, s),
      rejected: n(500_000, s),
      codes: ['INVALID_VALUE', 'INVALID_DATE'],
    }),
  },
  {
    name: 'csv-cr-only',
    fileName: 'subjects-cr-only.csv',
    attack: '200,000 rows with old-Mac CR line endings',
    write: (path, s) => writeLines(path, CSV_HEAD.replace('\n', '\r'), n(200_000, s), csvRow, { eol: '\r' }),
    expect: (s) => ({ rows: n(200_000, s), rejected: 0, codes: [] }),
  },
  {
    name: 'gzip-bomb',
    fileName: 'subjects-bomb.csv.gz',
    attack: 'a 3 MB gzip that expands to 3 GiB',
    write: async (path, s) => {
      const out = open(path, true);
      await out.write(CSV_HEAD);
      const blank = Buffer.alloc(MIB, '\n');
      for (let i = 0; i < n(3072, s, 3); i++) await out.write(blank);
      await out.end();
    },
    // The full bomb passes the 2 GiB default; a smaller one passes a limit set to its scale.
    limits: (s) => (s < 1 ? { maxDecompressedBytes: n(2048, s, 2) * MIB } : {}),
    expect: () => ({ file: 'TOO_LARGE' }),
  },
  {
    name: 'csv-2m-rows',
    fileName: 'subjects-2m.csv',
    attack: '2,000,000 valid rows',
    write: (path, s) => writeLines(path, CSV_HEAD, n(2_000_000, s), csvRow),
    expect: (s) => ({ rows: n(2_000_000, s), rejected: 0, codes: [] }),
  },
  {
    name: 'csv-too-many-rows',
    fileName: 'subjects-too-many.csv',
    attack: '2,000,000 rows against a limit of 1,000,000',
    write: (path, s) => writeLines(path, CSV_HEAD, n(2_000_000, s), csvRow),
    limits: (s) => ({ maxRows: n(1_000_000, s) }),
    expect: () => ({ file: 'TOO_MANY_ROWS' }),
  },
];

/** The header and a valid row of the workbook cases, as cells. */
const XLSX_HEAD = ['source_record_ref', 'source_system', 'roles', 'sex', 'date_of_birth', 'nationality'];
const xlsxRow = (i: number): (string | Date)[] => [
  `P-${i}`,
  'NICHE',
  'POTENTIAL_VICTIM',
  'F',
  new Date(Date.UTC(1998, 2, 14)),
  'Albanian',
];
/** A header row as inline strings, for hand-built sheets. */
const headRowXml = (): string =>
  `<row r="1">${XLSX_HEAD.map((h, i) => cellXml(`${String.fromCharCode(65 + i)}1`, { t: 'inlineStr', inline: h })).join('')}</row>`;
const SHEET_OPEN = `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;

/** Hostile workbooks (.xlsx): every defence of functions/ingest/xlsx/ with its own code. */
export const XLSX_HOSTILE_CORPUS: readonly HostileCase[] = [
  {
    name: 'xlsx-100k-rows',
    fileName: 'subjects-100k.xlsx',
    attack: '100,000 valid rows in a workbook (shared strings, date cells), read within the memory of CSV',
    write: (path, s) =>
      writeXlsx(
        path,
        'subjects',
        (function* () {
          yield XLSX_HEAD;
          for (let i = 1; i <= n(100_000, s); i++) yield xlsxRow(i);
        })(),
      ),
    expect: (s) => ({ rows: n(100_000, s), rejected: 0, codes: [] }),
  },
  {
    name: 'xlsx-zip-bomb',
    fileName: 'subjects-zip-bomb.xlsx',
    attack: 'a sheet of 1 GiB (32 MiB small) of spaces deflated a thousand times: declared and refused',
    write: async (path, s) => {
      const stored = await deflatePieces(repeated(SHEET_OPEN, 0x20, Math.max(32 * MIB, n(1024, s) * MIB)), 9);
      const entries = workbookEntries({ sheets: [{ name: 'subjects', xml: '' }] }).map((e) =>
        e.name === 'xl/worksheets/sheet1.xml' ? { ...e, stored } : e,
      );
      await writeFile(path, zipArchive(entries));
    },
    expect: () => ({ file: 'ZIP_BOMB' }),
  },
  {
    name: 'xlsx-lying-bomb',
    fileName: 'subjects-lying-bomb.xlsx',
    attack: 'a sheet that declares 1 MiB and inflates to 1 GiB (64 MiB small)',
    write: async (path, s) => {
      const stored = await deflatePieces(repeated(SHEET_OPEN, 0x20, Math.max(64 * MIB, n(1024, s) * MIB)), 9);
      const entries = workbookEntries({ sheets: [{ name: 'subjects', xml: '' }] }).map((e) =>
        e.name === 'xl/worksheets/sheet1.xml' ? { ...e, stored, declaredSize: MIB } : e,
      );
      await writeFile(path, zipArchive(entries));
    },
    expect: () => ({ file: 'ZIP_BOMB' }),
  },
  {
    name: 'xlsx-entries-bomb',
    fileName: 'subjects-entries.xlsx',
    attack: '10,001 zip entries',
    write: async (path) => {
      const extra = Array.from({ length: 10_001 }, (_, i) => ({
        name: `xl/media/pad${i}.bin`,
        data: Buffer.from('x'),
      }));
      await writeFile(
        path,
        workbookBytes({ sheets: [{ name: 'subjects', xml: sheetXml(headRowXml()) }], extra }),
      );
    },
    expect: () => ({ file: 'ZIP_BOMB' }),
  },
  {
    name: 'xlsx-million-columns',
    fileName: 'subjects-million-columns.xlsx',
    attack: 'a row of 1,000,000 cells (5,000 small)',
    write: async (path, s) => {
      const cells = n(1_000_000, s, 5000);
      const stored = await deflatePieces(
        (function* () {
          yield `${SHEET_OPEN}<row r="1">`;
          for (let i = 0; i < cells; i += 10_000) yield '<c><v>1</v></c>'.repeat(Math.min(10_000, cells - i));
          yield '</row></sheetData></worksheet>';
        })(),
      );
      const entries = workbookEntries({ sheets: [{ name: 'subjects', xml: '' }] }).map((e) =>
        e.name === 'xl/worksheets/sheet1.xml' ? { ...e, stored } : e,
      );
      await writeFile(path, zipArchive(entries));
    },
    expect: () => ({ file: 'TOO_MANY_COLUMNS' }),
  },
  {
    name: 'xlsx-shared-strings-bomb',
    fileName: 'subjects-shared-strings.xlsx',
    attack: '2,000,001 distinct shared strings (past the limit at every scale)',
    write: async (path) => {
      const stored = await deflatePieces(
        (function* () {
          yield '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
          for (let i = 0; i <= 2_000_000; i += 10_000) {
            let chunk = '';
            for (let j = i; j < Math.min(i + 10_000, 2_000_001); j++)
              chunk += `<si><t>${j.toString(36)}</t></si>`;
            yield chunk;
          }
          yield '</sst>';
        })(),
      );
      const entries = workbookEntries({
        sheets: [{ name: 'subjects', xml: sheetXml(headRowXml()) }],
        sharedStrings: 'placeholder',
      }).map((e) => (e.name === 'xl/sharedStrings.xml' ? { ...e, stored } : e));
      await writeFile(path, zipArchive(entries));
    },
    expect: () => ({ file: 'SHARED_STRINGS_TOO_LARGE' }),
  },
  {
    name: 'xlsx-shared-strings-text',
    fileName: 'subjects-shared-text.xlsx',
    attack:
      '1,000,000 distinct shared strings of 100 characters: past the 64 MiB of text held (read at a small scale)',
    write: async (path, s) => {
      const count = n(1_000_000, s);
      const next = createPrng(7);
      const stored = await deflatePieces(
        (function* () {
          yield '<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';
          for (let i = 0; i < count; i += 10_000) {
            let chunk = '';
            for (let j = i; j < Math.min(i + 10_000, count); j++) {
              let random = '';
              while (random.length < 30) random += Math.floor(next() * 2 ** 32).toString(36);
              const text = `${random.slice(0, 30)} potential victim of labour exploitation, referred ${j}`;
              chunk += `<si><t>${text.padEnd(100, '.')}</t></si>`;
            }
            yield chunk;
          }
          yield '</sst>';
        })(),
      );
      const entries = workbookEntries({
        sheets: [{ name: 'subjects', xml: sheetXml(headRowXml()) }],
        sharedStrings: 'placeholder',
      }).map((e) => (e.name === 'xl/sharedStrings.xml' ? { ...e, stored } : e));
      await writeFile(path, zipArchive(entries));
    },
    expect: (s) => (s >= 1 ? { file: 'SHARED_STRINGS_TOO_LARGE' } : { rows: 0, rejected: 0, codes: [] }),
  },
  {
    name: 'xlsx-long-row',
    fileName: 'subjects-long-row.xlsx',
    attack: 'a row of 40 cells of 30,000 characters each',
    write: async (path) => {
      // Cells without a reference: each takes the next column.
      const cells = Array.from(
        { length: 40 },
        (_, i) => `<c t="inlineStr"><is><t>${longText(i, 30_000)}</t></is></c>`,
      );
      await writeFile(
        path,
        workbookBytes({
          sheets: [{ name: 'subjects', xml: sheetXml(`${headRowXml()}<row r="2">${cells.join('')}</row>`) }],
        }),
      );
    },
    expect: () => ({ file: 'LINE_TOO_LONG' }),
  },
  {
    name: 'xlsx-huge-token',
    fileName: 'subjects-huge-token.xlsx',
    attack: 'a cell value of 8 MiB digits (the XML parser would hold it whole)',
    write: async (path) => {
      const stored = await deflatePieces(repeated(`${SHEET_OPEN}<row r="1"><c><v>`, 0x39, 8 * MIB));
      const entries = workbookEntries({ sheets: [{ name: 'subjects', xml: '' }] }).map((e) =>
        e.name === 'xl/worksheets/sheet1.xml' ? { ...e, stored } : e,
      );
      await writeFile(path, zipArchive(entries));
    },
    expect: () => ({ file: 'CORRUPT_XLSX' }),
  },
  {
    name: 'xlsx-external-link',
    fileName: 'subjects-external-link.xlsx',
    attack: 'a workbook linking to another workbook',
    write: async (path) => {
      const link = { name: 'xl/externalLinks/externalLink1.xml', data: Buffer.from('<externalLink/>') };
      await writeFile(
        path,
        workbookBytes({ sheets: [{ name: 'subjects', xml: sheetXml(headRowXml()) }], extra: [link] }),
      );
    },
    expect: () => ({ file: 'XLSX_EXTERNAL_LINKS' }),
  },
  {
    name: 'xlsx-macro',
    fileName: 'subjects-macro.xlsx',
    attack: 'a workbook with a VBA project, named .xlsx',
    write: async (path) => {
      const vba = {
        name: 'xl/vbaProject.bin',
        data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      };
      await writeFile(
        path,
        workbookBytes({ sheets: [{ name: 'subjects', xml: sheetXml(headRowXml()) }], extra: [vba] }),
      );
    },
    expect: () => ({ file: 'XLSX_MACROS' }),
  },
  {
    name: 'xlsx-not-a-zip',
    fileName: 'subjects-text.xlsx',
    attack: 'CSV text named .xlsx',
    write: (path, s) => writeLines(path, CSV_HEAD, n(1000, s), csvRow),
    expect: () => ({ file: 'NOT_XLSX' }),
  },
  {
    name: 'xlsx-encrypted',
    fileName: 'subjects-encrypted.xlsx',
    attack: 'a password-protected workbook (an OLE compound file, not a zip)',
    write: async (path) => {
      const cfb = Buffer.alloc(8192, 0xff);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
      await writeFile(path, cfb);
    },
    expect: () => ({ file: 'ENCRYPTED_WORKBOOK' }),
  },
];

/** Every hostile file: text (CSV, JSON Lines, gzip) and workbooks. */
export const HOSTILE_CORPUS: readonly HostileCase[] = [...TEXT_HOSTILE_CORPUS, ...XLSX_HOSTILE_CORPUS];
