import { z } from 'zod';

/**
 * The attributes of a markers-table item the monthly tables use (A8): type, source organisation, the
 * period of the record it came from, lifecycle status, review dates and PND sync state. Nothing else is
 * read from the table.
 */
export const MarkerFactsSchema = z.object({
  /** The markers table also holds record heads (`RECORD`); only `MARKER` items (or untyped ones) count. */
  itemType: z.string().optional(),
  markerType: z.string(),
  sourceOrg: z.string(),
  period: z.string(),
  status: z.string().default('ACTIVE'),
  pndSyncState: z.string().default('PENDING'),
  lastReviewedOn: z.string().optional(),
  reviewDueOn: z.string().optional(),
});
export type MarkerFacts = z.infer<typeof MarkerFactsSchema>;

/** The attribute names to project when scanning the markers table. */
export const MARKER_FACT_ATTRIBUTES = Object.keys(MarkerFactsSchema.shape);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Markers in a deterministic order (the scan order of DynamoDB is not). */
export const sortMarkers = (markers: readonly MarkerFacts[]): MarkerFacts[] =>
  [...markers].sort(
    (a, b) =>
      compare(a.markerType, b.markerType) ||
      compare(a.sourceOrg, b.sourceOrg) ||
      compare(a.period, b.period) ||
      compare(a.status, b.status) ||
      compare(a.pndSyncState, b.pndSyncState) ||
      compare(a.lastReviewedOn ?? '', b.lastReviewedOn ?? '') ||
      compare(a.reviewDueOn ?? '', b.reviewDueOn ?? ''),
  );
