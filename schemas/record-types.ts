/** The four kinds of extract record, one per file. */
export const RECORD_TYPES = ['operation', 'subject', 'object', 'location'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Accepted file formats: CSV with a header row, or JSON Lines (one object per line). */
export type ExtractFormat = 'csv' | 'jsonl';

const FILE_NAME = /^(operations|subjects|objects|locations)(-[A-Za-z0-9_-]{1,64})?\.(csv|jsonl)(\.gz)?$/i;

/**
 * Reads the record type, format and compression from a file name `{recordType-plural}[-suffix].{csv|jsonl}[.gz]`
 * (case-insensitive), e.g. `objects-vehicles.jsonl.gz`; null when the name does not follow the layout.
 */
export const recordTypeFromFileName = (
  fileName: string,
): { recordType: RecordType; format: ExtractFormat; gzip: boolean } | null => {
  const match = FILE_NAME.exec(fileName);
  if (!match) return null;
  const plural = (match[1] ?? '').toLowerCase();
  return {
    recordType: plural.slice(0, -1) as RecordType,
    format: (match[3] ?? '').toLowerCase() as ExtractFormat,
    gzip: match[4] !== undefined,
  };
};
