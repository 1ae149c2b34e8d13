import { aggregateRecords } from '../../functions/aggregate/aggregate-core.ts';
import type { HistoryMonth } from '../../functions/aggregate/read/history.ts';
import { selectUploads } from '../../functions/aggregate/read/select-uploads.ts';
import { DEFAULT_PUBLICATION_SETTINGS } from '../../schemas/aggregate/publication.ts';
import type { CanonicalRecord, UploadLedgerEntry } from '../../schemas/index.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const ORGS = ['PF-E23000001', 'PF-E23000005', 'PF-W15000003', 'PF-S92000003', 'NA-NCA'] as const;
const NATIONALITIES = [
  'GBR',
  'GBR',
  'ALB',
  'VNM',
  'SDN',
  'ERI',
  'ROU',
  'POL',
  'IRN',
  'AFG',
  'IRQ',
  'NGA',
  'CHN',
  'XXX',
];
const TYPES = [
  ['CRIMINAL'],
  ['LABOUR'],
  ['SEXUAL'],
  ['DOMESTIC_SERVITUDE'],
  ['CRIMINAL', 'SEXUAL'],
  [],
] as const;

/** A deterministic pseudo-random month of records: enough people for charts with real and suppressed marks. */
export const monthRecords = (month: string, size: number): CanonicalRecord[] => {
  let seed = Number(month.replace('-', ''));
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const options = { period: month, asAt: `${month}-15T12:00:00.000Z` };
  const people = Array.from({ length: size }, (_, i) =>
    subject(
      pick(ORGS),
      `S${i}`,
      {
        roles: [pick(['POTENTIAL_VICTIM', 'POTENTIAL_VICTIM', 'VICTIM', 'SUSPECT', 'OFFENDER'] as const)],
        sex: pick(['FEMALE', 'MALE', 'MALE', 'NOT_KNOWN'] as const),
        ageAtExploitation: pick(['ADULT', 'ADULT', 'CHILD', 'UNKNOWN'] as const),
        ageBand: pick(['9-17', '18-24', '25-34', '35-44', 'UNKNOWN'] as const),
        nationalities: [pick(NATIONALITIES)],
        exploitationTypes: [...pick(TYPES)],
        exploitationLocation: pick(['UK_ONLY', 'UK_ONLY', 'OVERSEAS_ONLY', 'UNKNOWN'] as const),
        ...(next() < 0.3 ? { labourIndustry: pick(['A', 'F', 'G', 'I', 'S'] as const) } : {}),
        ...(next() < 0.1 ? { identifiers: { nrmReference: `NRM${Math.floor(next() * 20)}` } } : {}),
        nrm: {
          dtnOnly: false,
          ...(next() < 0.5 ? { rgDecision: pick(['POSITIVE', 'NEGATIVE', 'PENDING'] as const) } : {}),
        },
      },
      options,
    ),
  );
  const operations = Array.from({ length: Math.floor(size / 6) }, (_, i) =>
    operation(
      pick(ORGS),
      `OP${i}`,
      {
        status: pick(['LIVE', 'LIVE', 'CLOSED', 'SUSPENDED'] as const),
        threatType: pick(['MODERN_SLAVERY', 'HUMAN_TRAFFICKING', 'OIC'] as const),
        exploitationTypes: [...pick(TYPES)],
        openedOn: { date: `${month}-02`, precision: 'DAY' },
        counts: {
          arrests: Math.floor(next() * 6),
          charges: Math.floor(next() * 3),
          nrmReferralsMade: Math.floor(next() * 8),
        },
      },
      options,
    ),
  );
  return [...people, ...operations];
};

const MARKER_TYPES = ['MSHT_POTENTIAL_VICTIM', 'MSHT_SUSPECT', 'MSHT_VEHICLE', 'MSHT_PREMISES'] as const;
const SYNC = ['PENDING', 'SENT', 'ACKED', 'REJECTED'] as const;

/** Markers as the A8 tables read them from the markers table. */
export const markerFacts = (month: string) =>
  Array.from({ length: 120 }, (_, i) => ({
    markerType: MARKER_TYPES[i % MARKER_TYPES.length] as string,
    sourceOrg: ORGS[i % ORGS.length] as string,
    period: month,
    status: 'ACTIVE',
    pndSyncState: SYNC[(i * 7) % SYNC.length] as string,
  }));

/** A counted upload of the month for each organisation of the fixture (one of them late). */
export const fixtureUploads = (month: string): UploadLedgerEntry[] =>
  ORGS.map(
    (org, i) =>
      ({
        uploadId: `u-${org}-${month}`,
        org,
        period: month,
        key: `incoming/${org}/${month}/subjects.csv`,
        fileName: 'subjects.csv',
        recordType: 'subject',
        format: 'csv',
        sizeBytes: 10,
        status: 'INDEXED',
        counts: { rows: 3, accepted: 2, warnings: 0, rejected: 1, indexed: 2 },
        receivedAt: i === ORGS.length - 1 ? '2099-06-01T00:00:00.000Z' : `${month}-28T09:00:00.000Z`,
        schemaVersion: 1,
        curatedKey: `curated/record_type=subject/month=${month}/org=${org}/u-${org}.jsonl.gz`,
      }) as UploadLedgerEntry,
  );

/** Three months aggregated in turn (so the last has trends and month-on-month change): the last month's reports. */
export const buildReports = async (): Promise<{
  month: string;
  internal: string;
  shareable: string;
}> => {
  const history: HistoryMonth[] = [];
  let last: Awaited<ReturnType<typeof aggregateRecords>> | undefined;
  for (const [month, size] of [
    ['2026-08', 380],
    ['2026-09', 420],
    ['2026-10', 460],
  ] as const) {
    last = await aggregateRecords({
      month,
      records: monthRecords(month, size),
      uploads: selectUploads(fixtureUploads(month), month),
      markers: markerFacts(month),
      history,
      lateAfter: '2099-01-01T00:00:00.000Z',
      release: {
        dataCutOff: '2026-11-06T03:00:12.000Z',
        publishedOn: '2026-11-06',
        nextRelease: '2026-12-06',
        publication: DEFAULT_PUBLICATION_SETTINGS,
      },
    });
    history.push({ month, internal: last.tiers.internal.national, shareable: last.tiers.shareable.national });
  }
  if (last === undefined) throw new Error('no month aggregated');
  return {
    month: last.month,
    internal: last.tiers.internal.files.get('report.html') ?? '',
    shareable: last.tiers.shareable.files.get('report.html') ?? '',
  };
};
