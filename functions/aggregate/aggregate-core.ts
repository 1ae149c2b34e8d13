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
import type { AggregateCell } from '../../schemas/aggregate/table.ts';
import type { CanonicalRecord } from '../../schemas/canonical/record.ts';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.ts';
import { exactLinkingSummary, LINKING_TABLE, shareableLinkingSummary } from './disclosure/linking-summary.ts';
import { type PublishedMonth, publishGroups } from './disclosure/publish-groups.ts';
import { isSuppressed, type PublishedTable, type TierTable } from './disclosure/published.ts';
import { type Month, monthsEnding } from './month.ts';
import { type ReleaseInfo, UNDATED_RELEASE } from './publish/release.ts';
import { revisionOf } from './publish/revision.ts';
import { tierFiles, tierWorkbook } from './publish/tier-files.ts';
import { createMonthAccumulator, type MonthRecords } from './read/accumulate.ts';
import type { HistoryMonth } from './read/history.ts';
import { type LinkStats, linkSubjects } from './read/link-subjects.ts';
import { type MarkerFacts, sortMarkers } from './read/marker-facts.ts';
import type { UploadSelection } from './read/select-uploads.ts';
import { buildTableGroups } from './tables/build-tables.ts';
import { notSubmittedRows, submittersOf } from './tables/coverage.ts';
import { compare } from './tables/dimensions.ts';
import { headlineFigures, trendOf } from './tables/headline.ts';
import { nationalityCounts } from './tables/nationality.ts';
import { ratesOf } from './tables/rates.ts';
import { tableSpec } from './tables/registry.ts';
import { ROLLING_TABLE, type Rolling12, rolling12, rollingFromPublished } from './tables/rolling-12.ts';

/** Changes whenever the same inputs would give different outputs; part of every run id. */
export const AGGREGATION_VERSION = '3';

/** What the pure aggregation of one month reads: all of it streamed or already small. */
export interface AggregationInputs {
  readonly month: Month;
  /** The month's curated records from the counted uploads, in any order. */
  readonly records: AsyncIterable<CanonicalRecord> | Iterable<CanonicalRecord>;
  readonly uploads: UploadSelection;
  readonly markers: AsyncIterable<MarkerFacts> | Iterable<MarkerFacts>;
  readonly history: readonly HistoryMonth[];
  /**
   * The month's outputs as now published, if any: this run revises them (its shareable tier keeps their
   * suppression and carries a revision note), or reproduces them when nothing changed.
   */
  readonly current?: HistoryMonth;
  /** Uploads received after this instant are late (A9). */
  readonly lateAfter: string;
  /** The shareable tier's disclosure control (default `DEFAULT_DISCLOSURE_POLICY`). */
  readonly policy?: DisclosurePolicy;
  /** The bulletin's release metadata (report and spreadsheet only, never national.json). */
  readonly release?: ReleaseInfo;
  readonly onProgress?: (recordsRead: number) => void;
}

/** One tier's outputs: the national.json document and every file, by path relative to the tier folder. */
export interface TierOutput {
  readonly national: NationalPicture;
  /** Text files: national.json, tables/{id}.csv, report.html. */
  readonly files: ReadonlyMap<string, string>;
  /** Binary files: national.xlsx. */
  readonly binaries: ReadonlyMap<string, Buffer>;
}

/**
 * The month's outputs in both tiers, with their run ids and summary figures: `shareableRunId` is a digest
 * of the shareable tier alone; `runId` of the internal tier and the shareable run id.
 */
export interface AggregationResult {
  readonly month: Month;
  readonly runId: string;
  readonly shareableRunId: string;
  readonly tiers: Readonly<Record<AggregateTier, TierOutput>>;
  readonly recordsRead: number;
  readonly linking: LinkStats;
}

/** A table's fields as national.json holds them, in the contract's order (`z.object` drops `tier` etc.). */
const NationalTableFields = z.object(NationalTableSchema.shape);

