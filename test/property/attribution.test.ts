import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateRecords } from '../../functions/aggregate/aggregate-core.ts';
import type { MarkerFacts } from '../../functions/aggregate/read/marker-facts.ts';
import { selectUploads } from '../../functions/aggregate/read/select-uploads.ts';
import { type OrgCode, orgName, orgRegion } from '../../schemas/common/organisations.ts';
import type { CanonicalRecord, Operation } from '../../schemas/index.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const MONTH = '2026-10';
/** The organisation whose figures must not move: Cumbria (North West). */
const B = 'PF-E23000002';
/** Organisations that report beside B: one in its region, one elsewhere, a national agency. */
const OTHERS = ['PF-E23000005', 'PF-W15000003', 'NA-NCA'] as const;
/** The uploader A: any organisation but B, in B's region or not, a force or an agency. */
const UPLOADERS = ['PF-E23000001', 'PF-E23000005', 'PF-W15000003', 'NA-NCA'] as const;

/** The internal-tier tables with one row per organisation (submitting, source or submitter). */
const BY_ORGANISATION = ['A1f', 'A6a', 'A6b', 'A6c', 'A7a', 'A7b', 'A7c', 'A8d', 'A9a', 'A9b', 'A9c'];
/** The tables with one row per region (of the submitting organisation). */
const BY_REGION = ['A1a', 'A1d', 'A1e'];

const operationArb = (orgs: fc.Arbitrary<string>) =>
  fc
    .record({
      org: orgs,
      ref: fc.integer({ min: 0, max: 6 }),
      lead: fc.constantFrom(B, ...UPLOADERS),
      partners: fc.subarray([B, ...UPLOADERS]),
      status: fc.constantFrom('LIVE', 'SUSPENDED', 'CLOSED'),
      threat: fc.constantFrom('MODERN_SLAVERY', 'HUMAN_TRAFFICKING', 'OIC'),
      types: fc.subarray(['CRIMINAL', 'LABOUR', 'SEXUAL'] as const),
      opened: fc.constantFrom('2026-10-03', '2025-06-01'),
      closed: fc.option(fc.constantFrom('2026-10-20', '2026-09-30'), { nil: undefined }),
      crime: fc.integer({ min: 0, max: 4 }),
      arrests: fc.integer({ min: 0, max: 4 }),
      charges: fc.integer({ min: 0, max: 3 }),
      referrals: fc.integer({ min: 0, max: 4 }),
      day: fc.integer({ min: 1, max: 30 }),
    })
    .map((o) =>
      operation(
        o.org,
        `OP${o.ref}`,
        {
          leadOrg: o.lead as OrgCode,
          partnerOrgs: o.partners as OrgCode[],
          status: o.status as never,
          threatType: o.threat as never,
          exploitationTypes: [...o.types],
          openedOn: { date: o.opened, precision: 'DAY' },
          ...(o.closed === undefined ? {} : { closedOn: { date: o.closed, precision: 'DAY' } }),
          // Crime references are shared between organisations: the same crime on a joint operation.
          crimeRefs: [`CR-${o.crime}`],
          counts: { arrests: o.arrests, charges: o.charges, nrmReferralsMade: o.referrals, dtnReports: 1 },
        },
        { asAt: `2026-10-${String(o.day).padStart(2, '0')}T00:00:00.000Z` },
      ),
    );

const subjectArb = (orgs: fc.Arbitrary<string>) =>
  fc
    .record({
      org: orgs,
      ref: fc.integer({ min: 0, max: 8 }),
      roles: fc.constantFrom(['POTENTIAL_VICTIM'], ['SUSPECT'], ['OFFENDER']),
      sex: fc.constantFrom('FEMALE', 'MALE', 'NOT_KNOWN'),
      nationality: fc.constantFrom('GBR', 'ALB', 'VNM', 'XXX'),
      nrm: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      day: fc.integer({ min: 1, max: 30 }),
    })
    .map((s) =>
      subject(
        s.org,
        `P${s.ref}`,
        {
          roles: s.roles as never,
          sex: s.sex as never,
          nationalities: [s.nationality],
          // NRM references shared between organisations link their subjects into one person.
          identifiers: s.nrm === undefined ? {} : { nrmReference: `NRM${s.nrm}` },
        },
        { asAt: `2026-10-${String(s.day).padStart(2, '0')}T00:00:00.000Z` },
      ),
    );

const recordsArb = (orgs: fc.Arbitrary<string>, maxLength: number) =>
  fc.array(fc.oneof(operationArb(orgs), subjectArb(orgs)), { maxLength });

/**
 * A's upload as an adversary would write it: its own records, some naming B as lead or partner, some
 * reusing B's local references, and some whose pseudonymous ids are forged to be B's.
 */
