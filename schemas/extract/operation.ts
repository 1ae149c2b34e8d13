import { type ColumnSpec, column, extractRowSchema } from './column-spec.ts';
import { discarded, HANDLING_COLUMNS, IDENTITY_COLUMNS } from './common-columns.ts';
import {
  EXPLOITATION_SUB_TYPE_VOCABULARY,
  EXPLOITATION_TYPE_VOCABULARY,
  OPERATION_STATUS_VOCABULARY,
  THREAT_TYPE_VOCABULARY,
} from './vocabularies.ts';

const count = (name: string, what: string, synonyms: readonly string[]): ColumnSpec =>
  column(name, 'integer', `Number of ${what} in the month (whole number; blank = not known).`, '2', {
    synonyms,
  });

/** Columns of an operations extract (one row per operation per month). */
export const OPERATION_COLUMNS: readonly ColumnSpec[] = [
  ...IDENTITY_COLUMNS(['operation_ref', 'operation_reference', 'op_ref', 'local_ref']),
  column(
    'lead_org',
    'org',
    "Organisation leading the operation; default: the submitter. Kept as an attribute only: the row's figures always count under the submitting organisation, and a lead other than the submitter gives the warning LEAD_ORG_NOT_SUBMITTER (report only your own part of a joint operation).",
    'PF-E23000001',
    { synonyms: ['lead_organisation', 'lead_force'] },
  ),
  column('partner_orgs', 'org-list', 'Partner organisations (codes or names).', 'NA-NCA;NA-GLAA', {
    synonyms: ['partners', 'partner_organisations', 'partner_forces'],
  }),
  column('threat_type', 'enum', 'The threat addressed.', 'MODERN_SLAVERY', {
    required: true,
    synonyms: ['threat', 'threat_category'],
    vocabulary: THREAT_TYPE_VOCABULARY,
  }),
  column(
    'exploitation_types',
    'enum-list',
    'Exploitation types (a sub-type such as "county lines" adds its type).',
    'LABOUR;CRIMINAL',
    {
      synonyms: ['exploitation_type', 'exploitation'],
      vocabulary: EXPLOITATION_TYPE_VOCABULARY,
    },
  ),
  column('exploitation_sub_types', 'enum-list', 'Exploitation sub-types.', 'COUNTY_LINES', {
    synonyms: ['exploitation_sub_type', 'exploitation_subtypes', 'exploitation_subtype', 'sub_types'],
    vocabulary: EXPLOITATION_SUB_TYPE_VOCABULARY,
  }),
  column('status', 'enum', 'Status at the end of the month.', 'LIVE', {
    required: true,
    synonyms: ['operation_status'],
    vocabulary: OPERATION_STATUS_VOCABULARY,
  }),
  column('opened_on', 'date', 'Date the operation opened.', '2026-03-14', {
    required: true,
    synonyms: ['opened', 'open_date', 'date_opened', 'start_date'],
  }),
  column(
    'closed_on',
    'date',
    'Date the operation closed, if closed. A CLOSED operation without it gets the warning CLOSED_WITHOUT_DATE and counts as closed in the month of the extract.',
    '',
    {
      synonyms: ['closed', 'close_date', 'date_closed', 'end_date'],
    },
  ),
  column(
    'pfa_codes',
    'org-list',
    'Police force areas where activity occurs (territorial forces).',
    'PF-E23000001;PF-E23000032',
    {
      synonyms: ['force_areas', 'pfas', 'pfa', 'police_force_areas'],
    },
  ),
  column('overseas_countries', 'country-list', 'Countries outside the UK involved.', 'ALB;ROU', {
    synonyms: ['countries', 'overseas'],
  }),
  column('ho_offence_codes', 'text-list', 'Home Office offence classification codes.', '106', {
    synonyms: ['ho_codes', 'offence_codes', 'ho_offence_code', 'ho_code'],
    maxLength: 8,
  }),
  column('crime_refs', 'text-list', 'Crime references linked to the operation.', 'CR/0012345/26', {
    synonyms: ['crime_references', 'crime_ref', 'crime_numbers'],
    maxLength: 64,
  }),
  column('ocg_linked', 'boolean', 'Whether an organised crime group is linked.', 'yes', {
    synonyms: ['ocg', 'organised_crime_group'],
  }),
  count('potential_victims_identified', 'potential victims identified', [
    'victims_identified',
    'pvs_identified',
    'potential_victims',
  ]),
  count('nrm_referrals_made', 'NRM referrals made', ['nrm_referrals']),
  count('dtn_reports', 'Duty to Notify reports', ['dtns', 'duty_to_notify']),
  count('suspects_identified', 'suspects identified', ['suspects']),
  count('arrests', 'arrests', ['arrest_count']),
  count('charges', 'charges', ['charge_count']),
  count('stpo_stro_sought', 'STPOs / STROs sought', ['stpo_stro', 'stpos']),
  ...HANDLING_COLUMNS,
  ...discarded(['codename', 'operation_name', 'notes', 'comments']),
];

/** Loose schema of one operations extract row (canonical column names). */
export const OperationExtractRowSchema = extractRowSchema(OPERATION_COLUMNS);
