import { type ColumnSpec, column, extractRowSchema } from './column-spec.ts';
import { discarded, HANDLING_COLUMNS, IDENTITY_COLUMNS, OPERATION_REFS_COLUMN } from './common-columns.ts';
import {
  AGE_AT_EXPLOITATION_VOCABULARY,
  AGE_BAND_VOCABULARY,
  COMPETENT_AUTHORITY_VOCABULARY,
  EXPLOITATION_LOCATION_VOCABULARY,
  EXPLOITATION_SUB_TYPE_VOCABULARY,
  EXPLOITATION_TYPE_VOCABULARY,
  LABOUR_INDUSTRY_VOCABULARY,
  MEANS_OF_CONTROL_VOCABULARY,
  NRM_DECISION_VOCABULARY,
  RECRUITER_RELATIONSHIP_VOCABULARY,
  RECRUITMENT_METHOD_VOCABULARY,
  ROLE_IN_PROCESS_VOCABULARY,
  ROLE_VOCABULARY,
  SEX_VOCABULARY,
} from './vocabularies.ts';

/** Columns of a subjects extract (one row per person record). No names: name columns are discarded. */
export const SUBJECT_COLUMNS: readonly ColumnSpec[] = [
  ...IDENTITY_COLUMNS(['person_ref', 'nominal_ref']),
  column('roles', 'enum-list', "The person's roles in the record.", 'POTENTIAL_VICTIM', {
    required: true,
    synonyms: ['role', 'subject_role', 'person_role', 'subject_roles'],
    vocabulary: ROLE_VOCABULARY,
  }),
  OPERATION_REFS_COLUMN,
  column('crime_refs', 'text-list', 'Crime references the person is linked to.', 'CR/0012345/26', {
    synonyms: ['crime_references', 'crime_ref', 'crime_numbers'],
    maxLength: 64,
  }),
  column(
    'pnc_id',
    'identifier',
    'PNC ID (YY/NNNNNNNA or YYYY/NNNNNNNA); restricted, used only to de-duplicate.',
    '2001/0123456X',
    {
      synonyms: ['pnc', 'pnc_number', 'pncid', 'pnc_no'],
    },
  ),
  column('cro_number', 'identifier', 'CRO number (NNNNNN/YYA); restricted.', '123456/01A', {
    synonyms: ['cro', 'cro_no', 'cro_ref'],
  }),
  column('nrm_reference', 'identifier', 'NRM case reference; restricted.', 'NRM-2026-001234', {
    synonyms: ['nrm_ref', 'nrm_case_ref', 'nrm_case_reference'],
  }),
  column('passport_number', 'identifier', 'Passport number; restricted.', '123456789', {
    synonyms: ['passport', 'passport_no'],
  }),
  column('passport_issuing_state', 'country', 'Country that issued the passport.', 'ALB', {
    synonyms: ['passport_country', 'passport_issuer', 'issuing_state'],
  }),
  column('sex', 'enum', 'Sex / gender as recorded; default NOT_KNOWN.', 'FEMALE', {
    synonyms: ['gender', 'sex_gender', 'gender_identity'],
    vocabulary: SEX_VOCABULARY,
  }),
  column('date_of_birth', 'date', 'Date of birth (day, month or year precision).', '14/03/1998', {
    synonyms: ['dob', 'birth_date', 'birthdate', 'd_o_b'],
  }),
  column(
    'age',
    'integer',
    'Age in whole years at the end of the period, when there is no date of birth.',
    '27',
    {
      synonyms: ['age_years', 'age_in_years'],
    },
  ),
  column('age_band', 'enum', 'Age band, when neither date of birth nor age is given.', '25-34', {
    synonyms: ['ageband', 'age_group', 'age_range'],
    vocabulary: AGE_BAND_VOCABULARY,
  }),
  column(
    'age_at_exploitation',
    'enum',
    'Adult or child (under 18) when exploited. Default: from date_of_birth or age at the end of the period, CHILD under 18, ADULT 18 or over; UNKNOWN when neither is given or a partial date of birth could be either side of 18. The extract has no date of exploitation: send CHILD for a person now adult who was exploited as a child.',
    'ADULT',
    {
      synonyms: ['adult_or_child', 'age_category', 'majority_status', 'child_or_adult'],
      vocabulary: AGE_AT_EXPLOITATION_VOCABULARY,
    },
  ),
  column(
    'nationality',
    'nationality-list',
    'Nationalities (first = primary): alpha-3, alpha-2, country name or demonym; Stateless; Unknown.',
    'Albanian',
    {
      synonyms: ['nationalities', 'citizenship', 'citizenships'],
    },
  ),
  column('country_of_birth', 'country', 'Country of birth.', 'VNM', {
    synonyms: ['birth_country', 'cob', 'place_of_birth_country'],
  }),
  column(
    'exploitation_types',
    'enum-list',
    'Exploitation types (a sub-type such as "county lines" adds its type).',
    'CRIMINAL',
    {
      synonyms: ['exploitation_type', 'exploitation', 'type_of_exploitation', 'types_of_exploitation'],
      vocabulary: EXPLOITATION_TYPE_VOCABULARY,
    },
  ),
  column('exploitation_sub_types', 'enum-list', 'Exploitation sub-types.', 'COUNTY_LINES', {
    synonyms: ['exploitation_sub_type', 'exploitation_subtypes', 'exploitation_subtype', 'sub_types'],
    vocabulary: EXPLOITATION_SUB_TYPE_VOCABULARY,
  }),
  column('exploitation_location', 'enum', 'Where the exploitation happened; default UNKNOWN.', 'UK_ONLY', {
    synonyms: ['where_exploited', 'location_of_exploitation', 'where_exploitation_happened'],
    vocabulary: EXPLOITATION_LOCATION_VOCABULARY,
  }),
  column('means_of_control', 'enum-list', 'Means of control used.', 'DEBT_BONDAGE;THREATS', {
    synonyms: ['control_methods', 'methods_of_control'],
    vocabulary: MEANS_OF_CONTROL_VOCABULARY,
  }),
  column('recruitment_methods', 'enum-list', 'How the person was recruited.', 'ONLINE_ADVERT', {
    synonyms: ['recruitment_method', 'method_of_recruitment'],
    vocabulary: RECRUITMENT_METHOD_VOCABULARY,
  }),
  column('recruiter_relationship', 'enum', 'Relationship to the recruiter.', 'ACQUAINTANCE', {
    synonyms: ['relationship_to_recruiter', 'relationship_to_trafficker'],
    vocabulary: RECRUITER_RELATIONSHIP_VOCABULARY,
  }),
  column('labour_industry', 'enum', 'ISIC section (A-U) of the industry of labour exploitation.', 'F', {
    synonyms: ['industry', 'sector', 'isic_section', 'labour_sector'],
    vocabulary: LABOUR_INDUSTRY_VOCABULARY,
  }),
  column('nrm_referral_date', 'date', 'Date of the NRM referral.', '2026-10-02', {
    synonyms: ['referral_date', 'nrm_date'],
  }),
  column('competent_authority', 'enum', 'NRM competent authority: SCA or IECA.', 'SCA', {
    synonyms: ['ca', 'nrm_competent_authority'],
    vocabulary: COMPETENT_AUTHORITY_VOCABULARY,
  }),
  column('rg_decision', 'enum', 'Reasonable grounds decision.', 'POSITIVE', {
    synonyms: ['reasonable_grounds', 'reasonable_grounds_decision'],
    vocabulary: NRM_DECISION_VOCABULARY,
  }),
  column('cg_decision', 'enum', 'Conclusive grounds decision.', 'PENDING', {
    synonyms: ['conclusive_grounds', 'conclusive_grounds_decision'],
    vocabulary: NRM_DECISION_VOCABULARY,
  }),
  column(
    'dtn_only',
    'boolean',
    'Duty to Notify report only (the adult did not consent to a referral); default no.',
    'no',
    {
      synonyms: ['duty_to_notify_only', 'dtn'],
    },
  ),
  column(
    'county_lines',
    'boolean',
    'County lines flag; default: yes when a sub-type is COUNTY_LINES.',
    'no',
    {
      synonyms: ['county_lines_flag', 'is_county_lines'],
    },
  ),
  column(
    'role_in_process',
    'enum-list',
    "Offender's role in the trafficking process.",
    'RECRUITER_OR_INTERMEDIARY',
    {
      synonyms: ['roles_in_process', 'offender_role'],
      vocabulary: ROLE_IN_PROCESS_VOCABULARY,
    },
  ),
  ...HANDLING_COLUMNS,
  ...discarded([
    'name',
    'forename',
    'forenames',
    'first_name',
    'given_name',
    'middle_name',
    'surname',
    'last_name',
    'family_name',
    'full_name',
    'alias',
    'aliases',
    'address',
    'notes',
    'comments',
  ]),
];

/** Loose schema of one subjects extract row (canonical column names). */
export const SubjectExtractRowSchema = extractRowSchema(SUBJECT_COLUMNS);