const uploadArb = (uploader: string) =>
  fc
    .array(
      fc.record({
        record: fc.oneof(operationArb(fc.constant(uploader)), subjectArb(fc.constant(uploader))),
        forge: fc.boolean(),
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((items) =>
      items.map(({ record, forge }): CanonicalRecord => {
        if (!forge) return record;
        const asB = record.recordType === 'operation' ? operation(B, record.sourceRecordRef) : undefined;
        if (asB !== undefined) return { ...record, operationKey: asB.operationKey } as Operation;
        return record.recordType === 'subject'
          ? { ...record, subjectId: subject(B, record.sourceRecordRef).subjectId }
          : record;
      }),
    );

/** Markers of the month, by source organisation (A8d): A's upload adds markers of A only. */
const markersOf = (records: readonly CanonicalRecord[]): MarkerFacts[] =>
  records
    .filter((r) => r.recordType === 'subject')
    .map((r) => ({
      markerType: 'MSHT_VICTIM',
      pndSyncState: 'PENDING',
      status: 'ACTIVE',
      period: MONTH,
      sourceOrg: r.sourceOrg,
    }));

const aggregate = (records: readonly CanonicalRecord[]) =>
  aggregateRecords({
    month: MONTH,
    records,
    uploads: selectUploads([], MONTH),
    markers: markersOf(records),
    history: [],
    lateAfter: '2026-11-05T23:59:59.999Z',
  });

type InternalTable = Awaited<ReturnType<typeof aggregate>>['tiers']['internal']['national']['tables'][number];

/** A table's row by label, with its total (undefined when the table has no such row). */
const rowOf = (tables: readonly InternalTable[], id: string, label: string) => {
  const table = tables.find((t) => t.id === id);
  if (table === undefined) throw new Error(`no table ${id}`);
  const i = table.rows.indexOf(label);
  return i < 0 ? undefined : { cells: table.cells[i], total: table.rowTotals[i] };
};

describe('attribution: figures count under the submitting organisation', () => {
  it('changes no figure of organisation B, nor of a region without A, whatever A uploads', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb(fc.constantFrom(B, ...OTHERS), 80),
        fc.constantFrom(...UPLOADERS).chain((a) => fc.tuple(fc.constant(a), uploadArb(a))),
        async (month, [a, upload]) => {
          // Prepare: the month without A's records (A's earlier records, if A is one of the others, stay).
          const before = await aggregate(month);

          // Act
          const after = await aggregate([...month, ...upload]);

          // Assess
          const was = before.tiers.internal.national.tables;
          const now = after.tiers.internal.national.tables;
          for (const id of BY_ORGANISATION) {
            expect(rowOf(now, id, orgName(B)), `${id}, row of ${B}`).toEqual(rowOf(was, id, orgName(B)));
          }
          const regionOfA = orgRegion(a as OrgCode);
          const regions = was.find((t) => t.id === 'A1a')?.rows ?? [];
          expect(regions.length).toBeGreaterThan(0);
          for (const id of BY_REGION)
            for (const region of regions.filter((r) => r !== regionOfA)) {
              expect(rowOf(now, id, region), `${id}, ${region}`).toEqual(rowOf(was, id, region));
            }
        },
      ),
      { numRuns: 60 },
    );
    // 120 whole aggregations (tables, disclosure control): seconds on a quiet machine, minutes on a loaded one.
  }, 300_000);
});

describe('attribution: a joint operation is neither lost nor counted twice', () => {
  // Cumbria leads; Greater Manchester (same region) and the NCA (National) each report their own part.
  const lead = operation(B, 'OP-JOINT', {
    partnerOrgs: ['PF-E23000005', 'NA-NCA'],
    counts: { arrests: 3, charges: 1, nrmReferralsMade: 2, dtnReports: 0 },
  });
  const partner = operation('PF-E23000005', 'GMP-77', {
    leadOrg: B,
    counts: { arrests: 2, charges: 0, nrmReferralsMade: 1, dtnReports: 1 },
  });
  const agency = operation('NA-NCA', 'NCA-5', {
    leadOrg: B,
    counts: { arrests: 1, charges: 1, nrmReferralsMade: 0, dtnReports: 0 },
  });

  it('counts each return once, under its submitter and its submitter’s region, and none under the lead it names', async () => {
    // Act
    const result = await aggregate([lead, partner, agency, lead]);
    const tables = result.tiers.internal.national.tables;
    const table = (id: string) => tables.find((t) => t.id === id);

    // Assess: one return per submitting organisation, each counted once (the repeat of B's is one record).
    const total = (id: string, label: string) => rowOf(tables, id, label)?.total;
    const parts = ['Cumbria Constabulary', 'Greater Manchester Police', 'National Crime Agency'];
    expect([...(table('A1f')?.rows ?? [])].sort()).toEqual(parts);
    expect(parts.map((org) => total('A1f', org))).toEqual([1, 1, 1]);
    expect(table('A1f')?.grandTotal).toBe(3);
    // By region: North West holds two returns (Cumbria's and Greater Manchester's parts), National one.
    expect(total('A1a', 'North West')).toBe(2);
    expect(total('A1a', 'National')).toBe(1);
    expect(table('A1a')?.grandTotal).toBe(3);
    // Each part's own arrests and referrals, under its own submitter: the operation's 6 arrests, each once.
    expect(parts.map((org) => total('A7a', org))).toEqual([3, 2, 1]);
    expect(table('A7a')?.grandTotal).toBe(6);
    expect(parts.map((org) => total('A6b', org))).toEqual([2, 1, 0]);
  });

  it('keeps B’s return when a partner reuses its local reference or forges its operation key', async () => {
    // Prepare: the partner's return reuses B's local reference and even B's pseudonymous key, and is newer.
    const clash = {
      ...operation(
        'PF-E23000005',
        'OP-JOINT',
        { leadOrg: B, counts: { arrests: 9 } },
        { asAt: '2026-11-01T00:00:00.000Z' },
      ),
      operationKey: lead.operationKey,
    } as Operation;

    // Act
    const tables = (await aggregate([lead, clash])).tiers.internal.national.tables;

    // Assess
    expect(rowOf(tables, 'A7a', 'Cumbria Constabulary')?.total).toBe(3);
    expect(rowOf(tables, 'A7a', 'Greater Manchester Police')?.total).toBe(9);
    expect(rowOf(tables, 'A1a', 'North West')?.total).toBe(2);
  });
});
