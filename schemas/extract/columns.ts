import type { RecordType } from '../record-types.ts';
import type { ColumnSpec } from './column-spec.ts';
import { LOCATION_COLUMNS, LocationExtractRowSchema } from './location.ts';
import { OBJECT_COLUMNS, ObjectExtractRowSchema } from './object.ts';
import { OPERATION_COLUMNS, OperationExtractRowSchema } from './operation.ts';
import { SUBJECT_COLUMNS, SubjectExtractRowSchema } from './subject.ts';

/** The column specification of each record type's extract. */
export const EXTRACT_COLUMNS: Readonly<Record<RecordType, readonly ColumnSpec[]>> = {
  operation: OPERATION_COLUMNS,
  subject: SUBJECT_COLUMNS,
  object: OBJECT_COLUMNS,
  location: LOCATION_COLUMNS,
};

/** The loose row schema of each record type's extract. */
export const EXTRACT_ROW_SCHEMAS = {
  operation: OperationExtractRowSchema,
  subject: SubjectExtractRowSchema,
  object: ObjectExtractRowSchema,
  location: LocationExtractRowSchema,
} as const;
