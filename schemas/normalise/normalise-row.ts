import type { ObjectType } from '../canonical/object.ts';
import type { CanonicalRecord } from '../canonical/record.ts';
import { ACCEPTED_MARKINGS, type Classification } from '../common/classification.ts';
import { daysInMonth, endOfMonth, type IsoMonth, type PartialDate } from '../common/dates.ts';
import { type AgeBand, ageBandFor } from '../common/demographics.ts';
import {
  EXPLOITATION_SUB_TYPES,
  type ExploitationSubType,
  type ExploitationType,
} from '../common/exploitation.ts';
import type { IntelGrading } from '../common/intel-grading.ts';
import { type OrgCode, orgName, resolveOrg as resolveOrgUncached } from '../common/organisations.ts';
import { type PseudonymKey, pseudonymousRef } from '../common/pseudonym.ts';
import * as V from '../extract/vocabularies.ts';
import { lookupVocabulary } from '../extract/vocabulary.ts';
import { RECORD_TYPES, type RecordType } from '../record-types.ts';
import { MAPPING_VERSION, SCHEMA_VERSION } from '../version.ts';
import type { RowIssue } from './codes.ts';
import { compact } from './compact.ts';
import * as Id from './identifiers.ts';
import { memoByText } from './memo.ts';
import { clip, createReader, type RowReader } from './reader.ts';
import { cachedValidatorForFile } from './record-validator.ts';
import {
  parseClassification as parseClassificationUncached,
  parseIntelGrading,
  readRaw,
  splitItems,
} from './values.ts';

const resolveOrg = memoByText(resolveOrgUncached);
const parseClassification = memoByText(parseClassificationUncached);

/** What the normaliser is told about a row besides its fields: everything it may not look up itself. */
export type NormaliseContext = {
  org: OrgCode;
  period: IsoMonth;
  uploadId: string;
  fileSha256: string;
  /** 1-based data row number; header is row 0 for CSV, line number for JSONL. */
  rowNumber: number;
  /** ISO timestamp, injected (the normaliser reads no clock). */
  ingestedAt: string;
  /** The key every pseudonymous reference is made with (the normaliser reads no secret). */
  pseudonymKey: PseudonymKey;
};

/** The outcome for one row: a canonical record (maybe with warnings) or every reason it was rejected. */
export type RowOutcome =
  | { status: 'ACCEPTED' | 'ACCEPTED_WITH_WARNINGS'; record: CanonicalRecord; warnings: RowIssue[] }
  | { status: 'REJECTED'; issues: RowIssue[] };

/** The classification given to a record that states none: personal data about MSHT is OFFICIAL-SENSITIVE. */
export const DEFAULT_CLASSIFICATION: Classification = { tier: 'OFFICIAL', sensitive: true };

const ONE_DAY_MS = 86_400_000;

/** `endOfMonth` of the last period asked for: every row of a file has the same period. */
let lastPeriod: { period: string; end: string } | undefined;
const periodEnd = (period: IsoMonth): string => {
  if (lastPeriod?.period !== period) lastPeriod = { period, end: endOfMonth(period) };
  return lastPeriod.end;
};

/** The ingest day (`YYYY-MM-DD`) of the last ingest time asked for. */
let lastIngest: { at: string; ms: number; day: string | undefined } | undefined;
const ingestTime = (ingestedAt: string): { ms: number; day: string | undefined } => {
  if (lastIngest?.at !== ingestedAt) {
    const ms = Date.parse(ingestedAt);
    lastIngest = {
      at: ingestedAt,
      ms,
      day: Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : undefined,
    };
  }
  return lastIngest;
};

const EXPLOITATION_TYPE_ORDER = Object.keys(V.EXPLOITATION_TYPE_VOCABULARY) as ExploitationType[];
const EXPLOITATION_SUB_TYPE_ORDER = Object.keys(EXPLOITATION_SUB_TYPES) as ExploitationSubType[];

type Envelope = {
  schemaVersion: 1;
  sourceOrg: OrgCode;
  sourceSystem: string;
  sourceRecordRef: string;
  asAt: string;
  period: IsoMonth;
  classification: Classification;
  businessArea?: string;
  intelGrading?: IntelGrading;
  mopiGroup: string;
  provenance: Record<string, unknown>;
};

