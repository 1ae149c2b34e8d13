import { z } from 'zod';
import { IsoMonthSchema } from '../common/dates.ts';
import { OrgCodeSchema } from '../common/organisations.ts';
import { AggregateCellSchema, SUPPRESSED, tableShape } from './table.ts';

/** A signed change (month on month) or `[c]` when either month's value is suppressed or missing. */
export const AggregateChangeSchema = z.union([z.number().int(), z.literal(SUPPRESSED)]);

/** The two output tiers of the national picture (domain §8.8). */
export const AggregateTierSchema = z.enum(['internal', 'shareable']);
export type AggregateTier = z.infer<typeof AggregateTierSchema>;

const { id, title, ...values } = tableShape(AggregateCellSchema);

/** One table of the month as national.json holds it: a `Table` of published values, with its group. */
export const NationalTableSchema = z.strictObject({
  id,
  title,
  /** The group of tables protected together (they share margins); tables of different groups share none. */
  group: z.string().min(1),
  ...values,
  /**
   * Rows (by label) of regions or organisations none of whose organisations had a counted return for the
   * month: their values are 0 in `cells` and `rowTotals` (what the disclosure audit sees), and every
   * rendering (report, CSV, spreadsheet) shows them as "not submitted", never as 0. Absent when none.
   */
  notSubmitted: z.array(z.string()).optional(),
});
export type NationalTable = z.infer<typeof NationalTableSchema>;

/** A headline figure with its month-on-month change (null when the previous month has no output). */
export const HeadlineFigureSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  value: AggregateCellSchema,
  previous: AggregateCellSchema.nullable(),
  change: AggregateChangeSchema.nullable(),
  /** Whole-number percentage change; `[c]` when a value is suppressed or the previous value is 0. */
  changePercent: AggregateChangeSchema.nullable(),
});
export type HeadlineFigure = z.infer<typeof HeadlineFigureSchema>;

/** How subjects reported by several organisations were linked into persons (counted once nationally). */
export const LinkingSummarySchema = z.strictObject({
  subjectRecords: AggregateCellSchema,
  persons: AggregateCellSchema,
  /** Records merged into another record's person: subjectRecords − persons. */
  linksMade: AggregateCellSchema,
  byRule: z.strictObject({
    nrmReference: AggregateCellSchema,
    pncId: AggregateCellSchema,
    passport: AggregateCellSchema,
  }),
  /** Persons whose records came from more than one organisation. */
  crossOrganisationPersons: AggregateCellSchema,
});
export type LinkingSummary = z.infer<typeof LinkingSummarySchema>;

/** Monthly trend series (oldest first), ending with the reporting month. */
export const TrendSchema = z.strictObject({
  months: z.array(IsoMonthSchema),
  series: z.array(
    z.strictObject({ id: z.string(), label: z.string(), values: z.array(AggregateCellSchema) }),
  ),
});

/** The outcome of the disclosure audit of one group of tables (shareable tier: no primary/secondary split). */
export const DisclosureGroupSchema = z.strictObject({
  group: z.string(),
  tables: z.array(z.string()),
  ok: z.boolean(),
  /** True when the audit bounds are exact integer bounds (network-structured set). */
  exact: z.boolean(),
  suppressedEntries: z.number().int().nonnegative(),
});
export type DisclosureGroup = z.infer<typeof DisclosureGroupSchema>;

/**
 * Whole-number percentages derived from the month's tables (e.g. crimes recorded per 100 NRM referrals).
 * In the shareable tier they are computed from published, rounded values and are `[c]` where either is
 * suppressed (domain §8.8 rule 5).
 */
export const RateSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  rows: z.array(z.strictObject({ label: z.string(), percent: AggregateCellSchema })),
});
export type Rate = z.infer<typeof RateSchema>;

/** Nationality × age-at-exploitation counts by ISO code: internal tier only, for the rolling 12 months. */
export const NationalityCountsSchema = z.record(
  z.string(),
  z.record(z.string(), z.number().int().nonnegative()),
);

/**
 * The revision note of a shareable publication that replaces an earlier one of the same month: which
 * published values changed, from and to what, as both versions published them (rounded or `[c]`): never
 * an exact difference.
 */
