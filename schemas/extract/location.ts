import { type ColumnSpec, column, extractRowSchema } from './column-spec.ts';
import {
  discarded,
  HANDLING_COLUMNS,
  IDENTITY_COLUMNS,
  OPERATION_REFS_COLUMN,
  SUBJECT_REFS_COLUMN,
} from './common-columns.ts';
import { LOCATION_TYPE_VOCABULARY } from './vocabularies.ts';

/** Columns of a locations extract. At least one of postcode, uprn, town, pfa_code, lad_code, country or coordinates. */
export const LOCATION_COLUMNS: readonly ColumnSpec[] = [
  ...IDENTITY_COLUMNS(['location_ref']),
  column('location_type', 'enum', 'Kind of location.', 'EXPLOITATION_SITE', {
    required: true,
    synonyms: ['type', 'site_type', 'locationtype'],
    vocabulary: LOCATION_TYPE_VOCABULARY,
  }),
  column('postcode', 'text', 'Postcode (UK postcodes are checked and written as "SW1A 1AA").', 'B1 1AA', {
    synonyms: ['post_code', 'postal_code', 'zip'],
    maxLength: 16,
  }),
  column('uprn', 'text', 'Unique Property Reference Number (digits).', '100070321456', {
    synonyms: ['uprn_number'],
    maxLength: 12,
  }),
  column('town', 'text', 'Town or locality.', 'Birmingham', {
    synonyms: ['city', 'locality', 'place', 'town_city'],
    maxLength: 64,
  }),
  column('pfa_code', 'org', 'Police force area (territorial force code, ONS code or name).', 'PF-E23000014', {
    synonyms: ['force_area', 'pfa', 'police_force_area'],
  }),
  column('lad_code', 'text', 'ONS local authority district code.', 'E08000025', {
    synonyms: ['lad', 'local_authority', 'lad_cd', 'local_authority_code'],
    maxLength: 9,
  }),
  column('country', 'country', 'Country of the location.', 'GBR', { synonyms: ['country_code'] }),
  column('latitude', 'decimal', 'WGS84 latitude (never published).', '52.4797', { synonyms: ['lat'] }),
  column('longitude', 'decimal', 'WGS84 longitude (never published).', '-1.9027', {
    synonyms: ['lon', 'lng', 'long'],
  }),
  SUBJECT_REFS_COLUMN,
  OPERATION_REFS_COLUMN,
  ...HANDLING_COLUMNS,
  ...discarded([
    'address',
    'address_line_1',
    'address_line_2',
    'address_line_3',
    'street',
    'house_number',
    'business_name',
    'notes',
    'comments',
  ]),
];

/** Loose schema of one locations extract row (canonical column names). */
export const LocationExtractRowSchema = extractRowSchema(LOCATION_COLUMNS);
