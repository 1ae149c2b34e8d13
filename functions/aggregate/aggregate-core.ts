import { z } from 'zod';
import {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
} from '../../schemas/aggregate/disclosure-policy.ts';
import {
  type AggregateTier,
  type NationalPicture,
  type NationalTable,
  NationalTableSchema,
} from '../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED } from '../../schemas/aggregate/table.ts';
import type { CanonicalRecord } from '../../schemas/canonical/record.ts';
import { ORG_CODES } from '../../schemas/common/organisations.ts';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.ts';
import { publishGroups } from './disclosure/publish-groups.ts';
import { roundTo, type TierTable } from './disclosure/published.ts';
import { type Month, monthsEnding } from './month.ts';
import { tierFiles } from './publish/tier-files.ts';
import { createMonthAccumulator, type MonthRecords } from './read/accumulate.ts';
import type { HistoryMonth } from './read/history.ts';
import { type LinkStats, linkSubjects } from './read/link-subjects.ts';
import { type MarkerFacts, sortMarkers } from './read/marker-facts.ts';
import type { UploadSelection } from './read/select-uploads.ts';
import { buildTableGroups } from './tables/build-tables.ts';
import { compare } from './tables/dimensions.ts';
import { headlineFigures, trendOf } from './tables/headline.ts';
import { nationalityCounts } from './tables/nationality.ts';
import { ratesOf } from './tables/rates.ts';
import { rolling12 } from './tables/rolling-12.ts';

/** Changes whenever the same inputs would give different outputs; part of every run id. */
export const AGGREGATION_VERSION = '1';

/** What the pure aggregation of one month reads: all of it streamed or already small. */
export interface AggregationInputs {
  readonly month: Month;
  /** The month's curated records from the counted uploads, in any order. */
  readonly records: AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>;
  readonly uploads: UploadSelection;
  readonly markers: AsyncIterable<MarkerFacts> | Iterable<MarkerFacts>;
  readonly history: readonly HistoryMonth[];
  /** Uploads received after this instant are late (A9). */
  readonly lateAfter: string;
  /** The shareable tier's disclosure control (default `DEFAULT_DISCLOSURE_POLICY`). */
  readonly policy?: DisclosurePolicy;
  readonly onProgress?: (recordsRead: number) => void;
}

/** One tier's outputs: the national.json document and every file, by path relative to the tier folder. */
export interface TierOutput {
  readonly national: NationalPicture;
  readonly files: ReadonlyMap<string, string>;
}

/** The month's outputs in both tiers, with the run id (a digest of the outputs) and summary figures. */
export interface AggregationResult {
  readonly month: Month;
  readonly runId: string;
  readonly tiers: Readonly<Record<AggregateTier, TierOutput>>;
  readonly recordsRead: number;
  readonly linking: LinkStats;
}

const linkingFor = (
  stats: LinkStats,
  tier: AggregateTier,
  policy: DisclosurePolicy,
): NationalPicture['linking'] => {
  // Small counts in the shareable tier's summary are `[c]`, the rest rounded, as in the tables.
  const protect = (value: number): AggregateCell =>
    value > 0 && value < policy.threshold ? SUPPRESSED : roundTo(value, policy.roundingBase);
  const v = tier === 'internal' ? (n: number) => n : protect;
  return {
    subjectRecords: v(stats.subjectRecords),
    persons: v(stats.persons),
    linksMade: v(stats.linksMade),
    byRule: {
      nrmReference: v(stats.byRule.nrmReference),
      pncId: v(stats.byRule.pncId),
      passport: v(stats.byRule.passport),
    },
    crossOrganisationPersons: v(stats.crossOrganisationPersons),
  };
};

/** A table's fields as national.json holds them, in the contract's order (`z.object` drops `tier` etc.). */
const NationalTableFields = z.object(NationalTableSchema.shape);

const asNational = (group: string, table: TierTable): NationalTable =>
  NationalTableFields.parse({ ...table, group });

const submittersOf = (uploads: UploadSelection, lateAfter: string): NationalPicture['submitters'] => {
  type Orgs = NationalPicture['submitters']['submitted'];
  const considered = [...uploads.counted, ...uploads.failed];
  const submitted = [...new Set(considered.map((u) => u.org))].sort(compare);
  const late = [...new Set(considered.filter((u) => u.receivedAt > lateAfter).map((u) => u.org))].sort(
    compare,
  );
  const nothing = ORG_CODES.filter((org) => !submitted.includes(org)).sort(compare);
  return { submitted: submitted as Orgs, nothingSubmitted: nothing as Orgs, late: late as Orgs };
};

