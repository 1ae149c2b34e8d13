import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import type { AggregateCell, Table } from '../../../schemas/aggregate/table.ts';
import { ORG_CODES, type OrgCode, orgName, orgRegion } from '../../../schemas/common/organisations.ts';
import type { UploadSelection } from '../read/select-uploads.ts';
import { compare } from './dimensions.ts';

/** The organisations expected to submit every month: every organisation of `ORGANISATIONS`. */
export const EXPECTED_ORGANISATIONS: readonly OrgCode[] = [...ORG_CODES].sort(compare);

/**
 * Who submitted for the month, against the expected organisations: an organisation *submitted* when
 * the ledger holds a counted or failed upload of the month from it; *none counted* when all of them
 * failed; *late* when one arrived after `lateAfter`.
 */
export const submittersOf = (uploads: UploadSelection, lateAfter: string): NationalPicture['submitters'] => {
  const considered = [...uploads.counted, ...uploads.failed];
  const orgs = (list: readonly { org: string }[]) => new Set(list.map((u) => u.org));
  const submitted = orgs(considered);
  const counted = orgs(uploads.counted);
  const late = orgs(considered.filter((u) => u.receivedAt > lateAfter));
  const pick = (keep: (org: OrgCode) => boolean) => EXPECTED_ORGANISATIONS.filter(keep);
  return {
    submitted: pick((org) => submitted.has(org)),
    nothingSubmitted: pick((org) => !submitted.has(org)),
    noneCounted: pick((org) => submitted.has(org) && !counted.has(org)),
    late: pick((org) => late.has(org)),
  };
};

/** The organisations of a row of a table whose rows are regions or organisations (by label). */
const organisationsOfRow = (rows: 'regions' | 'organisations', label: string): OrgCode[] =>
  EXPECTED_ORGANISATIONS.filter((org) =>
    rows === 'regions' ? orgRegion(org) === label : orgName(org) === label,
  );

/**
 * The rows of a table (by label) none of whose organisations had a counted return for the month, and
 * whose values are all 0: they are shown as "not submitted". A row with any non-zero or suppressed
 * value is never one (so "not submitted" can only stand for a published 0, and tells a reader nothing
 * the coverage list does not).
 */
export const notSubmittedRows = (
  table: Pick<Table<AggregateCell>, 'rows' | 'cells' | 'rowTotals'>,
  rows: 'regions' | 'organisations' | undefined,
  submitters: NationalPicture['submitters'],
): string[] => {
  if (rows === undefined) return [];
  const counted = new Set(submitters.submitted.filter((org) => !submitters.noneCounted.includes(org)));
  return table.rows.filter((label, r) => {
    const orgs = organisationsOfRow(rows, label);
    const values = [...(table.cells[r] ?? []), table.rowTotals[r]];
    return orgs.length > 0 && !orgs.some((org) => counted.has(org)) && values.every((v) => v === 0);
  });
};
