import type {
  AggregateCell,
  AggregateTier,
  NationalPicture,
  NationalTable,
} from '../../schemas/aggregate/national.ts';
import type { CanonicalRecord } from '../../schemas/canonical/record.ts';
import { createMonthAccumulator, type MonthRecords } from './accumulate.ts';
import { ALL_ORGS, buildTableGroups, nationalityByAgeTable, nationalityCounts } from './build-tables.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { tableCsv } from './csv.ts';
import { type CellValue, type PublishedTable, roundToNearest5, SUPPRESSED } from './disclosure/published.ts';
import { headlineFigures, trendOf } from './headline.ts';
import { type LinkStats, linkSubjects } from './link-subjects.ts';
import { type MarkerFacts, sortMarkers } from './marker-facts.ts';
import { type Month, monthsEnding } from './month.ts';
import { publishGroups } from './publish.ts';
import { ratesOf } from './rates.ts';
import { renderMonthReport } from './report-input.ts';
import type { UploadSelection } from './select-uploads.ts';

/** Changes whenever the same inputs would give different outputs; part of every run id. */
export const AGGREGATION_VERSION = '1';

/** The outputs of earlier months (read through their `latest.json`), for change, trends and rolling sums. */
export interface HistoryMonth {
  readonly month: Month;
  readonly internal?: NationalPicture;
  readonly shareable?: NationalPicture;
}

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

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Small counts in the shareable tier's linking summary: 1-9 → `[c]`, the rest to the nearest 5. */
const protect = (value: number): AggregateCell =>
  value > 0 && value < 10 ? SUPPRESSED : roundToNearest5(value);