const readEnvelope = (r: RowReader, ctx: NormaliseContext): Envelope => {
  const sourceRecordRef = r.ref('source_record_ref', { required: true, max: 64 }) ?? '';
  const sourceSystem = r.ref('source_system', { required: true, max: 64 }) ?? '';

  const orgText = r.scalar('org');
  if (orgText !== undefined) {
    const claimed = resolveOrg(orgText);
    if (claimed === undefined) {
      r.reject(
        'org',
        'UNKNOWN_ORG',
        `org '${clip(orgText)}' is not a known organisation; use your code, e.g. ${ctx.org}`,
        orgText,
      );
    } else if (claimed !== ctx.org) {
      r.reject(
        'org',
        'ORG_MISMATCH',
        `org ${claimed} (${orgName(claimed)}) is not the uploading organisation ${ctx.org} (${orgName(ctx.org)}); upload each organisation's rows under its own folder`,
        orgText,
      );
    }
  }

  let asAt = r.timestamp('as_at');
  const ingestedMs = ingestTime(ctx.ingestedAt).ms;
  if (asAt !== undefined && Number.isFinite(ingestedMs) && Date.parse(asAt) > ingestedMs + ONE_DAY_MS) {
    r.reject(
      'as_at',
      'DATE_IN_FUTURE',
      `as_at '${asAt}' is later than the time the file was received; check the timestamp`,
      asAt,
    );
    asAt = undefined;
  }

  let classification = DEFAULT_CLASSIFICATION;
  const classificationText = r.scalar('classification');
  if (classificationText !== undefined) {
    const parsed = parseClassification(classificationText);
    if (parsed.ok) classification = parsed.value;
    else if (parsed.reason === 'too-high') {
      r.reject(
        'classification',
        'CLASSIFICATION_TOO_HIGH',
        `classification '${clip(classificationText)}' is above OFFICIAL (it names ${parsed.tier ?? 'a higher tier'}); SECRET, TOP SECRET and CONFIDENTIAL material must not be sent to this pipeline`,
        classificationText,
      );
    } else {
      r.reject(
        'classification',
        'INVALID_VALUE',
        `classification '${clip(classificationText)}' is not recognised; use ${ACCEPTED_MARKINGS}`,
        classificationText,
      );
    }
  }

  const businessArea = r.enumValue('business_area', V.BUSINESS_AREA_VOCABULARY);
  const conditions = r.freeText('handling_conditions', 500);
  let intelGrading: IntelGrading | undefined;
  const gradingText = r.scalar('intel_grading');
  if (gradingText !== undefined) {
    const parsed = parseIntelGrading(gradingText);
    if (!parsed.ok) {
      r.reject(
        'intel_grading',
        'INVALID_VALUE',
        `intel_grading '${clip(gradingText)}' is not a grading; use 3x5x2 as source/intelligence/handling such as 1/A/P, or a 5x5x5 grading such as B24`,
        gradingText,
      );
    } else if (parsed.value.scheme === '3x5x2' && parsed.value.handling === 'C') {
      if (conditions === undefined) {
        r.reject(
          'handling_conditions',
          'HANDLING_CONDITIONS_MISSING',
          `intel_grading '${clip(gradingText)}' has handling code C, so handling_conditions must state the conditions`,
        );
      } else intelGrading = { ...parsed.value, handling: 'C', handlingConditions: conditions };
    } else if (parsed.value.scheme === '3x5x2') {
      intelGrading = { ...parsed.value, handling: 'P' };
    } else intelGrading = parsed.value;
  } else if (businessArea === 'INTELLIGENCE') {
    r.reject(
      'intel_grading',
      'REQUIRED_MISSING',
      'intel_grading is required for INTELLIGENCE records; give the 3x5x2 grading such as 2/B/P',
    );
  }

  const mopiGroup = r.enumValue('mopi_group', V.MOPI_GROUP_VOCABULARY) ?? 'UNASSIGNED';
  const recordStatus = r.enumValue('record_status', V.RECORD_STATUS_VOCABULARY);

  return compact({
    schemaVersion: SCHEMA_VERSION,
    sourceOrg: ctx.org,
    sourceSystem,
    sourceRecordRef,
    asAt: asAt ?? periodEnd(ctx.period),
    period: ctx.period,
    classification,
    businessArea,
    intelGrading,
    mopiGroup,
    recordStatus: recordStatus === 'WITHDRAWN' ? 'WITHDRAWN' : undefined,
    provenance: {
      uploadId: ctx.uploadId,
      submittingOrg: ctx.org,
      sourceSystem,
      sourceRecordRef,
      fileSha256: ctx.fileSha256,
      rowNumber: ctx.rowNumber,
      ingestedAt: ctx.ingestedAt,
      schemaVersion: SCHEMA_VERSION,
      mappingVersion: MAPPING_VERSION,
    },
  });
};

