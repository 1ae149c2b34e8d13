import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { createPrng } from '../cli/demo/synthetic.ts';
import { toCsv } from '../functions/shared/csv.ts';
import { writeXlsx } from './xlsx-files.ts';

/** Subjects-extract columns the benchmark writes: a realistic mix of free text, dates, codes and lists. */
const HEADER = [
  'source_record_ref',
  'source_system',
  'org',
  'as_at',
  'roles',
  'sex',
  'date_of_birth',
  'nationality',
  'exploitation_types',
  'exploitation_location',
  'nrm_referral_date',
  'classification',
] as const;

const pick = <T>(next: () => number, values: readonly T[]): T =>
  values[Math.floor(next() * values.length)] as T;
const pad = (n: number): string => String(n).padStart(2, '0');

/** One synthetic subjects row (all valid) as column values. */
const row = (next: () => number, i: number, org: string): string[] => [
  `NICHE-${String(i).padStart(8, '0')}`,
  pick(next, ['NICHE', 'ATHENA', 'CONNECT', 'STORM']),
  org,
  `2026-10-${pad(1 + Math.floor(next() * 28))}T${pad(Math.floor(next() * 24))}:15:00Z`,
  pick(next, ['POTENTIAL_VICTIM', 'victim', 'Suspect', 'OFFENDER;SUSPECT', 'potential victim']),
  pick(next, ['F', 'male', 'Female', 'M', 'unknown']),
  `${pad(1 + Math.floor(next() * 28))}/${pad(1 + Math.floor(next() * 12))}/${1950 + Math.floor(next() * 60)}`,
  pick(next, ['GBR', 'Albanian', 'VN', 'Eritrea', 'SDN', 'British', 'Romania']),
  pick(next, ['labour', 'sexual', 'criminal;county lines', 'DOMESTIC_SERVITUDE', 'labour|sexual']),
  pick(next, ['UK_ONLY', 'uk and overseas', 'overseas']),
  `2026-10-${pad(1 + Math.floor(next() * 28))}`,
  'OFFICIAL-SENSITIVE',
];

/** A row's dd/mm/yyyy or YYYY-MM-DD date as a Date, for a workbook's date cells. */
const asDate = (text: string): Date => {
  const [a, b, c] = text.split(/[/-]/).map(Number) as [number, number, number];
  return text.includes('/') ? new Date(Date.UTC(c, b - 1, a)) : new Date(Date.UTC(a, b - 1, c));
};

/**
 * Writes a subjects extract of `rows` rows as CSV or JSON Lines, optionally gzip, or as an .xlsx
 * workbook (the same rows, dates as date cells), streaming to disk.
 */
export const writeExtract = async (
  path: string,
  options: { rows: number; format: 'csv' | 'jsonl' | 'xlsx'; gzip: boolean; org: string; seed?: number },
): Promise<void> => {
  if (options.format === 'xlsx') {
    const next = createPrng(options.seed ?? 1);
    const count = options.rows;
    const org = options.org;
    return writeXlsx(
      path,
      'subjects',
      (function* () {
        yield HEADER;
        for (let i = 0; i < count; i++) {
          const values: (string | Date)[] = row(next, i, org);
          values[6] = asDate(values[6] as string);
          values[10] = asDate(values[10] as string);
          yield values;
        }
      })(),
    );
  }
  const file = createWriteStream(path);
  const gzip = options.gzip ? createGzip() : undefined;
  if (gzip) gzip.pipe(file);
  const out: Writable = gzip ?? file;
  const next = createPrng(options.seed ?? 1);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (options.format === 'csv') await write(toCsv([HEADER], '\n'));
  // Rows are written a thousand at a time: fewer writes, and csv-stringify's start-up paid once a batch.
  for (let start = 0; start < options.rows; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, options.rows - start) }, (_, j) =>
      row(next, start + j, options.org),
    );
    await write(
      options.format === 'csv'
        ? toCsv(rows, '\n')
        : rows
            .map((values) => `${JSON.stringify(Object.fromEntries(HEADER.map((h, j) => [h, values[j]])))}\n`)
            .join(''),
    );
  }
  out.end();
  await once(file, 'close');
};