export const RevisionSchema = z.strictObject({
  /** 1 for the first revision of the month's shareable publication, 2 for the next, … */
  number: z.number().int().positive(),
  /** The run id of the shareable publication this one replaces. */
  replaces: z.string().regex(/^[0-9a-f]{16,64}$/),
  changes: z.array(
    z.strictObject({
      table: z.string().min(1),
      /** `cell`, `row total`, `column total` or `grand total`. */
      entry: z.string().min(1),
      row: z.string().optional(),
      column: z.string().optional(),
      from: AggregateCellSchema,
      to: AggregateCellSchema,
    }),
  ),
  /** Tables that were added or removed, or whose rows or columns changed. */
  tablesReshaped: z.array(z.string()),
});
export type Revision = z.infer<typeof RevisionSchema>;

/**
 * The monthly national picture of one tier: `aggregates/{YYYY-MM}/runs/{runId}/internal/national.json`
 * (internal) and `aggregates/{YYYY-MM}/shareable/{runId}/national.json` (shareable). It is deterministic:
 * it holds no generation time, and `runId` is a digest of the tier's own content (the shareable tier's of
 * shareable content only).
 */
export const NationalPictureSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('msht-national-picture'),
  month: IsoMonthSchema,
  tier: AggregateTierSchema,
  classification: z.enum(['OFFICIAL-SENSITIVE', 'OFFICIAL']),
  runId: z.string().regex(/^[0-9a-f]{16,64}$/),
  /** Months before this one whose outputs were found (for month-on-month change, trends and rolling figures). */
  historyMonths: z.array(IsoMonthSchema),
  headline: z.array(HeadlineFigureSchema),
  linking: LinkingSummarySchema,
  /**
   * Coverage against the expected organisations (every organisation of `ORGANISATIONS`): `submitted` sent
   * at least one return for the month (counted or failed), `nothingSubmitted` sent none, `noneCounted`
   * submitted but had no counted return (every file failed), `late` sent one after the submission deadline.
   */
  submitters: z.strictObject({
    submitted: z.array(OrgCodeSchema),
    nothingSubmitted: z.array(OrgCodeSchema),
    noneCounted: z.array(OrgCodeSchema).default([]),
    late: z.array(OrgCodeSchema),
  }),
  tables: z.array(NationalTableSchema),
  rates: z.array(RateSchema),
  rolling12: z.strictObject({ from: IsoMonthSchema, to: IsoMonthSchema, monthsWithData: z.number().int() }),
  trend: TrendSchema,
  disclosure: z.array(DisclosureGroupSchema),
  /** Internal tier only: exact nationality counts feeding later months' rolling 12-month table. */
  nationalityCounts: NationalityCountsSchema.optional(),
  /** Shareable tier only: present when this publication replaces an earlier one of the same month. */
  revision: RevisionSchema.optional(),
});
export type NationalPicture = z.infer<typeof NationalPictureSchema>;

/**
 * `aggregates/{YYYY-MM}/latest.json`: the pointer to the current run, written last (the atomic switch).
 * Internal (OFFICIAL-SENSITIVE): it holds exact counts; shareable readers use `ShareableLatestSchema`.
 */
export const AggregateLatestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  month: IsoMonthSchema,
  runId: z.string().regex(/^[0-9a-f]{16,64}$/),
  prefix: z.string().min(1),
  /** The run id of the shareable publication of this run (`aggregates/{YYYY-MM}/shareable/{id}/`). */
  shareableRunId: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/)
    .optional(),
  generatedAt: z.iso.datetime(),
  /** Which uploads the run counted and left out (run metadata: not part of the deterministic outputs). */
  uploads: z.strictObject({
    counted: z.number().int().nonnegative(),
    superseded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    duplicate: z.number().int().nonnegative(),
    inFlight: z.number().int().nonnegative(),
  }),
  recordsRead: z.number().int().nonnegative(),
  files: z.array(z.string().min(1)),
});
export type AggregateLatest = z.infer<typeof AggregateLatestSchema>;

/**
 * `aggregates/{YYYY-MM}/shareable/latest.json`: the pointer to the month's current shareable publication
 * (OFFICIAL). It holds no figure: no record or upload counts, and a run id that is a digest of the
 * shareable content alone.
 */
export const ShareableLatestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  month: IsoMonthSchema,
  runId: z.string().regex(/^[0-9a-f]{16,64}$/),
  prefix: z.string().min(1),
  /** When this version was published. */
  publishedAt: z.iso.datetime(),
  /** 0 for the first publication of the month, then 1, 2, … for each revision. */
  revision: z.number().int().nonnegative(),
  files: z.array(z.string().min(1)),
});
export type ShareableLatest = z.infer<typeof ShareableLatestSchema>;
