import { describe, expect, it } from 'vitest';
import {
  auditRecoverability,
  isNetworkStructured,
} from '../../../../functions/aggregate/disclosure/audit.ts';
import type { MarginLink } from '../../../../functions/aggregate/disclosure/table.ts';
import { MshtError } from '../../../../functions/shared/errors.ts';
import { exactView, table } from '../fixtures.ts';

const errorCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MshtError) return error.code;
    throw error;
  }
  throw new Error('expected an MshtError');
};

describe('auditRecoverability', () => {
  it('recovers the single suppressed cell of a row from the row total (the classic case)', () => {
    // Prepare: only the primary cell is hidden; 55 − 20 − 30 = 5
    const t = table('T', [
      [5, 20, 30],
      [40, 50, 60],
    ]);

    // Act
    const report = auditRecoverability({ tables: [exactView(t, { cells: [[0, 0]] })], links: [] });

    // Assess
    expect(report.ok).toBe(false);
    expect(report.unprotected).toHaveLength(1);
    expect(report.unprotected[0]).toMatchObject({
      lower: 5,
      upper: 5,
      determined: true,
      label: 'T[r0 × c0]',
    });
  });

  it('gives each cell of a hidden 2 × 2 block the range allowed by its margins', () => {
    // x00 = 3 + d, x01 = 12 − d, x10 = 15 − d, x11 = 20 + d, every [c] ≥ 1 → d ∈ [−2, 11]
    const t = table('T', [
      [3, 12],
      [15, 20],
    ]);
    const all = {
      cells: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ] as const,
    };

    const report = auditRecoverability({ tables: [exactView(t, all)], links: [] });

    expect(report.ok).toBe(true);
    expect(report.exact).toBe(true);
    expect(report.entries.map(({ lower, upper }) => [lower, upper])).toEqual([
      [1, 14],
      [1, 14],
      [4, 17],
      [18, 31],
    ]);
  });

  it('uses the knowledge that a [c] is never zero when zeros are published', () => {
    // Row 0: x00 + x01 = 52 − 50 = 2 and both are at least 1, so both are 1.
    const t = table('T', [
      [1, 1, 50],
      [30, 40, 20],
      [12, 15, 18],
    ]);
    const pattern = {
      cells: [
        [0, 0],
        [0, 1],
        [2, 0],
        [2, 1],
      ] as const,
    };

    const shown = auditRecoverability(
      { tables: [exactView(t, pattern, false)], links: [] },
      { minimumWidth: 1 },
    );
    const zerosHidden = auditRecoverability(
      { tables: [exactView(t, pattern, true)], links: [] },
      { minimumWidth: 1 },
    );

    expect(shown.unprotected.map((entry) => entry.label)).toEqual([
      'T[r0 × c0]',
      'T[r0 × c1]',
      'T[r2 × c0]',
      'T[r2 × c1]',
    ]);
    expect(shown.unprotected[0]).toMatchObject({ lower: 1, upper: 1 });
    expect(zerosHidden.ok).toBe(true);
  });

  it('finds a cell recoverable although every row and column has two suppressed cells (a bridge)', () => {
    // Two hidden 2 × 2 blocks joined by one hidden cell: rows 0–1 minus columns 0–1 isolate (0,2).
    const t = table(
      'T',
      Array.from({ length: 4 }, () => [20, 20, 20, 20]),
    );
    const pattern = {
      cells: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
        [2, 2],
        [2, 3],
        [3, 2],
        [3, 3],
        [0, 2],
      ] as const,
    };

    const report = auditRecoverability({ tables: [exactView(t, pattern)], links: [] });

    expect(report.unprotected.map((entry) => entry.label)).toEqual(['T[r0 × c2]']);
    expect(report.unprotected[0]).toMatchObject({ lower: 20, upper: 20, determined: true });
  });

  it('recovers a hidden total from a linked table that publishes it', () => {
    // Prepare: B hides its row totals (and cells), A shows the same totals.
    const rows = { rows: ['sexual', 'labour'] };
    const a = table(
      'A',
      [
        [12, 13],
        [30, 40],
      ],
      rows,
    );
    const b = table(
      'B',
      [
        [15, 10],
        [35, 35],
      ],
      rows,
    );
    const links: MarginLink[] = [{ a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'rows' } }];
    const published = {
      tables: [
        exactView(a, {}),
        exactView(b, {
          cells: [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ],
          rowTotals: [0, 1],
        }),
      ],
      links,
    };

    // Act
    const alone = auditRecoverability({ tables: [published.tables[1] as never], links: [] });
    const linked = auditRecoverability(published);

    // Assess
    expect(alone.ok).toBe(true);
    expect(linked.unprotected.map((entry) => entry.label)).toContain('B[row total sexual]');
  });

  it('audits only the requested entries and can stop at the first failure', () => {
    const t = table('T', [
      [5, 20, 30],
      [40, 2, 60],
    ]);
    const published = {
      tables: [
        exactView(t, {
          cells: [
            [0, 0],
            [1, 1],
          ],
        }),
      ],
      links: [],
    };

    const first = auditRecoverability(published, { stopAtFirstUnprotected: true });
    const only = auditRecoverability(published, { only: (ref) => ref.kind === 'cell' && ref.row === 1 });

    expect(first.entries).toHaveLength(1);
    expect(only.entries.map((entry) => entry.label)).toEqual(['T[r1 × c1]']);
  });

  it('applies the minimum width', () => {
    // Every margin is 3 and every [c] ≥ 1: each cell ranges over [1, 2], width 1.
    const t = table('T', [
      [1, 2],
      [2, 1],
    ]);
    const published = {
      tables: [
        exactView(t, {
          cells: [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ],
        }),
      ],
      links: [],
    };

    expect(auditRecoverability(published, { minimumWidth: 1 }).ok).toBe(true);
    expect(auditRecoverability(published, { minimumWidth: 2 }).ok).toBe(false);
    // The default protection interval (5) demands more than a range of two integers.
    expect(auditRecoverability(published).ok).toBe(false);
  });

  it('refuses rounded values and inconsistent published values', () => {
    const t = table('T', [[5, 20]]);
    const rounded = { ...exactView(t, { cells: [[0, 0]] }), rounding: 'nearest-5' as const };
    const inconsistent = { ...exactView(t, {}), grandTotal: 26 };

    expect(errorCode(() => auditRecoverability({ tables: [rounded], links: [] }))).toBe('AUDIT_NEEDS_EXACT');
    expect(errorCode(() => auditRecoverability({ tables: [inconsistent], links: [] }))).toBe(
      'AUDIT_INCONSISTENT',
    );
  });
});