const asNational = (
  group: string,
  table: TierTable,
  submitters: NationalPicture['submitters'],
): NationalTable => {
  const notSubmitted = notSubmittedRows(table, tableSpec(table.id)?.rows, submitters);
  return NationalTableFields.parse({ ...table, group, ...(notSubmitted.length ? { notSubmitted } : {}) });
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
    linking: stats,
  });
  const before = inputs.current?.shareable;
  const published = publishGroups(
    groups,
    policy,
    before === undefined
      ? undefined
      : { shareable: before.tables, internal: inputs.current?.internal?.tables ?? [] },
  );
  const historyDocs = (tier: AggregateTier) =>
    inputs.history.flatMap((h) => (h[tier] === undefined ? [] : [h[tier] as NationalPicture]));
  const shareableTables = [
    ...published.shareable,
    rollingShareable(published, historyDocs('shareable'), rolling),
  ];
  const linkingTable = published.shareable.find((t) => t.table.id === LINKING_TABLE)?.table;
  if (linkingTable === undefined || linkingTable.tier !== 'shareable') throw new Error('no linking table');
  const linking = shareableLinkingSummary(stats, linkingTable, policy);
  const tablesOf = (tier: AggregateTier): readonly { group: string; table: TierTable }[] =>
    tier === 'internal' ? published.internal : shareableTables;
  const previousMonth = monthsEnding(month, 2)[0] as Month;
  const historyMonths = (tier: AggregateTier) =>
    historyDocs(tier)
      .filter((doc) => doc.month < month)
      .map((doc) => doc.month)
      .sort(compare);
  const submitters = submittersOf(inputs.uploads, inputs.lateAfter);
  const build = (tier: AggregateTier): NationalPicture => {
    const tables = tablesOf(tier).map(({ group, table }) => asNational(group, table, submitters));
    const previous = historyDocs(tier).find((doc) => doc.month === previousMonth);
    const headline = headlineFigures(tables, previous);
    return {
      schemaVersion: 1,
      kind: 'msht-national-picture',
      month,
      tier,
      classification: tier === 'internal' ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      runId: '0'.repeat(24),
      historyMonths: historyMonths(tier),
      headline,
      linking: tier === 'internal' ? exactLinkingSummary(stats) : linking,
      submitters,
      tables,
      rates: ratesOf(tables),
      rolling12: { from: rolling.from, to: rolling.to, monthsWithData: rolling.monthsWithData },
      trend: trendOf(month, headline, historyDocs(tier)),
      disclosure: published.audits.map((audit) => ({ ...audit, tables: [...audit.tables] })),
      ...(tier === 'internal' ? { nationalityCounts: sortedCounts(counts) } : {}),
    };
  };
  const shareable = publication(build('shareable'), before);
  const runId = sha256Hex(
    canonicalJson({ v: AGGREGATION_VERSION, internal: build('internal'), shareable: shareable.runId }),
  ).slice(0, 24);
  const release = inputs.release ?? UNDATED_RELEASE;
  const tierOutput = async (tier: AggregateTier): Promise<TierOutput> => {
    const national: NationalPicture = tier === 'internal' ? { ...build('internal'), runId } : shareable;
    const tables = tablesOf(tier).map((t) => t.table);
    return {
      national,
      files: tierFiles(national, tables, policy, release),
      binaries: new Map([['national.xlsx', await tierWorkbook(national, policy, release)]]),
    };
  };
  return {
    month,
    runId,
    shareableRunId: shareable.runId,
    tiers: { internal: await tierOutput('internal'), shareable: await tierOutput('shareable') },
    recordsRead: records.recordsRead,
    linking: stats,
  };
};

/** The run id of a shareable document: a digest of its own content (and the aggregation version) only. */
const shareableRunIdOf = (doc: NationalPicture): string =>
  sha256Hex(canonicalJson({ v: AGGREGATION_VERSION, shareable: { ...doc, runId: '' } })).slice(0, 24);

/**
 * The shareable publication: the draft itself the first time; the current publication again when nothing
 * it publishes changed (so a re-run is byte-identical); otherwise a revision of it, with a revision note of
 * the published values that changed.
 */
const publication = (draft: NationalPicture, before: NationalPicture | undefined): NationalPicture => {
  if (before !== undefined) {
    const { revision: _, ...unrevised } = before;
    const same = canonicalJson({ ...unrevised, runId: '' }) === canonicalJson({ ...draft, runId: '' });
    if (same) return before;
  }
  const doc = before === undefined ? draft : { ...draft, revision: revisionOf(before, draft.tables) };
  return { ...doc, runId: shareableRunIdOf(doc) };
};

/**
 * The shareable rolling 12-month table: the sum of the published monthly tables of the window
 * (`rollingFromPublished`), never protected on its own (that would give a second, differenceable view of
 * the same counts).
 */
const rollingShareable = (
  published: PublishedMonth,
  earlier: readonly NationalPicture[],
  rolling: Rolling12,
): { group: string; table: PublishedTable } => {
  const internal = published.internal.find((t) => t.table.id === ROLLING_TABLE.id);
  const monthly = published.shareable.find((t) => t.table.id === ROLLING_TABLE.of)?.table;
  if (internal === undefined || monthly === undefined) throw new Error('the rolling 12-month table needs A3');
  const window = new Set(monthsEnding(rolling.to, 12));
  const months = earlier.filter((doc) => window.has(doc.month) && doc.month < rolling.to);
  const values = rollingFromPublished(
    monthly,
    months.map((doc) => doc.tables.find((t) => t.id === ROLLING_TABLE.of)),
  );
  const hidden = (values: readonly AggregateCell[]) => values.filter(isSuppressed).length;
  return {
    group: internal.group,
    table: {
      ...internal.table,
      ...values,
      tier: 'shareable',
      rounding: monthly.rounding,
      zerosSuppressed: monthly.zerosSuppressed,
      disclosure: {
        primaryCells: 0,
        secondaryCells: hidden(values.cells.flat()),
        primaryTotals: 0,
        secondaryTotals: hidden([...values.rowTotals, ...values.columnTotals, values.grandTotal]),
      },
    },
  };
};
