import { z } from 'zod';
import { ENVELOPE_SHAPE } from '../canonical/envelope.ts';
import { LocationSchema } from '../canonical/location.ts';
import { ObjectRecordSchema } from '../canonical/object.ts';
import { OperationSchema } from '../canonical/operation.ts';
import type { CanonicalRecord } from '../canonical/record.ts';
import { SubjectSchema } from '../canonical/subject.ts';
import { ProvenanceSchema } from '../common/provenance.ts';
import type { RecordType } from '../record-types.ts';
import { MAPPING_VERSION } from '../version.ts';
import { type Check, compileCheck } from './compiled-check.ts';

/** The strict schema of each record type: the members of `CanonicalRecordSchema`. */
const RECORD_SCHEMAS: Readonly<Record<RecordType, z.ZodType<CanonicalRecord>>> = {
  operation: OperationSchema,
  subject: SubjectSchema,
  object: ObjectRecordSchema,
  location: LocationSchema,
};

/** What every record of one file shares: the normaliser copies these from the context into each record. */
export type FileConstants = {
  readonly org: string;
  readonly period: string;
  readonly uploadId: string;
  readonly fileSha256: string;
  readonly ingestedAt: string;
};

const valid = (schema: z.ZodType, value: unknown): boolean => schema.safeParse(value).success;

/**
 * The strict schema of a record type with the fields every record of a file shares pinned to their
 * values (`z.literal`), once those values have passed the shared schema's own field schemas. A record
 * passes it exactly when it passes the record type's strict schema and carries those values, but the
 * per-row check skips re-running the same regular expressions on the same values (about a sixth of
 * the cost). Falls back to the record type's schema when a value is invalid, or the schema is a union.
 */
export const schemaForFile = (recordType: RecordType, file: FileConstants): z.ZodType<CanonicalRecord> => {
  const base = RECORD_SCHEMAS[recordType];
  const object: unknown = base;
  if (!(object instanceof z.ZodObject)) return base;
  const p = ProvenanceSchema.shape;
  const constantsValid =
    valid(ENVELOPE_SHAPE.sourceOrg, file.org) &&
    valid(ENVELOPE_SHAPE.period, file.period) &&
    valid(p.uploadId, file.uploadId) &&
    valid(p.fileSha256, file.fileSha256) &&
    valid(p.ingestedAt, file.ingestedAt);
  if (!constantsValid) return base;
  const pinned: z.ZodType = object.extend({
    sourceOrg: z.literal(file.org),
    period: z.literal(file.period),
    provenance: ProvenanceSchema.extend({
      uploadId: z.literal(file.uploadId),
      submittingOrg: z.literal(file.org),
      fileSha256: z.literal(file.fileSha256),
      ingestedAt: z.literal(file.ingestedAt),
      mappingVersion: z.literal(MAPPING_VERSION),
    }),
  });
  return pinned as z.ZodType<CanonicalRecord>;
};

/** A file's record schema and its compiled check (compiled-check.ts; undefined when it cannot be compiled). */
export type FileValidator = {
  readonly schema: z.ZodType<CanonicalRecord>;
  readonly check: Check | undefined;
};

let last: (FileConstants & { recordType: RecordType; validator: FileValidator }) | undefined;

/** `schemaForFile` and its compiled check, built once for a run of rows from the same file (the last one built is kept). */
export const cachedValidatorForFile = (recordType: RecordType, file: FileConstants): FileValidator => {
  if (
    last === undefined ||
    last.recordType !== recordType ||
    last.org !== file.org ||
    last.period !== file.period ||
    last.uploadId !== file.uploadId ||
    last.fileSha256 !== file.fileSha256 ||
    last.ingestedAt !== file.ingestedAt
  ) {
    const { org, period, uploadId, fileSha256, ingestedAt } = file;
    const schema = schemaForFile(recordType, file);
    last = {
      recordType,
      org,
      period,
      uploadId,
      fileSha256,
      ingestedAt,
      validator: { schema, check: compileCheck(schema) },
    };
  }
  return last.validator;
};
