import { type Operation, pseudonymousRef, type Subject } from '../../../schemas/index.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

const ref = (...parts: string[]): string => pseudonymousRef(TEST_KEY, ...parts);

const envelope = (org: string, sourceRecordRef: string, period: string, asAt: string, uploadId: string) => ({
  schemaVersion: 1 as const,
  sourceOrg: org,
  sourceSystem: 'NICHE',
  sourceRecordRef,
  asAt,
  period,
  classification: { tier: 'OFFICIAL' as const, sensitive: true },
  mopiGroup: '3' as const,
  provenance: {
    uploadId,
    submittingOrg: org,
    sourceSystem: 'NICHE',
    sourceRecordRef,
    fileSha256: 'a'.repeat(64),
    rowNumber: 1,
    ingestedAt: '2026-11-02T10:00:00.000Z',
    schemaVersion: 1 as const,
    mappingVersion: '1.0.0',
  },
});

/** A valid canonical subject (a potential victim unless told otherwise). */
export const subject = (
  org: string,
  localRef: string,
  overrides: Partial<Subject> = {},
  options: { period?: string; asAt?: string; uploadId?: string } = {},
): Subject =>
  ({
    recordType: 'subject',
    ...envelope(
      org,
      localRef,
      options.period ?? '2026-10',
      options.asAt ?? '2026-10-15T12:00:00.000Z',
      options.uploadId ?? 'u1',
    ),
    subjectId: ref(org, 'NICHE', localRef),
    roles: ['POTENTIAL_VICTIM'],
    operationRefs: [],
    operationKeys: [],
    crimeRefs: [],
    identifiers: {},
    sex: 'FEMALE',
    ageAtExploitation: 'ADULT',
    ageBand: '25-34',
    nationalities: ['GBR'],
    exploitationTypes: ['SEXUAL'],
    exploitationSubTypes: [],
    exploitationLocation: 'UK_ONLY',
    meansOfControl: [],
    recruitmentMethods: [],
    nrm: { dtnOnly: false },
    countyLinesFlag: false,
    roleInProcess: [],
    ...overrides,
  }) as Subject;

/** A valid canonical operation snapshot (live, modern slavery, opened in the month). */
export const operation = (
  org: string,
  localRef: string,
  overrides: Partial<Operation> = {},
  options: { period?: string; asAt?: string; uploadId?: string } = {},
): Operation =>
  ({
    recordType: 'operation',
    ...envelope(
      org,
      localRef,
      options.period ?? '2026-10',
      options.asAt ?? '2026-10-31T23:59:59.999Z',
      options.uploadId ?? 'u1',
    ),
    operationKey: ref(org, localRef),
    leadOrg: org,
    partnerOrgs: [],
    threatType: 'MODERN_SLAVERY',
    exploitationTypes: ['LABOUR'],
    exploitationSubTypes: [],
    status: 'LIVE',
    openedOn: { date: '2026-10-03', precision: 'DAY' },
    pfaCodes: [],
    overseasCountries: [],
    hoOffenceCodes: ['106'],
    crimeRefs: [`CR-${localRef}`],
    counts: { nrmReferralsMade: 2, dtnReports: 1, arrests: 1, charges: 0, stpoStroSought: 0 },
    ...overrides,
  }) as Operation;
