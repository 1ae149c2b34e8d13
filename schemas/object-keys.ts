import { type IsoMonth, IsoMonthSchema } from './common/dates.ts';
import { isOrgCode, type OrgCode } from './common/organisations.ts';
import {
  type ExtractFormat,
  fileNameProblem,
  type RecordType,
  recordTypeFromFileName,
} from './record-types.ts';

/** Top-level prefixes of the one bucket: uploads, rejection reports, curated records, aggregates. */
export const PREFIXES = {
  incoming: 'incoming/',
  reports: 'reports/',
  curated: 'curated/',
  aggregates: 'aggregates/',
} as const;

/** Key of an upload: `incoming/{org}/{YYYY-MM}/{fileName}`. */
export const incomingKey = (org: OrgCode, period: IsoMonth, fileName: string): string =>
  `${PREFIXES.incoming}${org}/${period}/${fileName}`;

/** What an incoming key says, or why it says nothing usable. */
export type IncomingKey =
  | {
      ok: true;
      org: OrgCode;
      period: IsoMonth;
      fileName: string;
      recordType: RecordType;
      format: ExtractFormat;
      gzip: boolean;
    }
  | { ok: false; code: 'KEY_LAYOUT' | 'UNKNOWN_ORG' | 'BAD_PERIOD' | 'UNKNOWN_FILE_TYPE'; message: string };

/**
 * Parses an (already URL-decoded) object key `incoming/{org}/{YYYY-MM}/{fileName}`: the organisation
 * must be known, the period a real month, and the file name must name a record type and format.
 */
export const parseIncomingKey = (key: string): IncomingKey => {
  const parts = key.split('/');
  if (parts.length !== 4 || `${parts[0]}/` !== PREFIXES.incoming || parts.some((p) => p === '')) {
    return {
      ok: false,
      code: 'KEY_LAYOUT',
      message: `The key '${key.slice(0, 200)}' is not incoming/{org}/{YYYY-MM}/{file}, e.g. incoming/PF-E23000001/2026-10/subjects.csv`,
    };
  }
  const [, org = '', period = '', fileName = ''] = parts;
  if (!isOrgCode(org)) {
    return {
      ok: false,
      code: 'UNKNOWN_ORG',
      message: `'${org.slice(0, 64)}' is not a known organisation code, e.g. PF-E23000001 or NA-NCA`,
    };
  }
  if (!IsoMonthSchema.safeParse(period).success) {
    return {
      ok: false,
      code: 'BAD_PERIOD',
      message: `'${period.slice(0, 64)}' is not a period; use the month as YYYY-MM, e.g. 2026-10`,
    };
  }
  const type = recordTypeFromFileName(fileName);
  if (!type) {
    return {
      ok: false,
      code: 'UNKNOWN_FILE_TYPE',
      message: fileNameProblem(fileName) ?? `'${fileName.slice(0, 100)}' does not name a record type`,
    };
  }
  return { ok: true, org, period, fileName, ...type };
};

/** Key of an upload's rejection report: `reports/{org}/{uploadId}.{json|csv}`. */
export const reportKey = (org: OrgCode, uploadId: string, ext: 'json' | 'csv'): string =>
  `${PREFIXES.reports}${org}/${uploadId}.${ext}`;

/**
 * Where an organisation's upload status objects are: `reports/{org}/uploads/`, within its own reports
 * prefix. `'*'` for the organisation gives the IAM resource pattern of every organisation's.
 */
export const uploadStatusPrefix = (org: OrgCode | '*'): string => `${PREFIXES.reports}${org}/uploads/`;

/**
 * Key of an upload's status object, the organisation's view of its ledger entry:
 * `reports/{org}/uploads/{uploadId}.json`. The organisation's upload role may read and list it (it may
 * read `reports/{org}/` only, and never the ledger, which holds every organisation's uploads).
 */
export const uploadStatusKey = (org: OrgCode, uploadId: string): string =>
  `${uploadStatusPrefix(org)}${uploadId}.json`;

/**
 * Where an organisation's upload progress objects are: `reports/{org}/progress/`, beside (not among)
 * its status objects. `'*'` for the organisation gives the IAM resource pattern of every organisation's.
 */
export const uploadProgressPrefix = (org: OrgCode | '*'): string => `${PREFIXES.reports}${org}/progress/`;

/** Key of an upload's progress object (`UploadProgressSchema`): `reports/{org}/progress/{uploadId}.json`. */
export const uploadProgressKey = (org: OrgCode, uploadId: string): string =>
  `${uploadProgressPrefix(org)}${uploadId}.json`;

/**
 * Key of an upload's curated records, Hive-style so query engines prune by record type, month and
 * organisation: `curated/record_type={type}/month={YYYY-MM}/org={org}/{uploadId}.jsonl.gz` (docs/query.md).
 */
export const curatedKey = (
  recordType: RecordType,
  period: IsoMonth,
  org: OrgCode,
  uploadId: string,
): string => `${curatedRecordsPrefix(recordType)}month=${period}/org=${org}/${uploadId}.jsonl.gz`;

/** Where the curated records of one record type are: `curated/record_type={type}/` (one query table each). */
export const curatedRecordsPrefix = (recordType: RecordType): string =>
  `${PREFIXES.curated}record_type=${recordType}/`;

/** Where the uploads manifests are: `curated/uploads/` (one object per aggregated month). */
export const CURATED_UPLOADS_PREFIX = `${PREFIXES.curated}uploads/`;

/**
 * Key of a month's uploads manifest, written by the aggregation: which uploads of the month it counted
 * and which it left out, so SQL can select the same records (`curated/uploads/month={YYYY-MM}/uploads.jsonl.gz`).
 */
export const curatedUploadsKey = (period: IsoMonth): string =>
  `${CURATED_UPLOADS_PREFIX}month=${period}/uploads.jsonl.gz`;
