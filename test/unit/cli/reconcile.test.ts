import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../cli/demo/reconcile.ts';
import { renderTable } from '../../../cli/table.ts';
import type { UploadLedgerEntry } from '../../../schemas/index.ts';

const entry = (
  overrides: Partial<UploadLedgerEntry> & { counts: UploadLedgerEntry['counts'] },
): UploadLedgerEntry =>
  ({
    uploadId: 'u1',
    org: 'NA-NCA',
    period: '2026-10',
    key: 'incoming/NA-NCA/2026-10/subjects.csv',
    fileName: 'subjects.csv',
    recordType: 'subject',
    format: 'csv',
    sizeBytes: 10,
    status: 'INDEXED',
    receivedAt: '2026-11-01T00:00:00.000Z',
    schemaVersion: 1,
    ...overrides,
  }) as UploadLedgerEntry;

describe('reconcile', () => {
  it('accepts an indexed upload whose counts add up and match the expectation', () => {
    const rows = reconcile(
      [entry({ counts: { rows: 10, accepted: 8, warnings: 1, rejected: 2, indexed: 8 } })],
      new Map([['incoming/NA-NCA/2026-10/subjects.csv', { rows: 10, rejected: 2 }]]),
    );
    expect(rows[0]?.problems).toEqual([]);
  });

  it('names every way an upload fails to reconcile', () => {
    const [row] = reconcile(
      [entry({ status: 'QUEUED', counts: { rows: 10, accepted: 7, warnings: 0, rejected: 2, indexed: 5 } })],
      new Map([['incoming/NA-NCA/2026-10/subjects.csv', { rows: 11, rejected: 3 }]]),
    );
    expect(row?.problems).toEqual([
      'status is QUEUED, not INDEXED',
      'rows 10 != accepted 7 + rejected 2',
      'accepted 7 != indexed 5',
      'expected 11 rows, ledger has 10',
      'expected 3 rejected, ledger has 2',
    ]);
  });
});

describe('renderTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    expect(
      renderTable(
        ['name', 'n'],
        [
          ['a', 1],
          ['bbb', 200],
        ],
      ),
    ).toBe(['name    n', '----  ---', 'a       1', 'bbb   200'].join('\n'));
  });
});