const rejectedByOrg = (uploads: UploadSelection): Map<string, number> => {
  const rejected = new Map<string, number>();
  for (const upload of uploads.counted)
    rejected.set(upload.org, (rejected.get(upload.org) ?? 0) + upload.counts.rejected);
  for (const upload of uploads.failed)
    rejected.set(upload.org, (rejected.get(upload.org) ?? 0) + upload.counts.rows);
  return rejected;
};

/** Reads the month's records into the accumulator, one at a time. */
const accumulate = async (inputs: AggregationInputs): Promise<MonthRecords> => {
  const accumulator = createMonthAccumulator(inputs.month);
  let read = 0;
  for await (const record of inputs.records) {
    accumulator.add(record);
    read += 1;
    if (inputs.onProgress !== undefined && read % 1000 === 0) inputs.onProgress(read);
  }
  inputs.onProgress?.(read);
  return accumulator.finish();
};

const collect = async <T>(items: AsyncIterable<T> | Iterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

/** Exact nationality counts with sorted keys at both levels (internal tier only). */
const sortedCounts = (counts: ReadonlyMap<string, ReadonlyMap<string, number>>) =>
  Object.fromEntries(
    [...counts.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([code, byAge]) => [
        code,
        Object.fromEntries([...byAge.entries()].sort(([a], [b]) => compare(a, b))),
      ]),
  );

/**
 * Aggregates one month into both tiers (domain §8.7, §8.8), the shareable tier under `inputs.policy`.
 * Deterministic: the outputs depend only on the set of current records (not on their order or on how
 * they were split into files), the ledger counts, the markers, the earlier months' outputs and the
 * policy; they hold no clock time, and the run id is a digest of the outputs themselves, so a re-run on
 * the same inputs writes byte-identical files to the same place.
 */
export const aggregateRecords = async (inputs: AggregationInputs): Promise<AggregationResult> => {
  const { month } = inputs;
  const policy = inputs.policy ?? DEFAULT_DISCLOSURE_POLICY;
  const records = await accumulate(inputs);
  const { persons, stats } = linkSubjects(records.subjects);
  const counts = nationalityCounts(persons.filter((p) => p.victim));
  const rolling = rolling12(month, counts, inputs.history);
  const groups = buildTableGroups({
    month,
    records,
    persons,
    markers: sortMarkers(await collect(inputs.markers)),
    ledger: { rejectedByOrg: rejectedByOrg(inputs.uploads) },
    rolling,
  });
  const published = publishGroups(groups, policy);
  const tablesOf = (tier: AggregateTier): readonly { group: string; table: TierTable }[] =>
    tier === 'internal' ? published.internal : published.shareable;
  const historyDocs = (tier: AggregateTier) =>
    inputs.history.flatMap((h) => (h[tier] === undefined ? [] : [h[tier] as NationalPicture]));
  const previousMonth = monthsEnding(month, 2)[0] as Month;
  const historyMonths = inputs.history
    .filter((h) => h.internal !== undefined && h.month < month)
    .map((h) => h.month)
    .sort(compare);
  const build = (tier: AggregateTier): NationalPicture => {
    const tables = tablesOf(tier).map(({ group, table }) => asNational(group, table));
    const previous = historyDocs(tier).find((doc) => doc.month === previousMonth);
    const headline = headlineFigures(tables, previous);
    return {
      schemaVersion: 1,
      kind: 'msht-national-picture',
      month,
      tier,
      classification: tier === 'internal' ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      runId: '0'.repeat(24),
      historyMonths,
      headline,
      linking: linkingFor(stats, tier, policy),
      submitters: submittersOf(inputs.uploads, inputs.lateAfter),
      tables,
      rates: ratesOf(tables),
      rolling12: { from: rolling.from, to: rolling.to, monthsWithData: rolling.monthsWithData },
      trend: trendOf(month, headline, historyDocs(tier)),
      disclosure: published.audits.map((audit) => ({ ...audit, tables: [...audit.tables] })),
      ...(tier === 'internal' ? { nationalityCounts: sortedCounts(counts) } : {}),
    };
  };
  const draft = { internal: build('internal'), shareable: build('shareable') };
  const runId = sha256Hex(canonicalJson({ v: AGGREGATION_VERSION, ...draft })).slice(0, 24);
  const tierOutput = (tier: AggregateTier): TierOutput => {
    const national: NationalPicture = { ...draft[tier], runId };
    const tables = tablesOf(tier).map((t) => t.table);
    return { national, files: tierFiles(national, tables, policy) };
  };
  return {
    month,
    runId,
    tiers: { internal: tierOutput('internal'), shareable: tierOutput('shareable') },
    recordsRead: records.recordsRead,
    linking: stats,
  };
};