const linkingFor = (stats: LinkStats, tier: AggregateTier): NationalPicture['linking'] => {
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

type SourceTable = Pick<
  PublishedTable,
  'id' | 'title' | 'rowDimension' | 'columnDimension' | 'rows' | 'columns'
> & {
  readonly cells: readonly (readonly CellValue[])[];
  readonly rowTotals: readonly CellValue[];
  readonly columnTotals: readonly CellValue[];
  readonly grandTotal: CellValue;
};

const asNational = (group: string, table: SourceTable): NationalTable => ({
  id: table.id,
  title: table.title,
  group,
  rowDimension: table.rowDimension,
  columnDimension: table.columnDimension,
  rows: [...table.rows],
  columns: [...table.columns],
  cells: table.cells.map((row) => [...row]),
  rowTotals: [...table.rowTotals],
  columnTotals: [...table.columnTotals],
  grandTotal: table.grandTotal,
});

const submittersOf = (uploads: UploadSelection, lateAfter: string): NationalPicture['submitters'] => {
  const considered = [...uploads.counted, ...uploads.failed];
  const submitted = [...new Set(considered.map((u) => u.org))].sort(compare);
  const late = [...new Set(considered.filter((u) => u.receivedAt > lateAfter).map((u) => u.org))].sort(
    compare,
  );
  const nothing = ALL_ORGS.filter((org) => !submitted.includes(org as (typeof submitted)[number])).sort(
    compare,
  );
  return {
    submitted: submitted as NationalPicture['submitters']['submitted'],
    nothingSubmitted: nothing as NationalPicture['submitters']['submitted'],
    late: late as NationalPicture['submitters']['submitted'],
  };
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

/**
 * Aggregates one month into both tiers (domain §8.7, §8.8). Deterministic: the outputs depend only on the
 * set of current records (not on their order or on how they were split into files), the ledger counts,
 * the markers and the earlier months' outputs; they hold no clock time, and the run id is a digest of
 * the outputs themselves, so a re-run on the same inputs writes byte-identical files to the same place.
 */
export const aggregateRecords = async (inputs: AggregationInputs): Promise<AggregationResult> => {
  const { month } = inputs;
  const records = await accumulate(inputs);
  const { persons, stats } = linkSubjects(records.subjects);
  const markers = sortMarkers(await collect(inputs.markers));
  const groups = buildTableGroups({
    month,
    records,
    persons,
    markers,
    ledger: { rejectedByOrg: rejectedByOrg(inputs.uploads) },
  });
  const victims = persons.filter((p) => p.victim);
  const counts = nationalityCounts(victims);

  // Rolling 12 months: the monthly nationality counts of this month and the earlier months found.
  const window = new Set(monthsEnding(month, 12));
  const earlier = inputs.history.filter((h) => window.has(h.month) && h.month !== month && h.internal);
  const rolling = new Map<string, Map<string, number>>();
  const addCounts = (source: Iterable<[string, Iterable<[string, number]>]>) => {
    for (const [code, byAge] of source) {
      const target = rolling.get(code) ?? new Map<string, number>();
      for (const [age, n] of byAge) target.set(age, (target.get(age) ?? 0) + n);
      rolling.set(code, target);
    }
  };
  addCounts(counts);
  for (const h of earlier) {
    addCounts(
      Object.entries(h.internal?.nationalityCounts ?? {}).map(([code, byAge]) => [
        code,
        Object.entries(byAge),
      ]),
    );
  }
  const window12 = monthsEnding(month, 12);
  groups.push({
    id: 'rolling-12-months',
    shareable: true,
    tables: [
      nationalityByAgeTable(
        'A3r',
        `Potential victims by nationality and age at exploitation, rolling 12 months ${window12[0]} to ${month} (sum of monthly counts)`,
        new Map([...rolling.entries()].sort(([a], [b]) => compare(a, b))),
      ),
    ],
    links: [],
  });

  const published = publishGroups(groups);
  const historyDocs = (tier: AggregateTier) =>
    inputs.history.flatMap((h) => (h[tier] === undefined ? [] : [h[tier] as NationalPicture]));
  const previousMonth = monthsEnding(month, 2)[0] as Month;
  const historyMonths = inputs.history
    .filter((h) => h.internal !== undefined && h.month < month)
    .map((h) => h.month)
    .sort(compare);
  const build = (tier: AggregateTier): NationalPicture => {
    const tables =
      tier === 'internal'
        ? published.internal.map(({ group, table }) => asNational(group, table))
        : published.shareable.map(({ group, table }) => asNational(group, table));
    const previous = historyDocs(tier).find((doc) => doc.month === previousMonth);
    const headline = headlineFigures(tables, previous);
    const exactCounts = Object.fromEntries(
      [...counts.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([code, byAge]) => [
          code,
          Object.fromEntries([...byAge.entries()].sort(([a], [b]) => compare(a, b))),
        ]),
    );
    return {
      schemaVersion: 1,
      kind: 'msht-national-picture',
      month,
      tier,
      classification: tier === 'internal' ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      runId: '0'.repeat(24),
      historyMonths,
      headline,
      linking: linkingFor(stats, tier),
      submitters: submittersOf(inputs.uploads, inputs.lateAfter),
      tables,
      rates: ratesOf(tables),
      rolling12: { from: window12[0] as Month, to: month, monthsWithData: earlier.length + 1 },
      trend: trendOf(month, headline, historyDocs(tier)),
      disclosure: published.audits.map((audit) => ({
        group: audit.group,
        tables: [...audit.tables],
        ok: audit.ok,
        exact: audit.exact,
        suppressedEntries: audit.suppressedEntries,
      })),
      ...(tier === 'internal' ? { nationalityCounts: exactCounts } : {}),
    };
  };
  const draft = { internal: build('internal'), shareable: build('shareable') };
  const runId = sha256Hex(canonicalJson({ v: AGGREGATION_VERSION, ...draft })).slice(0, 24);
  const tierOutput = (tier: AggregateTier): TierOutput => {
    const national: NationalPicture = { ...draft[tier], runId };
    const files = new Map<string, string>();
    files.set('national.json', `${JSON.stringify(national, null, 2)}\n`);
    for (const table of national.tables) files.set(`tables/${table.id}.csv`, tableCsv(table));
    const tables = tier === 'internal' ? published.internal : published.shareable;
    files.set(
      'report.html',
      renderMonthReport(
        national,
        tables.map((t) => t.table),
      ),
    );
    return { national, files };
  };
  return {
    month,
    runId,
    tiers: { internal: tierOutput('internal'), shareable: tierOutput('shareable') },
    recordsRead: records.recordsRead,
    linking: stats,
  };
};
