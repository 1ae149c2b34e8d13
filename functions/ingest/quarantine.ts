import type { IngestLimits } from './limits.ts';
import type { RowCounts } from './process-file.ts';

/** Why an upload was quarantined, as the ledger and the report state it. */
export type QuarantineReason = { readonly code: 'TOO_MANY_REJECTED'; readonly message: string };

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/**
 * Decides whether an upload whose rows were all read is quarantined: when the share of rejected rows is
 * above `maxRejectedShare`, nothing from it is applied (a file that is mostly wrong is more likely a
 * wrong export than a few bad rows). Pure, so `msht validate` gives the same verdict as ingest.
 */
export const quarantineVerdict = (
  counts: RowCounts,
  limits: Pick<IngestLimits, 'maxRejectedShare'>,
): QuarantineReason | undefined => {
  if (counts.rows === 0 || limits.maxRejectedShare >= 1) return undefined;
  const share = counts.rejected / counts.rows;
  if (share <= limits.maxRejectedShare) return undefined;
  return {
    code: 'TOO_MANY_REJECTED',
    message:
      `${counts.rejected} of ${counts.rows} rows (${percent(share)}) were rejected, more than the ` +
      `${percent(limits.maxRejectedShare)} allowed: nothing from this file was applied; fix the rows in the report and upload it again`,
  };
};
