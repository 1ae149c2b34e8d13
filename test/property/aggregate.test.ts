import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateRecords } from '../../functions/aggregate/aggregate-core.ts';
import { auditRecoverability } from '../../functions/aggregate/disclosure/audit.ts';
import { isSuppressed } from '../../functions/aggregate/disclosure/published.ts';
import { suppressTableSet } from '../../functions/aggregate/disclosure/suppress.ts';
import { createTableSet } from '../../functions/aggregate/disclosure/table.ts';
import { createMonthAccumulator } from '../../functions/aggregate/read/accumulate.ts';
import { linkSubjects } from '../../functions/aggregate/read/link-subjects.ts';
import { selectUploads } from '../../functions/aggregate/read/select-uploads.ts';
import { buildTableGroups } from '../../functions/aggregate/tables/build-tables.ts';
import type { CanonicalRecord } from '../../schemas/index.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const MONTH = '2026-10';
const ORGS = ['PF-E23000001', 'PF-E23000005', 'PF-W15000003', 'NA-NCA'] as const;

/** A subject with fields drawn from small pools, so that repeats, links and small cells all happen. */
const subjectArb = fc
  .record({
    org: fc.constantFrom(...ORGS),
    ref: fc.integer({ min: 0, max: 40 }),
    day: fc.integer({ min: 1, max: 28 }),
    roles: fc.constantFrom(
      ['POTENTIAL_VICTIM'],
      ['VICTIM'],
      ['SUSPECT'],
      ['OFFENDER'],
      ['POTENTIAL_VICTIM', 'OFFENDER'],
    ),
    sex: fc.constantFrom('FEMALE', 'MALE', 'OTHER', 'NOT_KNOWN'),
    age: fc.constantFrom('ADULT', 'CHILD', 'UNKNOWN'),
    band: fc.constantFrom('9-17', '18-24', '25-34', 'UNKNOWN'),
    nationality: fc.constantFrom('GBR', 'ALB', 'VNM', 'SDN', 'ERI', 'ROU', 'XXX'),
    types: fc.subarray(['CRIMINAL', 'LABOUR', 'SEXUAL', 'DOMESTIC_SERVITUDE'] as const),
    location: fc.constantFrom('UK_ONLY', 'OVERSEAS_ONLY', 'UNKNOWN'),
    industry: fc.option(fc.constantFrom('A', 'F', 'S'), { nil: undefined }),
    nrm: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    pnc: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    rg: fc.option(fc.constantFrom('POSITIVE', 'NEGATIVE', 'PENDING'), { nil: undefined }),
  })
  .map((s) =>
    subject(
      s.org,
      `P${s.ref}`,
      {
        roles: s.roles as never,
        sex: s.sex as never,
        ageAtExploitation: s.age as never,
        ageBand: s.band as never,
        nationalities: [s.nationality],
        exploitationTypes: [...s.types],
        exploitationLocation: s.location as never,
        ...(s.industry === undefined ? {} : { labourIndustry: s.industry as never }),
        identifiers: {
          ...(s.nrm === undefined ? {} : { nrmReference: `NRM${s.nrm}` }),
          ...(s.pnc === undefined ? {} : { pncId: `${s.pnc % 2 === 0 ? '20' : ''}26/${s.pnc}A` }),
        },
        nrm: { dtnOnly: false, ...(s.rg === undefined ? {} : { rgDecision: s.rg as never }) },
      },
      { asAt: `2026-10-${String(s.day).padStart(2, '0')}T00:00:00.000Z` },
    ),
  );

const operationArb = fc
  .record({
    org: fc.constantFrom(...ORGS),
    ref: fc.integer({ min: 0, max: 15 }),
    status: fc.constantFrom('LIVE', 'SUSPENDED', 'CLOSED'),
    threat: fc.constantFrom('MODERN_SLAVERY', 'HUMAN_TRAFFICKING', 'OIC'),
    arrests: fc.integer({ min: 0, max: 5 }),
    referrals: fc.integer({ min: 0, max: 5 }),
  })
  .map((o) =>
    operation(o.org, `OP${o.ref}`, {
      status: o.status as never,
      threatType: o.threat as never,
      counts: { arrests: o.arrests, nrmReferralsMade: o.referrals },
    }),
  );

const recordsArb = fc.array(
  fc.oneof({ weight: 4, arbitrary: subjectArb }, { weight: 1, arbitrary: operationArb }),
  {
    maxLength: 120,
  },
);