/** Exploitation types and sub-types from two columns; a sub-type brings its type. */
const readExploitation = (
  r: RowReader,
): { exploitationTypes: ExploitationType[]; exploitationSubTypes: ExploitationSubType[] } => {
  const types = new Set<ExploitationType>();
  const subTypes = new Set<ExploitationSubType>(
    r.enumList('exploitation_sub_types', V.EXPLOITATION_SUB_TYPE_VOCABULARY),
  );
  for (const item of r.items('exploitation_types')) {
    const type = lookupVocabulary(V.EXPLOITATION_TYPE_VOCABULARY, item);
    const sub = type === undefined ? lookupVocabulary(V.EXPLOITATION_SUB_TYPE_VOCABULARY, item) : undefined;
    if (type !== undefined) types.add(type);
    else if (sub !== undefined) subTypes.add(sub);
    else {
      r.reject(
        'exploitation_types',
        'INVALID_VALUE',
        `exploitation_types '${clip(item)}' is not an allowed value; use CRIMINAL, LABOUR, SEXUAL, DOMESTIC_SERVITUDE, ORGAN_HARVESTING, OTHER, NOT_SPECIFIED_OR_UNKNOWN or a sub-type such as county lines`,
        item,
      );
    }
  }
  for (const sub of subTypes) types.add(EXPLOITATION_SUB_TYPES[sub]);
  return {
    exploitationTypes: EXPLOITATION_TYPE_ORDER.filter((t) => types.has(t)),
    exploitationSubTypes:
      subTypes.size === 0 ? [] : EXPLOITATION_SUB_TYPE_ORDER.filter((s) => subTypes.has(s)),
  };
};

const operationKeysOf = (key: PseudonymKey, org: OrgCode, refs: readonly string[]): string[] =>
  refs.map((ref) => pseudonymousRef(key, org, ref));

/**
 * The lead organisation as given, kept as an attribute: figures are always attributed to the submitter
 * (docs/aggregates.md, "Attribution and joint operations"), so a lead other than the submitter is warned about.
 */
const leadOrgOf = (r: RowReader, env: Envelope): OrgCode => {
  const lead = r.org('lead_org');
  if (lead !== undefined && lead !== env.sourceOrg) {
    r.warn(
      'lead_org',
      'LEAD_ORG_NOT_SUBMITTER',
      `lead_org names ${lead}, not the submitting organisation ${env.sourceOrg}: kept as an attribute; the operation's figures count under ${env.sourceOrg}`,
      lead,
    );
  }
  return lead ?? env.sourceOrg;
};

const buildOperation = (r: RowReader, env: Envelope, key: PseudonymKey) => {
  const openedOn = r.date('opened_on', true);
  const closedOn = r.date('closed_on');
  if (openedOn && closedOn && closedOn.date < openedOn.date) {
    r.reject('closed_on', 'INVALID_DATE', `closed_on ${closedOn.date} is before opened_on ${openedOn.date}`);
  }
  const status = r.enumValue('status', V.OPERATION_STATUS_VOCABULARY, true);
  if (status === 'CLOSED' && !closedOn && !r.issues.some((issue) => issue.field === 'closed_on')) {
    r.warn(
      'closed_on',
      'CLOSED_WITHOUT_DATE',
      `status is CLOSED but closed_on is empty: the operation counts as closed in ${env.period}, the month of this extract; give closed_on so it counts in the month it closed`,
    );
  }
  const count = (field: string) => r.integer(field, 1_000_000);
  return compact({
    recordType: 'operation' as const,
    ...env,
    operationKey: pseudonymousRef(key, env.sourceOrg, env.sourceRecordRef),
    leadOrg: leadOrgOf(r, env),
    partnerOrgs: r.orgList('partner_orgs'),
    threatType: r.enumValue('threat_type', V.THREAT_TYPE_VOCABULARY, true),
    ...readExploitation(r),
    status,
    openedOn,
    closedOn,
    pfaCodes: r.orgList('pfa_codes', true),
    overseasCountries: r.countryList('overseas_countries'),
    hoOffenceCodes: r.refList('ho_offence_codes', 8, (text) =>
      /^\d{1,3}[A-Z]?(\/\d{1,2}[A-Z]?)?$/.test(text.toUpperCase())
        ? { ok: true, value: text.toUpperCase() }
        : { ok: false, hint: 'a Home Office offence code such as 106 or 106/1' },
    ),
    crimeRefs: r.refList('crime_refs', 64),
    ocgLinked: r.bool('ocg_linked'),
    counts: compact({
      potentialVictimsIdentified: count('potential_victims_identified'),
      nrmReferralsMade: count('nrm_referrals_made'),
      dtnReports: count('dtn_reports'),
      suspectsIdentified: count('suspects_identified'),
      arrests: count('arrests'),
      charges: count('charges'),
      stpoStroSought: count('stpo_stro_sought'),
    }),
  });
};

