import { z } from 'zod';
import { CountryCodeSchema } from '../common/nationality.ts';
import { KeyedDigestSchema, PseudonymousRefSchema } from '../common/pseudonym.ts';
import { charsSchema } from '../common/text-length.ts';
import { ENVELOPE_SHAPE, LinkedRefSchema } from './envelope.ts';

/** Kinds of POLE object held. */
export const OBJECT_TYPES = ['VEHICLE', 'PHONE', 'ACCOUNT', 'DOCUMENT', 'PREMISES_ADVERT', 'OTHER'] as const;
export const ObjectTypeSchema = z.enum(OBJECT_TYPES);
export type ObjectType = z.infer<typeof ObjectTypeSchema>;

/** How an object's identifier is written, one scheme per object type. */
export const IDENTIFIER_SCHEMES = {
  VEHICLE: 'VRM',
  PHONE: 'E164',
  ACCOUNT: 'ACCOUNT_HASH',
  DOCUMENT: 'DOCUMENT_NUMBER',
  PREMISES_ADVERT: 'ADVERT',
  OTHER: 'TEXT',
} as const satisfies Record<ObjectType, string>;

const base = {
  recordType: z.literal('object'),
  ...ENVELOPE_SHAPE,
  /** Pseudonymous id: `pseudonymousRef(key, sourceOrg, sourceSystem, sourceRecordRef)`. */
  objectId: PseudonymousRefSchema,
  issuingCountry: CountryCodeSchema.optional(),
  subjectRefs: z.array(LinkedRefSchema),
  operationRefs: z.array(LinkedRefSchema),
  operationKeys: z.array(PseudonymousRefSchema),
};

/**
 * A POLE object with its normalised identifier: a vehicle by VRM (upper case, no spaces), a phone in
 * E.164 (`+447700900123`), a bank account only as `sha256:` of its IBAN or sort code and number, a
 * document number (upper case, no spaces), a premises advert (URL or reference) or other text.
 */
export const ObjectRecordSchema = z.discriminatedUnion('objectType', [
  z.strictObject({
    ...base,
    objectType: z.literal('VEHICLE'),
    identifier: z.string().regex(/^[A-Z0-9]{1,10}$/),
  }),
  z.strictObject({
    ...base,
    objectType: z.literal('PHONE'),
    identifier: z.string().regex(/^\+[1-9]\d{6,14}$/),
  }),
  z.strictObject({
    ...base,
    objectType: z.literal('ACCOUNT'),
    /** Held only as a keyed digest (`normaliseAccount`). */
    identifier: KeyedDigestSchema,
  }),
  z.strictObject({
    ...base,
    objectType: z.literal('DOCUMENT'),
    identifier: z.string().regex(/^[A-Z0-9/-]{1,32}$/),
  }),
  z.strictObject({
    ...base,
    objectType: z.literal('PREMISES_ADVERT'),
    identifier: charsSchema(256, { noControl: true }),
  }),
  z.strictObject({
    ...base,
    objectType: z.literal('OTHER'),
    identifier: charsSchema(128, { noControl: true }),
  }),
]);
export type ObjectRecord = z.infer<typeof ObjectRecordSchema>;
