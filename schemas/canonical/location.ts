import { z } from 'zod';
import { CountryCodeSchema } from '../common/nationality.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { PseudonymousRefSchema } from '../common/pseudonym.ts';
import { charsSchema } from '../common/text-length.ts';
import { ENVELOPE_SHAPE, LinkedRefSchema } from './envelope.ts';

/** Kinds of POLE location held. */
export const LOCATION_TYPES = [
  'EXPLOITATION_SITE',
  'RESIDENCE',
  'RECRUITMENT',
  'TRANSIT',
  'BUSINESS',
] as const;
export const LocationTypeSchema = z.enum(LOCATION_TYPES);
export type LocationType = z.infer<typeof LocationTypeSchema>;

/** A full UK postcode, upper case with one space, e.g. `SW1A 1AA`. */
export const UkPostcodeSchema = z.string().regex(/^([A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|GIR 0AA)$/);

/**
 * A POLE location: its type and where it is (postcode, UPRN, town, police force area, local authority
 * district, country, coordinates). Coordinates are never published; no address lines are held.
 */
export const LocationSchema = z.strictObject({
  recordType: z.literal('location'),
  ...ENVELOPE_SHAPE,
  /** Pseudonymous id: `pseudonymousRef(key, sourceOrg, sourceSystem, sourceRecordRef)`. */
  locationId: PseudonymousRefSchema,
  locationType: LocationTypeSchema,
  /** A UK postcode (`SW1A 1AA`) or, outside the UK, the postal code as given (upper case). */
  postcode: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9 -]{1,15}$/)
    .optional(),
  uprn: z
    .string()
    .regex(/^\d{1,12}$/)
    .optional(),
  town: charsSchema(64, { noControl: true }).optional(),
  pfaCode: OrgCodeSchema.optional(),
  ladCode: z
    .string()
    .regex(/^[ENSW]\d{8}$/)
    .optional(),
  country: CountryCodeSchema.optional(),
  coordinates: z
    .strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
    .optional(),
  subjectRefs: z.array(LinkedRefSchema),
  operationRefs: z.array(LinkedRefSchema),
  operationKeys: z.array(PseudonymousRefSchema),
});
export type Location = z.infer<typeof LocationSchema>;