/** Splits records into files at the given cut points, then reads the files in the given order. */
const splitAndOrder = (
  records: readonly CanonicalRecord[],
  cuts: readonly number[],
  order: readonly number[],
) => {
  const points = [...new Set(cuts.map((c) => c % (records.length + 1)))].sort((a, b) => a - b);
  const files: CanonicalRecord[][] = [];
  let start = 0;
  for (const point of [...points, records.length]) {
    files.push(records.slice(start, point));
    start = point;
  }
  const ranked = files.map((file, i) => ({ file, rank: order[i % order.length] ?? 0, i }));
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  async function* stream(): AsyncGenerator<CanonicalRecord> {
    for (const { file } of ranked) yield* file;
  }
  return stream();
};

const aggregate = (records: AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>) =>
  aggregateRecords({
    month: MONTH,
    records,
    uploads: selectUploads([], MONTH),
    markers: [],
    history: [],
    lateAfter: '2026-11-05T23:59:59.999Z',
  });

describe('aggregation properties', () => {
  it('gives byte-identical outputs whatever the order of the records and their split into files', async () => {
    await fc.assert(
      fc.asyncProperty(
        recordsArb,
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        async (records, cuts, order, seed) => {
          const shuffled = [...records]
            .map((record, i) => ({ record, key: (i * 2654435761 + seed) >>> 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ record }) => record);
          const reference = await aggregate(records);
          const other = await aggregate(splitAndOrder(shuffled, cuts, order));
          expect(other.runId).toBe(reference.runId);
          for (const tier of ['internal', 'shareable'] as const) {
            expect([...other.tiers[tier].files]).toEqual([...reference.tiers[tier].files]);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('has internal totals equal to the counts of the accepted records', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, async (records) => {
        const result = await aggregate(records);
        const tables = result.tiers.internal.national.tables;
        const grand = (id: string) => tables.find((t) => t.id === id)?.grandTotal;
        const keyOf = (r: CanonicalRecord) =>
          r.recordType === 'subject'
            ? `s${r.subjectId}`
            : r.recordType === 'operation'
              ? `o${r.operationKey}`
              : '';
        const distinct = new Map(records.map((r) => [keyOf(r), r]));
        const operations = [...distinct.values()].filter((r) => r.recordType === 'operation');
        // Every accepted record is a row of A9a, counted or duplicate; distinct ones are counted.
        const a9a = tables.find((t) => t.id === 'A9a');
        expect(a9a?.columnTotals.slice(0, 2).reduce((s: number, v) => s + (v as number), 0) ?? 0).toBe(
          records.length,
        );
        expect(a9a?.columnTotals[0] ?? 0).toBe(distinct.size);
        expect(grand('A1a')).toBe(operations.length);
        // Persons: as many as the linking says, split into victims and suspects exactly as the records say.
        const accumulator = createMonthAccumulator(MONTH);
        for (const record of records) accumulator.add(record);
        const { persons } = linkSubjects(accumulator.finish().subjects);
        expect(grand('A2a')).toBe(persons.filter((p) => p.victim).length);
        expect(grand('A4a')).toBe(persons.filter((p) => p.suspectRole !== undefined).length);
        expect(result.linking.subjectRecords - result.linking.persons).toBe(result.linking.linksMade);
        // Whichever of a subject's repeated records wins, a victim must have some record saying so.
        const victimKeys = new Set(
          records
            .filter((r) => r.recordType === 'subject' && r.roles.some((x) => x.includes('VICTIM')))
            .map(keyOf),
        );
        expect(grand('A2a')).toBeLessThanOrEqual(victimKeys.size);
      }),
      { numRuns: 40 },
    );
  });

  it('protects every suppressed value of the real month table set: none can be recovered from what is published', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArb, async (records) => {
        const accumulator = createMonthAccumulator(MONTH);
        for (const record of records) accumulator.add(record);
        const month = accumulator.finish();
        const groups = buildTableGroups({
          month: MONTH,
          records: month,
          persons: linkSubjects(month.subjects).persons,
          markers: [],
          ledger: { rejectedByOrg: new Map() },
        });
        for (const group of groups.filter((g) => g.shareable)) {
          const result = suppressTableSet(createTableSet(group.tables, group.links));
          // The attacker's view: exact published values (worst case), the pattern and the links.
          const audit = auditRecoverability(result.exactView);
          expect(audit.ok).toBe(true);
          for (const entry of audit.entries) expect(entry.upper - entry.lower).toBeGreaterThanOrEqual(1);
          result.published.tables.forEach((table, t) => {
            const exact = group.tables[t];
            table.cells.forEach((row, r) => {
              row.forEach((value, c) => {
                const truth = exact?.cells[r]?.[c] ?? 0;
                if (truth > 0 && truth < 10) expect(isSuppressed(value)).toBe(true);
                if (!isSuppressed(value)) expect(value % 5).toBe(0);
              });
            });
          });
        }
      }),
      { numRuns: 30 },
    );
  });
});
