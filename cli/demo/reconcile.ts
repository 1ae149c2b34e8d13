import type { UploadLedgerEntry } from '../../schemas/index.ts';

/** One upload's line in the reconciliation table. */
export type ReconciliationRow = {
  readonly uploadId: string;
  readonly org: string;
  readonly period: string;
  readonly fileName: string;
  readonly status: string;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly indexed: number;
  /** Empty when the upload reconciles; otherwise every reason it does not. */
  readonly problems: readonly string[];
};

/** What the sender of a file expects: how many data rows, and how many of them are deliberately invalid. */
export type Expectation = { readonly rows: number; readonly rejected: number };

/**
 * Checks every upload: it finished (INDEXED, or DUPLICATE of an indexed file), `rows = accepted +
 * rejected`, `accepted = indexed`, and, where the sender's expectation is known, the counts match it.
 */
export const reconcile = (
  entries: readonly UploadLedgerEntry[],
  expected: ReadonlyMap<string, Expectation> = new Map(),
): ReconciliationRow[] =>
  entries.map((e) => {
    const { rows, accepted, rejected, indexed } = e.counts;
    const problems: string[] = [];
    if (e.status !== 'INDEXED') problems.push(`status is ${e.status}, not INDEXED`);
    if (rows !== accepted + rejected)
      problems.push(`rows ${rows} != accepted ${accepted} + rejected ${rejected}`);
    if (accepted !== indexed) problems.push(`accepted ${accepted} != indexed ${indexed}`);
    const want = expected.get(e.key);
    if (want && want.rows !== rows) problems.push(`expected ${want.rows} rows, ledger has ${rows}`);
    if (want && want.rejected !== rejected)
      problems.push(`expected ${want.rejected} rejected, ledger has ${rejected}`);
    return {
      uploadId: e.uploadId,
      org: e.org,
      period: e.period,
      fileName: e.fileName,
      status: e.status,
      rows,
      accepted,
      rejected,
      indexed,
      problems,
    };
  });
