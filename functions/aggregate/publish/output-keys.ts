import type { AggregateTier } from '../../../schemas/aggregate/national.ts';
import { PREFIXES } from '../../../schemas/object-keys.ts';
import type { Month } from '../month.ts';

/** `aggregates/{YYYY-MM}/`: everything of one month. */
export const monthPrefix = (month: Month): string => `${PREFIXES.aggregates}${month}/`;

/** `aggregates/{YYYY-MM}/latest.json`: the pointer to the current run, written last. */
export const latestKey = (month: Month): string => `${monthPrefix(month)}latest.json`;

/** `aggregates/{YYYY-MM}/runs/{runId}/`: the outputs of one run (never changed once the pointer names it). */
export const runPrefix = (month: Month, runId: string): string => `${monthPrefix(month)}runs/${runId}/`;

/** The key of one output file of a run and tier, e.g. `aggregates/2026-10/runs/ab…/shareable/report.html`. */
export const outputKey = (month: Month, runId: string, tier: AggregateTier, path: string): string =>
  `${runPrefix(month, runId)}${tier}/${path}`;
