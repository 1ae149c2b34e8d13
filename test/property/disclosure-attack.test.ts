import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AggregationResult, aggregateRecords } from '../../functions/aggregate/aggregate-core.ts';
import { addMonths, type Month } from '../../functions/aggregate/month.ts';
import type { HistoryMonth } from '../../functions/aggregate/read/history.ts';
import { selectUploads } from '../../functions/aggregate/read/select-uploads.ts';
import {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
} from '../../schemas/aggregate/disclosure-policy.ts';
import type { CanonicalRecord } from '../../schemas/index.ts';
import { attack, type Finding, type Publication } from '../support/attacker.ts';
import { operation, subject } from '../unit/aggregate/records.ts';

const FIRST: Month = '2026-08';
const ORGS = ['PF-E23000001', 'PF-E23000005', 'PF-W15000003', 'NA-NCA'] as const;

/** A subject of a month, from small pools so that small cells, links and repeats all happen. */
const subjectArb = (month: Month) =>
  fc
    .record({
      org: fc.constantFrom(...ORGS),
      ref: fc.integer({ min: 0, max: 60 }),
      roles: fc.constantFrom(['POTENTIAL_VICTIM'], ['VICTIM'], ['SUSPECT'], ['OFFENDER']),
      sex: fc.constantFrom('FEMALE', 'MALE', 'NOT_KNOWN'),
      age: fc.constantFrom('ADULT', 'CHILD', 'UNKNOWN'),
      band: fc.constantFrom('18-24', '25-34', 'UNKNOWN'),
      nationality: fc.constantFrom('GBR', 'GBR', 'ALB', 'VNM', 'ERI', 'POL', 'FRA', 'XXX'),
      types: fc.subarray(['CRIMINAL', 'LABOUR', 'SEXUAL'] as const, { maxLength: 2 }),
      nrm: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    })
    .map((s) =>
      subject(
        s.org,
        `${month}-P${s.ref}`,
        {
          roles: s.roles as never,
          sex: s.sex as never,
          ageAtExploitation: s.age as never,
          ageBand: s.band as never,
          nationalities: [s.nationality],
          exploitationTypes: [...s.types],
          identifiers: s.nrm === undefined ? {} : { nrmReference: `${month}-NRM${s.nrm}` },
        },
        { period: month, asAt: `${month}-10T00:00:00.000Z` },
      ),
    );

const operationArb = (month: Month) =>
  fc
    .record({
      org: fc.constantFrom(...ORGS),
      ref: fc.integer({ min: 0, max: 12 }),
      status: fc.constantFrom('LIVE', 'CLOSED'),
      threat: fc.constantFrom('MODERN_SLAVERY', 'OIC'),
      arrests: fc.integer({ min: 0, max: 3 }),
    })
    .map((o) =>
      operation(
        o.org,
        `${month}-OP${o.ref}`,
        {
          status: o.status as never,
          threatType: o.threat as never,
          counts: { arrests: o.arrests },
        },
        { period: month, asAt: `${month}-28T00:00:00.000Z` },
      ),
    );

const monthArb = (month: Month) =>
  fc.array(
    fc.oneof({ weight: 5, arbitrary: subjectArb(month) }, { weight: 1, arbitrary: operationArb(month) }),
    {
      minLength: 10,
      maxLength: 70,
    },
  );

/** New victims of a late return: fresh references and no identifiers, so they link to nobody. */
const lateArb = (month: Month) =>
  fc
    .array(subjectArb(month), { minLength: 1, maxLength: 4 })
    .map((records) =>
      records.map((record, i) =>
        record.recordType === 'subject'
          ? { ...record, subjectId: `${'f'.repeat(28)}${String(i).padStart(4, '0')}`, identifiers: {} }
          : record,
      ),
    );

const aggregate = (
  month: Month,
  records: readonly CanonicalRecord[],
  history: readonly HistoryMonth[],
  policy: DisclosurePolicy,
  current?: HistoryMonth,
): Promise<AggregationResult> =>
  aggregateRecords({
    month,
    records,
    uploads: selectUploads([], month),
    markers: [],
    history,
    ...(current === undefined ? {} : { current }),
    lateAfter: `${addMonths(month, 1)}-05T23:59:59.999Z`,
    policy,
  });

const asHistory = (result: AggregationResult): HistoryMonth => ({
  month: result.month,
  internal: result.tiers.internal.national,
  shareable: result.tiers.shareable.national,
});

const asPublication = (result: AggregationResult): Publication => ({
  doc: result.tiers.shareable.national,
  truth: result.tiers.internal.national,
});

/** Three consecutive months, then a revision of the last one with a late return. */
const publishMonths = async (
  months: readonly (readonly CanonicalRecord[])[],
  late: readonly CanonicalRecord[],
  policy: DisclosurePolicy,
) => {
  const results: AggregationResult[] = [];
  for (const [i, records] of months.entries()) {
    results.push(await aggregate(addMonths(FIRST, i), records, results.map(asHistory), policy));
  }
  const last = results.at(-1) as AggregationResult;
  const revised = await aggregate(
    last.month,
    [...(months.at(-1) ?? []), ...late],
    results.slice(0, -1).map(asHistory),
    policy,
    asHistory(last),
  );
  return { results, revised };
};

const narrow = (findings: readonly Finding[], width: number) => findings.filter((f) => f.width < width);

describe('the shareable tier against an integer-programming attacker', () => {
  it('has teeth: with a protection interval of 1 it narrows suppressed values below 5', async () => {
    // A month whose suppression only guarantees two possible values per [c].
    const weak = { ...DEFAULT_DISCLOSURE_POLICY, minimumWidth: 1 };
    const found: Finding[] = [];
    await fc.assert(
      fc.asyncProperty(monthArb(FIRST), async (records) => {
        const result = await aggregate(FIRST, records, [], weak);
        const findings = await attack([asPublication(result)], { policy: weak });
        for (const f of findings) {
          if (f.truth !== undefined) expect(f.truth).toBeGreaterThanOrEqual(f.lower);
          if (f.truth !== undefined) expect(f.truth).toBeLessThanOrEqual(f.upper);
        }
        found.push(...narrow(findings, 5));
      }),
      { numRuns: 15, seed: 12 },
    );
    expect(found.length).toBeGreaterThan(0);
  }, 300_000);

  it('finds no suppressed value narrower than the protection interval across months, the rolling table and a revision', async () => {
    const policy = DEFAULT_DISCLOSURE_POLICY;
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(monthArb(FIRST), monthArb(addMonths(FIRST, 1)), monthArb(addMonths(FIRST, 2))),
        lateArb(addMonths(FIRST, 2)),
        async (months, late) => {
          const { results, revised } = await publishMonths(months, late, policy);
          const publications = [...results, revised].map(asPublication);
          const findings = await attack(publications, {
            policy,
            onlyAdded: [[results.length - 1, results.length]],
          });
          for (const f of findings) {
            if (f.truth !== undefined) {
              expect(f.truth, `${f.table} ${f.entry}`).toBeGreaterThanOrEqual(f.lower);
              expect(f.truth, `${f.table} ${f.entry}`).toBeLessThanOrEqual(f.upper);
            }
          }
          expect(narrow(findings, policy.minimumWidth)).toEqual([]);
        },
      ),
      { numRuns: 3 },
    );
  }, 600_000);
});
