import type { AggregateTier } from '../../../schemas/aggregate/national.ts';
import { PREFIXES } from '../../../schemas/object-keys.ts';
import type { Month } from '../month.ts';

/** `aggregates/{YYYY-MM}/`: everything of one month. */
export const monthPrefix = (month: Month): string => `${PREFIXES.aggregates}${month}/`;

/** `aggregates/{YYYY-MM}/latest.json`: the pointer to the current run (internal), written last. */
export const latestKey = (month: Month): string => `${monthPrefix(month)}latest.json`;

/** `aggregates/{YYYY-MM}/runs/`: the internal tier's runs. */
export const runsPrefix = (month: Month): string => `${monthPrefix(month)}runs/`;

/** `aggregates/{YYYY-MM}/runs/{runId}/`: the internal outputs of one run (never changed once the pointer names it). */
export const runPrefix = (month: Month, runId: string): string => `${runsPrefix(month)}${runId}/`;

/**
 * `aggregates/{YYYY-MM}/shareable/`: the month's shareable publication, the only place a shareable reader
 * may read: `latest.json` and the current version's folder (earlier versions are deleted on replacement).
 */
export const shareablePrefix = (month: Month): string => `${monthPrefix(month)}shareable/`;

/** `aggregates/{YYYY-MM}/shareable/latest.json`: the pointer to the current shareable publication. */
export const shareableLatestKey = (month: Month): string => `${shareablePrefix(month)}latest.json`;

/** The folder of one tier's files: `runs/{runId}/internal/` or `shareable/{runId}/` (the tier's own run id). */
export const tierPrefix = (month: Month, runId: string, tier: AggregateTier): string =>
  tier === 'internal' ? `${runPrefix(month, runId)}internal/` : `${shareablePrefix(month)}${runId}/`;

/**
 * The key of one output file of a tier, e.g. `aggregates/2026-10/runs/ab…/internal/report.html` or
 * `aggregates/2026-10/shareable/cd…/report.html`; `runId` is the tier's run id.
 */
export const outputKey = (month: Month, runId: string, tier: AggregateTier, path: string): string =>
  `${tierPrefix(month, runId, tier)}${path}`;