describe('isNetworkStructured', () => {
  const tables = ['A', 'B', 'C'].map((id) => ({ id }));
  const link = (a: string, am: 'rows' | 'columns', b: string, bm: 'rows' | 'columns'): MarginLink => ({
    a: { table: a, margin: am },
    b: { table: b, margin: bm },
  });

  it('accepts single tables, chains and grand-total links', () => {
    expect(isNetworkStructured(tables, [])).toBe(true);
    expect(
      isNetworkStructured(tables, [link('A', 'rows', 'B', 'rows'), link('B', 'columns', 'C', 'rows')]),
    ).toBe(true);
    expect(
      isNetworkStructured(tables, [
        { a: { table: 'A', margin: 'grand' }, b: { table: 'C', margin: 'grand' } },
      ]),
    ).toBe(true);
  });

  it('rejects stars (three tables on one margin) and cycles (three-way marginals)', () => {
    expect(
      isNetworkStructured(tables, [link('A', 'rows', 'B', 'rows'), link('A', 'rows', 'C', 'rows')]),
    ).toBe(false);
    expect(
      isNetworkStructured(tables, [
        link('A', 'rows', 'B', 'rows'),
        link('B', 'columns', 'C', 'rows'),
        link('C', 'columns', 'A', 'columns'),
      ]),
    ).toBe(false);
    expect(
      isNetworkStructured(tables, [link('A', 'rows', 'B', 'rows'), link('A', 'columns', 'B', 'columns')]),
    ).toBe(false);
  });
});