/** Whole years between a birth date and a day (both `YYYY-MM-DD`). */
const yearsBetween = (birth: string, day: string): number => {
  const by = Number(birth.slice(0, 4));
  const y = Number(day.slice(0, 4));
  // Month and day compare as text: both are zero-padded `MM-DD`.
  return y - by - (day.slice(5, 10) < birth.slice(5, 10) ? 1 : 0);
};

/** The youngest and oldest a person born on a (partial) date can be on a day. */
const ageRange = (dob: PartialDate, day: string): { min: number; max: number } => {
  const y = Number(dob.date.slice(0, 4));
  const m = Number(dob.date.slice(5, 7));
  const latest =
    dob.precision === 'DAY'
      ? dob.date
      : dob.precision === 'MONTH'
        ? `${dob.date.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, '0')}`
        : `${y}-12-31`;
  return { min: yearsBetween(latest, day), max: yearsBetween(dob.date, day) };
};

const buildSubject = (r: RowReader, env: Envelope, key: PseudonymKey) => {
  const lastDay = periodEnd(env.period).slice(0, 10);
  const dateOfBirth = r.date('date_of_birth');
  const age = r.integer('age', 130);
  const givenBand = r.enumValue('age_band', V.AGE_BAND_VOCABULARY) as AgeBand | undefined;
  const range = dateOfBirth
    ? ageRange(dateOfBirth, lastDay)
    : age !== undefined
      ? { min: age, max: age }
      : undefined;
  const rangeBand =
    range && ageBandFor(range.min) === ageBandFor(range.max) ? ageBandFor(range.max) : undefined;
  const ageBand: AgeBand = rangeBand ?? givenBand ?? 'UNKNOWN';
  const givenAgeAtExploitation = r.enumValue('age_at_exploitation', V.AGE_AT_EXPLOITATION_VOCABULARY);
  const childNow = range !== undefined && range.max >= 0 && range.max < 18;
  // The extract has no date of exploitation: the default is the age at the end of the period, and a
  // partial date of birth that could be either side of 18 gives UNKNOWN (docs/extract-spec.md).
  const adultNow = range !== undefined && range.min >= 18;
  if (givenAgeAtExploitation === 'ADULT' && childNow) {
    r.reject(
      'age_at_exploitation',
      'INVALID_VALUE',
      `age_at_exploitation is ADULT but the person is under 18 at the end of ${env.period} (from date_of_birth or age)`,
    );
  }
  const operationRefs = r.refList('operation_refs', 64);
  const exploitation = readExploitation(r);
  const passportNumber = r.identifier('passport_number', Id.normalisePassportNumber);
  const issuingState = r.country('passport_issuing_state');
  return compact({
    recordType: 'subject' as const,
    ...env,
    subjectId: pseudonymousRef(key, env.sourceOrg, env.sourceSystem, env.sourceRecordRef),
    roles: r.enumList('roles', V.ROLE_VOCABULARY, true),
    operationRefs,
    operationKeys: operationKeysOf(key, env.sourceOrg, operationRefs),
    crimeRefs: r.refList('crime_refs', 64),
    identifiers: compact({
      pncId: r.identifier('pnc_id', Id.normalisePncId),
      croNumber: r.identifier('cro_number', Id.normaliseCroNumber),
      nrmReference: r.identifier('nrm_reference', Id.normaliseNrmReference),
      passport: passportNumber ? compact({ number: passportNumber, issuingState }) : undefined,
    }),
    sex: r.enumValue('sex', V.SEX_VOCABULARY) ?? 'NOT_KNOWN',
    dateOfBirth,
    ageAtExploitation: givenAgeAtExploitation ?? (childNow ? 'CHILD' : adultNow ? 'ADULT' : 'UNKNOWN'),
    ageBand,
    nationalities: r.nationalities('nationality'),
    countryOfBirth: r.country('country_of_birth'),
    ...exploitation,
    exploitationLocation:
      r.enumValue('exploitation_location', V.EXPLOITATION_LOCATION_VOCABULARY) ?? 'UNKNOWN',
    meansOfControl: r.enumList('means_of_control', V.MEANS_OF_CONTROL_VOCABULARY),
    recruitmentMethods: r.enumList('recruitment_methods', V.RECRUITMENT_METHOD_VOCABULARY),
    recruiterRelationship: r.enumValue('recruiter_relationship', V.RECRUITER_RELATIONSHIP_VOCABULARY),
    labourIndustry: r.enumValue('labour_industry', V.LABOUR_INDUSTRY_VOCABULARY),
    nrm: compact({
      referralDate: r.date('nrm_referral_date'),
      competentAuthority: r.enumValue('competent_authority', V.COMPETENT_AUTHORITY_VOCABULARY),
      rgDecision: r.enumValue('rg_decision', V.NRM_DECISION_VOCABULARY),
      cgDecision: r.enumValue('cg_decision', V.NRM_DECISION_VOCABULARY),
      dtnOnly: r.bool('dtn_only') ?? false,
    }),
    countyLinesFlag: r.bool('county_lines') ?? exploitation.exploitationSubTypes.includes('COUNTY_LINES'),
    roleInProcess: r.enumList('role_in_process', V.ROLE_IN_PROCESS_VOCABULARY),
  });
};

