import type { CanonicalRecord } from '../canonical/record.ts';
import { formatClassification } from '../common/classification.ts';
import { endOfMonth, type PartialDate } from '../common/dates.ts';
import { formatIntelGrading } from '../common/intel-grading.ts';

const list = (values: readonly string[]): string => values.join(';');

/** A partial date written back at its precision: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
export const formatPartialDate = (d: PartialDate | undefined): string =>
  d === undefined
    ? ''
    : d.precision === 'DAY'
      ? d.date
      : d.precision === 'MONTH'
        ? d.date.slice(0, 7)
        : d.date.slice(0, 4);

const yesNo = (b: boolean | undefined): string => (b === undefined ? '' : b ? 'yes' : 'no');
const num = (n: number | undefined): string => (n === undefined ? '' : String(n));

/**
 * Writes a canonical record back as an extract row (canonical column names, text values). Normalising
 * that row with the record's own context gives the same record: the normaliser is idempotent. Used by
 * tests, the synthetic generator and tools that re-submit records.
 */
export const toExtractRow = (record: CanonicalRecord): Record<string, string> => {
  const common: Record<string, string> = {
    source_record_ref: record.sourceRecordRef,
    source_system: record.sourceSystem,
    org: record.sourceOrg,
    // The default (end of the period) is left out: it may lie after the upload, where a given as_at may not.
    as_at: record.asAt === endOfMonth(record.period) ? '' : record.asAt,
    classification: formatClassification(record.classification),
    business_area: record.businessArea ?? '',
    intel_grading: record.intelGrading ? formatIntelGrading(record.intelGrading) : '',
    handling_conditions:
      record.intelGrading?.scheme === '3x5x2' && record.intelGrading.handling === 'C'
        ? record.intelGrading.handlingConditions
        : '',
    mopi_group: record.mopiGroup,
    record_status: record.recordStatus ?? '',
  };
  switch (record.recordType) {
    case 'operation':
      return {
        ...common,
        lead_org: record.leadOrg,
        partner_orgs: list(record.partnerOrgs),
        threat_type: record.threatType,
        exploitation_types: list(record.exploitationTypes),
        exploitation_sub_types: list(record.exploitationSubTypes),
        status: record.status,
        opened_on: formatPartialDate(record.openedOn),
        closed_on: formatPartialDate(record.closedOn),
        pfa_codes: list(record.pfaCodes),
        overseas_countries: list(record.overseasCountries),
        ho_offence_codes: list(record.hoOffenceCodes),
        crime_refs: list(record.crimeRefs),
        ocg_linked: yesNo(record.ocgLinked),
        potential_victims_identified: num(record.counts.potentialVictimsIdentified),
        nrm_referrals_made: num(record.counts.nrmReferralsMade),
        dtn_reports: num(record.counts.dtnReports),
        suspects_identified: num(record.counts.suspectsIdentified),
        arrests: num(record.counts.arrests),
        charges: num(record.counts.charges),
        stpo_stro_sought: num(record.counts.stpoStroSought),
      };
    case 'subject':
      return {
        ...common,
        roles: list(record.roles),
        operation_refs: list(record.operationRefs),
        crime_refs: list(record.crimeRefs),
        pnc_id: record.identifiers.pncId ?? '',
        cro_number: record.identifiers.croNumber ?? '',
        nrm_reference: record.identifiers.nrmReference ?? '',
        passport_number: record.identifiers.passport?.number ?? '',
        passport_issuing_state: record.identifiers.passport?.issuingState ?? '',
        sex: record.sex,
        date_of_birth: formatPartialDate(record.dateOfBirth),
        age_band: record.ageBand,
        age_at_exploitation: record.ageAtExploitation,
        nationality: list(record.nationalities),
        country_of_birth: record.countryOfBirth ?? '',
        exploitation_types: list(record.exploitationTypes),
        exploitation_sub_types: list(record.exploitationSubTypes),
        exploitation_location: record.exploitationLocation,
        means_of_control: list(record.meansOfControl),
        recruitment_methods: list(record.recruitmentMethods),
        recruiter_relationship: record.recruiterRelationship ?? '',
        labour_industry: record.labourIndustry ?? '',
        nrm_referral_date: formatPartialDate(record.nrm.referralDate),
        competent_authority: record.nrm.competentAuthority ?? '',
        rg_decision: record.nrm.rgDecision ?? '',
        cg_decision: record.nrm.cgDecision ?? '',
        dtn_only: yesNo(record.nrm.dtnOnly),
        county_lines: yesNo(record.countyLinesFlag),
        role_in_process: list(record.roleInProcess),
      };
    case 'object':
      return {
        ...common,
        object_type: record.objectType,
        identifier: record.identifier,
        issuing_country: record.issuingCountry ?? '',
        subject_refs: list(record.subjectRefs),
        operation_refs: list(record.operationRefs),
      };
    case 'location':
      return {
        ...common,
        location_type: record.locationType,
        postcode: record.postcode ?? '',
        uprn: record.uprn ?? '',
        town: record.town ?? '',
        pfa_code: record.pfaCode ?? '',
        lad_code: record.ladCode ?? '',
        country: record.country ?? '',
        latitude: num(record.coordinates?.latitude),
        longitude: num(record.coordinates?.longitude),
        subject_refs: list(record.subjectRefs),
        operation_refs: list(record.operationRefs),
      };
  }
};
