import { z } from 'zod';
import { IsoTimestampSchema } from './dates.ts';
import { OrgCodeSchema } from './organisations.ts';
import { charsSchema } from './text-length.ts';

/** A sha256 digest, lower-case hex. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest');

/** A record's own reference in its source system (crime, intelligence or case number). */
export const SourceRecordRefSchema = charsSchema(64, { noControl: true });

/** Name of the source system a record came from (e.g. `NICHE`, `ATHENA`, `CONNECT`). */
export const SourceSystemSchema = charsSchema(64, { noControl: true });

/**
 * Where a canonical record came from: the upload, the submitting organisation, the source system and
 * reference, the file's hash and row, when it was ingested, and the schema and mapping versions used.
 */
export const ProvenanceSchema = z.strictObject({
  uploadId: z.string().min(1).max(128),
  submittingOrg: OrgCodeSchema,
  sourceSystem: SourceSystemSchema,
  sourceRecordRef: SourceRecordRefSchema,
  fileSha256: Sha256HexSchema,
  rowNumber: z.number().int().nonnegative(),
  ingestedAt: IsoTimestampSchema,
  schemaVersion: z.literal(1),
  mappingVersion: z.string().min(1),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;
