import { type ColumnSpec, column } from './column-spec.ts';
import { BUSINESS_AREA_VOCABULARY, MOPI_GROUP_VOCABULARY, RECORD_STATUS_VOCABULARY } from './vocabularies.ts';

/** Columns every record type has, first the identity of the record, then its handling. */
export const IDENTITY_COLUMNS = (refSynonyms: readonly string[] = []): ColumnSpec[] => [
  column(
    'source_record_ref',
    'text',
    "The record's reference in the source system (unique within that system).",
    'CR/0012345/26',
    {
      required: true,
      maxLength: 64,
      synonyms: ['ref', 'record_ref', 'urn', 'source_ref', 'record_id', 'reference', ...refSynonyms],
    },
  ),
  column('source_system', 'text', 'Name of the source system, e.g. NICHE, ATHENA, CONNECT, STORM.', 'NICHE', {
    required: true,
    maxLength: 64,
    synonyms: ['system', 'system_name', 'source_system_name'],
  }),
  column(
    'org',
    'org',
    'The submitting organisation (code, ONS code or name); must be the uploader.',
    'PF-E23000001',
    {
      synonyms: [
        'submitting_org',
        'organisation',
        'organization',
        'org_code',
        'force',
        'submitting_organisation',
      ],
    },
  ),
  column(
    'as_at',
    'timestamp',
    'When the record was last updated in the source system (ISO timestamp or date); default: end of the period.',
    '2026-10-14T09:30:00Z',
    { synonyms: ['last_updated', 'updated_at', 'last_modified', 'modified', 'as_of', 'asat'] },
  ),
];

/** Handling columns shared by all record types. */
export const HANDLING_COLUMNS: ColumnSpec[] = [
  column(
    'classification',
    'classification',
    'Government Security Classification: OFFICIAL or OFFICIAL-SENSITIVE, optionally with descriptors; default OFFICIAL-SENSITIVE.',
    'OFFICIAL-SENSITIVE: PERSONAL',
    { synonyms: ['security_classification', 'gsc', 'marking', 'protective_marking'] },
  ),
  column('business_area', 'enum', 'Business area of the source record.', 'INTELLIGENCE', {
    synonyms: ['source_business_area'],
    vocabulary: BUSINESS_AREA_VOCABULARY,
  }),
  column(
    'intel_grading',
    'grading',
    '3x5x2 grading as source/intelligence/handling (e.g. 1/A/P, 2BC) or legacy 5x5x5 (e.g. B2 4, kept as given). Required for INTELLIGENCE records.',
    '2/B/P',
    { synonyms: ['grading', 'intelligence_grading', 'evaluation', '3x5x2'] },
  ),
  column(
    'handling_conditions',
    'text',
    'Handling conditions; required when the 3x5x2 handling code is C.',
    'Not to be shared outside policing',
    {
      synonyms: ['conditions', 'handling_condition'],
      maxLength: 500,
    },
  ),
  column(
    'mopi_group',
    'enum',
    'MoPI review group 1-4 as carried by the source system; default UNASSIGNED.',
    '3',
    {
      synonyms: ['mopi', 'mopi_grouping'],
      vocabulary: MOPI_GROUP_VOCABULARY,
    },
  ),
  column(
    'record_status',
    'enum',
    'ACTIVE, or WITHDRAWN when the source record was deleted (e.g. under MoPI review): its markers are withdrawn. Default ACTIVE.',
    'WITHDRAWN',
    {
      synonyms: ['record_state', 'source_record_status'],
      vocabulary: RECORD_STATUS_VOCABULARY,
    },
  ),
];

/** Free-text columns recognised so they cause no warning, and never stored. */
export const discarded = (names: readonly string[]): ColumnSpec[] =>
  names.map((name) =>
    column(
      name,
      'discarded',
      'Free text: accepted but never stored (the pipeline holds no names or notes).',
      '',
    ),
  );

/** A column of references to operations of the same source system. */
export const OPERATION_REFS_COLUMN = column(
  'operation_refs',
  'text-list',
  "References (source_record_ref) of the submitter's operations this record belongs to.",
  'OP-2026-0042',
  { synonyms: ['operation_ref', 'operations', 'operation_reference', 'operation_references'], maxLength: 64 },
);

/** A column of references to subjects of the same source system. */
export const SUBJECT_REFS_COLUMN = column(
  'subject_refs',
  'text-list',
  'References (source_record_ref) of the subjects linked to this record.',
  'P-000123;P-000124',
  { synonyms: ['subject_ref', 'subjects', 'linked_subjects', 'person_refs'], maxLength: 64 },
);
