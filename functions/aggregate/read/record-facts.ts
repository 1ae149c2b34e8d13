import type { CanonicalRecord } from '../../../schemas/canonical/record.ts';
import { canonicalJson, sha256Hex } from '../../shared/canonical-json.ts';
import { inMonth, type Month } from '../month.ts';

/** The fields every fact keeps to resolve repeats of one record: newest `asAt` wins, then `version`. */
interface Versioned {
  /**
   * `{recordType}:{sourceOrg}:{pseudonymous id}`: the same record in two uploads of its organisation has the
   * same key, and no record of another organisation can share it (so none can replace it as a repeat).
   */
  readonly key: string;
  readonly sourceOrg: string;
  readonly asAt: string;
  /** Digest of the record without its provenance: breaks `asAt` ties whatever the input order. */
  readonly version: string;
}

/** National identifiers of a subject, normalised for linking (never output). */
export interface LinkIdentifiers {
  readonly nrmReference?: string;
  readonly pncId?: string;
  readonly passport?: string;
}

/** The attributes of a subject that the tables count (a person has them too, merged from its records). */
export interface SubjectAttributes {
  readonly sex: string;
  readonly ageAtExploitation: string;
  readonly ageBand: string;
  readonly nationality: string;
  readonly exploitationTypes: readonly string[];
  readonly exploitationSubTypes: readonly string[];
  readonly exploitationLocation: string;
  readonly labourIndustry?: string;
  readonly rgDecision?: string;
  readonly cgDecision?: string;
}

/** What the aggregation keeps of a subject record: demographics, roles and link identifiers only. */
export interface SubjectFacts extends Versioned, SubjectAttributes {
  readonly kind: 'subject';
  readonly subjectId: string;
  readonly victim: boolean;
  readonly suspect: boolean;
  readonly offender: boolean;
  readonly identifiers: LinkIdentifiers;
}

/**
 * What the aggregation keeps of an operation's monthly snapshot: the organisation it counts under is its
 * submitter, `sourceOrg` (the `leadOrg` it names is not projected: docs/aggregates.md, "Attribution and
 * joint operations").
 */
export interface OperationFacts extends Versioned {
  readonly kind: 'operation';
  readonly threatType: string;
  readonly exploitationTypes: readonly string[];
  readonly status: string;
  readonly openedInMonth: boolean;
  readonly closedInMonth: boolean;
  /** Crime references of the operation when it carries a Home Office class 106 (modern slavery) code. */
  readonly crimeRefs106: readonly string[];
  readonly nrmReferralsMade: number;
  readonly dtnReports: number;
  readonly arrests: number;
  readonly charges: number;
  readonly stpoStroSought: number;
}

/** Objects and locations only count as rows of their submitter (data quality). */
export interface OtherFacts extends Versioned {
  readonly kind: 'object' | 'location';
}

export type RecordFacts = SubjectFacts | OperationFacts | OtherFacts;

/**
 * A PNC ID in one form: two-digit year, serial without leading zeros, check letter
 * (`2001/0123456X` and `01/123456X` are the same PNC ID).
 */
export const normalisePncId = (pncId: string): string => {
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(pncId.trim().toUpperCase());
  if (match === null) return pncId.trim().toUpperCase();
  const [, year = '', serial = '', letter = ''] = match;
  return `${year.slice(-2)}/${String(Number(serial))}${letter}`;
};

const countOf = (value: number | undefined): number => value ?? 0;
const VICTIM_ROLES = new Set(['POTENTIAL_VICTIM', 'VICTIM']);
const HO_106 = /^106(?:[A-Z]|\/|$)/;

const versionOf = (record: CanonicalRecord): string => {
  const { provenance: _provenance, ...content } = record;
  return sha256Hex(canonicalJson(content)).slice(0, 32);
};

/** Projects a canonical record of `month` onto the few fields the national tables need. */
export const factsOf = (record: CanonicalRecord, month: Month): RecordFacts => {
  const base = { sourceOrg: record.sourceOrg, asAt: record.asAt, version: versionOf(record) };
  const key = (id: string): string => `${record.recordType}:${record.sourceOrg}:${id}`;
  switch (record.recordType) {
    case 'subject': {
      const ids = record.identifiers;
      const passport =
        ids.passport?.issuingState === undefined
          ? undefined
          : `${ids.passport.issuingState}:${ids.passport.number.toUpperCase()}`;
      return {
        kind: 'subject',
        key: key(record.subjectId),
        ...base,
        subjectId: record.subjectId,
        victim: record.roles.some((role) => VICTIM_ROLES.has(role)),
        suspect: record.roles.includes('SUSPECT'),
        offender: record.roles.includes('OFFENDER'),
        identifiers: {
          ...(ids.nrmReference === undefined ? {} : { nrmReference: ids.nrmReference.toUpperCase() }),
          ...(ids.pncId === undefined ? {} : { pncId: normalisePncId(ids.pncId) }),
          ...(passport === undefined ? {} : { passport }),
        },
        sex: record.sex,
        ageAtExploitation: record.ageAtExploitation,
        ageBand: record.ageBand,
        nationality: record.nationalities[0] ?? 'XXX',
        exploitationTypes: [...record.exploitationTypes].sort(),
        exploitationSubTypes: [...record.exploitationSubTypes].sort(),
        exploitationLocation: record.exploitationLocation,
        ...(record.labourIndustry === undefined ? {} : { labourIndustry: record.labourIndustry }),
        ...(record.nrm.rgDecision === undefined ? {} : { rgDecision: record.nrm.rgDecision }),
        ...(record.nrm.cgDecision === undefined ? {} : { cgDecision: record.nrm.cgDecision }),
      };
    }
    case 'operation': {
      const knownDate = (date: { date: string; precision: string } | undefined): string | undefined =>
        date === undefined || date.precision === 'YEAR' ? undefined : date.date;
      const is106 = record.hoOffenceCodes.some((code) => HO_106.test(code));
      return {
        kind: 'operation',
        key: key(record.operationKey),
        ...base,
        threatType: record.threatType,
        exploitationTypes: [...record.exploitationTypes].sort(),
        status: record.status,
        openedInMonth: inMonth(knownDate(record.openedOn), month),
        // A CLOSED operation without closed_on counts as closed in the month of its extract
        // (warning CLOSED_WITHOUT_DATE; docs/aggregates.md, "Operations closed").
        closedInMonth:
          record.closedOn === undefined
            ? record.status === 'CLOSED' && record.period === month
            : inMonth(knownDate(record.closedOn), month),
        crimeRefs106: is106 ? [...new Set(record.crimeRefs)].sort() : [],
        nrmReferralsMade: countOf(record.counts.nrmReferralsMade),
        dtnReports: countOf(record.counts.dtnReports),
        arrests: countOf(record.counts.arrests),
        charges: countOf(record.counts.charges),
        stpoStroSought: countOf(record.counts.stpoStroSought),
      };
    }
    case 'object':
      return { kind: 'object', key: key(record.objectId), ...base };
    default:
      return { kind: 'location', key: key(record.locationId), ...base };
  }
};

/** Whether `a` replaces `b` as the current version of one record: newer `asAt`, then larger version digest. */
export const supersedes = (a: RecordFacts, b: RecordFacts): boolean =>
  a.asAt !== b.asAt ? a.asAt > b.asAt : a.version > b.version;