const buildObject = (r: RowReader, env: Envelope, key: PseudonymKey) => {
  const objectType = r.enumValue('object_type', V.OBJECT_TYPE_VOCABULARY, true) as ObjectType | undefined;
  const text = r.scalar('identifier', true);
  let identifier: string | undefined;
  if (text !== undefined && objectType !== undefined) {
    if (/\p{Cc}/u.test(text)) {
      r.reject('identifier', 'INVALID_FORMAT', 'identifier contains a line break or control character', text);
    } else if (/\p{Cf}/u.test(text)) {
      r.reject(
        'identifier',
        'INVALID_FORMAT',
        'identifier contains an invisible formatting character (such as a right-to-left override or a zero-width space)',
        text,
      );
    } else {
      const n = Id.normaliseObjectIdentifier(objectType, text, key);
      if (n.ok) identifier = n.value;
      else {
        r.reject(
          'identifier',
          'INVALID_FORMAT',
          `identifier '${clip(text)}' is not valid for a ${objectType}; expected ${n.hint}`,
          text,
        );
      }
    }
  }
  const operationRefs = r.refList('operation_refs', 64);
  return compact({
    recordType: 'object' as const,
    ...env,
    objectId: pseudonymousRef(key, env.sourceOrg, env.sourceSystem, env.sourceRecordRef),
    objectType,
    identifier,
    issuingCountry: r.country('issuing_country'),
    subjectRefs: r.refList('subject_refs', 64),
    operationRefs,
    operationKeys: operationKeysOf(key, env.sourceOrg, operationRefs),
  });
};

