import { type ColumnSpec, column, extractRowSchema } from './column-spec.ts';
import {
  discarded,
  HANDLING_COLUMNS,
  IDENTITY_COLUMNS,
  OPERATION_REFS_COLUMN,
  SUBJECT_REFS_COLUMN,
} from './common-columns.ts';
import { OBJECT_TYPE_VOCABULARY } from './vocabularies.ts';

/** Columns of an objects extract (vehicles, phones, accounts, documents, adverts). */
export const OBJECT_COLUMNS: readonly ColumnSpec[] = [
  ...IDENTITY_COLUMNS(['object_ref']),
  column('object_type', 'enum', 'Kind of object.', 'VEHICLE', {
    required: true,
    synonyms: ['type', 'objecttype', 'category', 'object_category'],
    vocabulary: OBJECT_TYPE_VOCABULARY,
  }),
  column(
    'identifier',
    'identifier',
    'VRM (vehicle), phone number (UK 07… or international +…), IBAN or sort code + account number (stored only as a hash), document number, advert URL or reference.',
    'AB12 CDE',
    {
      required: true,
      synonyms: ['value', 'object_identifier', 'object_id', 'vrm', 'registration', 'phone_number', 'number'],
    },
  ),
  column('issuing_country', 'country', 'Country of registration or issue (vehicles, documents).', 'GBR', {
    synonyms: ['country', 'registration_country', 'country_of_issue'],
  }),
  SUBJECT_REFS_COLUMN,
  OPERATION_REFS_COLUMN,
  ...HANDLING_COLUMNS,
  ...discarded(['description', 'make', 'model', 'colour', 'color', 'notes', 'comments']),
];

/** Loose schema of one objects extract row (canonical column names). */
export const ObjectExtractRowSchema = extractRowSchema(OBJECT_COLUMNS);
