import { z } from 'zod';
import { LocationSchema } from './location.ts';
import { ObjectRecordSchema } from './object.ts';
import { OperationSchema } from './operation.ts';
import { SubjectSchema } from './subject.ts';

/** Any canonical record, discriminated by `recordType`: operation, subject, object or location. */
export const CanonicalRecordSchema = z.discriminatedUnion('recordType', [
  OperationSchema,
  SubjectSchema,
  ObjectRecordSchema,
  LocationSchema,
]);
export type CanonicalRecord = z.infer<typeof CanonicalRecordSchema>;
