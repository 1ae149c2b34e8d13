import type { ColumnSpec } from '../extract/column-spec.ts';
import { EXTRACT_COLUMNS } from '../extract/columns.ts';
import { RECORD_TYPES, type RecordType } from '../record-types.ts';

/**
 * Matching key of a header: BOM and other invisible formatting characters (a zero-width space pasted
 * in), case, spaces, underscores, hyphens and dots folded.
 */
export const headerKey = (header: string): string =>
  header
    .replace(/\p{Cf}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '_')
    .replace(/^_+|_+$/g, '');

const HEADER_LOOKUP: Readonly<Record<RecordType, ReadonlyMap<string, ColumnSpec>>> = Object.fromEntries(
  RECORD_TYPES.map((type) => {
    const map = new Map<string, ColumnSpec>();
    for (const spec of EXTRACT_COLUMNS[type]) {
      for (const name of [spec.name, ...spec.synonyms]) map.set(headerKey(name), spec);
    }
    return [type, map];
  }),
) as unknown as Record<RecordType, ReadonlyMap<string, ColumnSpec>>;

/** The column spec a header names for a record type (canonical name or synonym), if any. */
export const columnForHeader = (recordType: RecordType, header: string): ColumnSpec | undefined =>
  HEADER_LOOKUP[recordType].get(headerKey(header));

/**
 * Maps a header (CSV header cells or JSON Lines keys) to canonical column names: case-, space-,
 * underscore- and hyphen-insensitive, synonyms applied. `columns[i]` is null for an unknown or blank
 * header; `unknown` lists unknown headers as given; `duplicates` the canonical names named twice;
 * `missingRequired` the required columns absent.
 */
export const resolveHeaders = (
  recordType: RecordType,
  headers: readonly string[],
): { columns: (string | null)[]; unknown: string[]; missingRequired: string[]; duplicates: string[] } => {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unknown: string[] = [];
  const columns = headers.map((header) => {
    const text = typeof header === 'string' ? header : String(header);
    if (headerKey(text) === '') return null;
    const spec = columnForHeader(recordType, text);
    if (!spec) {
      unknown.push(text.trim());
      return null;
    }
    if (seen.has(spec.name)) duplicates.add(spec.name);
    seen.add(spec.name);
    return spec.name;
  });
  const missingRequired = EXTRACT_COLUMNS[recordType]
    .filter((spec) => spec.required && !seen.has(spec.name))
    .map((spec) => spec.name);
  return { columns, unknown, missingRequired, duplicates: [...duplicates] };
};