const buildLocation = (r: RowReader, env: Envelope, key: PseudonymKey) => {
  const country = r.country('country');
  const postcodeText = r.scalar('postcode');
  let postcode: string | undefined;
  if (postcodeText !== undefined) {
    const n =
      country === undefined || country === 'GBR'
        ? Id.normaliseUkPostcode(postcodeText)
        : Id.normaliseForeignPostcode(postcodeText);
    if (n.ok) postcode = n.value;
    else
      r.reject(
        'postcode',
        'INVALID_FORMAT',
        `postcode '${clip(postcodeText)}' is not valid; expected ${n.hint}`,
        postcodeText,
      );
  }
  const uprn = r.ref('uprn', { max: 12 });
  if (uprn !== undefined && !/^\d{1,12}$/.test(uprn)) {
    r.reject('uprn', 'INVALID_FORMAT', `uprn '${uprn}' is not valid; a UPRN is up to 12 digits`, uprn);
  }
  const ladText = r.ref('lad_code', { max: 9 });
  const ladCode = ladText?.toUpperCase();
  if (ladCode !== undefined && !/^[ENSW]\d{8}$/.test(ladCode)) {
    r.reject(
      'lad_code',
      'INVALID_FORMAT',
      `lad_code '${ladText}' is not an ONS local authority district code such as E08000025`,
      ladText,
    );
  }
  const latitude = r.decimal('latitude', -90, 90);
  const longitude = r.decimal('longitude', -180, 180);
  if (
    (latitude === undefined) !== (longitude === undefined) &&
    r.issues.every((i) => i.field !== 'latitude' && i.field !== 'longitude')
  ) {
    r.reject(
      latitude === undefined ? 'latitude' : 'longitude',
      'REQUIRED_MISSING',
      'latitude and longitude must be given together',
    );
  }
  const town = r.freeText('town', 64);
  const pfaCode = r.org('pfa_code', true);
  const coordinates = latitude !== undefined && longitude !== undefined ? { latitude, longitude } : undefined;
  const located = [postcodeText, uprn, town, pfaCode, ladText, country, coordinates].some(
    (v) => v !== undefined,
  );
  if (!located && r.issues.length === 0) {
    r.reject(
      'postcode',
      'REQUIRED_MISSING',
      'a location needs at least one of postcode, uprn, town, pfa_code, lad_code, country or latitude/longitude',
    );
  }
  const operationRefs = r.refList('operation_refs', 64);
  return compact({
    recordType: 'location' as const,
    ...env,
    locationId: pseudonymousRef(key, env.sourceOrg, env.sourceSystem, env.sourceRecordRef),
    locationType: r.enumValue('location_type', V.LOCATION_TYPE_VOCABULARY, true),
    postcode,
    uprn: uprn !== undefined && /^\d{1,12}$/.test(uprn) ? uprn : undefined,
    town,
    pfaCode,
    ladCode,
    country,
    coordinates,
    subjectRefs: r.refList('subject_refs', 64),
    operationRefs,
    operationKeys: operationKeysOf(key, env.sourceOrg, operationRefs),
  });
};

const BUILDERS: Record<
  RecordType,
  (r: RowReader, env: Envelope, key: PseudonymKey) => Record<string, unknown>
> = {
  operation: buildOperation,
  subject: buildSubject,
  object: buildObject,
  location: buildLocation,
};

const rejected = (field: string, code: RowIssue['code'], message: string): RowOutcome => ({
  status: 'REJECTED',
  issues: [{ field, code, message }],
});

/**
 * Normalises one extract row (keys already mapped to canonical column names) into a canonical record
 * that passes the strict schema, or returns every reason it cannot. Pure and deterministic: no clock,
 * no I/O. Never throws.
 */
export function normaliseRow(
  recordType: RecordType,
  row: Record<string, unknown>,
  ctx: NormaliseContext,
): RowOutcome {
  try {
    if (!RECORD_TYPES.includes(recordType))
      return rejected('(row)', 'UNEXPECTED', `Unknown record type '${String(recordType)}'`);
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      return rejected('(row)', 'NOT_AN_OBJECT', 'The row is not an object of column names and values');
    }
    const r = createReader(row, ingestTime(ctx.ingestedAt).day);
    const env = readEnvelope(r, ctx);
    const candidate = BUILDERS[recordType](r, env, ctx.pseudonymKey);
    if (r.issues.length > 0) return { status: 'REJECTED', issues: r.issues };
    // Strict validation against the record type's shared schema (see cachedValidatorForFile): its
    // compiled check accepts a record exactly when zod would (compiled-check.ts); zod says why not.
    const validator = cachedValidatorForFile(recordType, ctx);
    if (validator.check?.(candidate)) {
      return {
        status: r.warnings.length > 0 ? 'ACCEPTED_WITH_WARNINGS' : 'ACCEPTED',
        record: candidate as CanonicalRecord,
        warnings: r.warnings,
      };
    }
    const checked = validator.schema.safeParse(candidate);
    if (!checked.success) {
      return {
        status: 'REJECTED',
        issues: checked.error.issues.map((issue) => ({
          field: issue.path.join('.') || '(row)',
          code: 'INVALID_VALUE' as const,
          message: `The normalised record is not valid at ${issue.path.join('.') || 'the top level'}: ${issue.message}`,
        })),
      };
    }
    return {
      status: r.warnings.length > 0 ? 'ACCEPTED_WITH_WARNINGS' : 'ACCEPTED',
      record: checked.data,
      warnings: r.warnings,
    };
  } catch (error) {
    return rejected(
      '(row)',
      'UNEXPECTED',
      `The row could not be processed (${error instanceof Error ? error.name : 'error'})`,
    );
  }
}

/** Splits a multi-valued text the way the normaliser does (exported for tests and tools). */
export const splitMultiValue = (value: unknown): string[] => splitItems(readRaw(value));
