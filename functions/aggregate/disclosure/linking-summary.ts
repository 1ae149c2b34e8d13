import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { LinkingSummary } from '../../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import type { LinkStats } from '../read/link-subjects.ts';
import { type PublishedTable, roundTo } from './published.ts';

/** The internal tier's linking summary: the exact counts. */
export const exactLinkingSummary = (stats: LinkStats): LinkingSummary => ({
  subjectRecords: stats.subjectRecords,
  persons: stats.persons,
  linksMade: stats.linksMade,
  byRule: { ...stats.byRule },
  crossOrganisationPersons: stats.crossOrganisationPersons,
});

/** The table of the month that holds the linking counts (quality group, linked to A9c's grand total). */
export const LINKING_TABLE = 'A9d';

/**
 * The shareable tier's linking summary, read from the published A9d table (subject records = persons +
 * records linked by each rule), which is suppressed and audited with the other data-quality tables (its
 * total is A9c's), so no published combination (records − persons, the sum of the rules) pins a
 * suppressed count. Links made is records − persons of the published values when both are shown, else
 * `[c]`. Persons whose records came from several organisations is a count in no equation: suppressed from
 * 1 to threshold − 1, else rounded.
 */
export const shareableLinkingSummary = (
  stats: LinkStats,
  table: Pick<PublishedTable, 'cells' | 'grandTotal'>,
  policy: DisclosurePolicy,
): LinkingSummary => {
  const value = (row: number): AggregateCell => table.cells[row]?.[0] as AggregateCell;
  const records = table.grandTotal;
  const persons = value(0);
  const cross = stats.crossOrganisationPersons;
  return {
    subjectRecords: records,
    persons,
    linksMade: records === SUPPRESSED || persons === SUPPRESSED ? SUPPRESSED : records - persons,
    byRule: { nrmReference: value(1), pncId: value(2), passport: value(3) },
    crossOrganisationPersons:
      cross > 0 && cross < policy.threshold ? SUPPRESSED : roundTo(cross, policy.roundingBase),
  };
};
