import { describe, expect, it } from 'vitest';
import { auditRecoverability } from '../../../../functions/aggregate/disclosure/audit.ts';
import { suppressTable, suppressTableSet } from '../../../../functions/aggregate/disclosure/suppress.ts';
import {
  createOneWayTable,
  createTableSet,
  type MarginLink,
} from '../../../../functions/aggregate/disclosure/table.ts';
import {
  DEFAULT_DISCLOSURE_POLICY,
  DisclosurePolicySchema,
} from '../../../../schemas/aggregate/disclosure-policy.ts';
import { hiddenCells, table } from '../fixtures.ts';

describe('suppressTable', () => {
  it('protects a single small cell in a row with a complementary rectangle (hand-worked)', () => {
    // Prepare: 5 is primary; row 0 then hides 20, column 0 hides 25, column 1 hides 35 (smallest first).
    const t = table('T', [
      [5, 20, 30],
      [40, 50, 60],
      [25, 35, 45],
    ]);

    // Act
    const result = suppressTable(t);

    // Assess
    expect(result.table.cells).toEqual([
      ['[c]', '[c]', 30],
      [40, 50, 60],
      ['[c]', '[c]', 45],
    ]);
    expect(result.table.rowTotals).toEqual([55, 150, 105]);
    expect(result.table.columnTotals).toEqual([70, 105, 135]);
    expect(result.table.grandTotal).toBe(310);
    expect(result.table.disclosure).toEqual({
      primaryCells: 1,
      secondaryCells: 3,
      primaryTotals: 0,
      secondaryTotals: 0,
    });
    expect(result.audit.ok).toBe(true);
    expect(result.audit.entries[0]).toMatchObject({ label: 'T[r0 × c0]', lower: 1, upper: 24 });
  });

  it('hides the whole 2 × 2 table around one small cell and rounds the margins', () => {
    const t = table('T', [
      [3, 12],
      [15, 20],
    ]);

    const result = suppressTable(t);

    expect(hiddenCells(result.table.cells)).toEqual(['0,0', '0,1', '1,0', '1,1']);
    expect(result.table.rowTotals).toEqual([15, 35]);
    expect(result.table.columnTotals).toEqual([20, 30]);
    expect(result.table.grandTotal).toBe(50);
  });

  it('goes beyond the singleton rule when two [c] in a row would add up to 2', () => {
    // The classic closure hides (0,0),(0,1),(2,0),(2,1); yet x00 + x01 = 52 − 50 = 2 with both ≥ 1.
    const t = table('T', [
      [1, 1, 50],
      [30, 40, 20],
      [12, 15, 18],
    ]);

    const result = suppressTable(t);

    expect(hiddenCells(result.table.cells)).toEqual(['0,0', '0,1', '0,2', '2,0', '2,1', '2,2']);
    expect(auditRecoverability({ tables: [result.exactView], links: [] }).ok).toBe(true);
  });

  it('suppresses small totals and protects them through the grand total', () => {
    const t = table('T', [
      [2, 3, 0],
      [20, 30, 40],
    ]);

    const result = suppressTable(t);

    expect(result.table.rowTotals).toEqual(['[c]', '[c]']);
    expect(result.table.cells[0]).toEqual(['[c]', '[c]', 0]);
    expect(result.table.columnTotals).toEqual([20, 35, 40]);
    expect(result.table.disclosure).toMatchObject({ primaryTotals: 1, secondaryTotals: 1 });
  });

  it('protects one-way tables, where each row total is the cell itself', () => {
    const t = createOneWayTable({
      id: 'N',
      title: 'Victims by nationality',
      dimension: 'nationality',
      categories: ['Albanian', 'British', 'Vietnamese', 'Other'],
      counts: [5, 15, 20, 0],
    });

    const result = suppressTable(t);

    expect(result.table.cells).toEqual([['[c]'], ['[c]'], [20], [0]]);
    expect(result.table.rowTotals).toEqual(['[c]', '[c]', 20, 0]);
    expect(result.table.grandTotal).toBe(40);
    expect(result.table.disclosure).toEqual({
      primaryCells: 1,
      secondaryCells: 1,
      primaryTotals: 0,
      secondaryTotals: 0,
    });
  });

  it('hides every value of a table whose grand total is small, and rounds a lone large cell', () => {
    expect(suppressTable(table('S', [[7]])).table).toMatchObject({
      cells: [['[c]']],
      rowTotals: ['[c]'],
      columnTotals: ['[c]'],
      grandTotal: '[c]',
    });
    expect(suppressTable(table('L', [[12]])).table).toMatchObject({ cells: [[10]], grandTotal: 10 });
  });

  it('treats zeros as sensitive on request, including zero totals', () => {
    const t = table('Z', [
      [0, 25],
      [0, 40],
    ]);

    const shown = suppressTable(t);
    const hidden = suppressTable(t, { sensitiveZeros: true });

    expect(shown.table.cells).toEqual([
      [0, 25],
      [0, 40],
    ]);
    expect(hidden.table.columnTotals[0]).toBe('[c]');
    expect(hidden.table.cells.flat().filter((value) => value === 0)).toEqual([]);
    expect(hidden.table.zerosSuppressed).toBe(true);
    expect(hidden.audit.ok).toBe(true);
  });

  it('honours a different threshold', () => {
    const t = table('T', [
      [12, 40],
      [45, 50],
    ]);

    expect(hiddenCells(suppressTable(t).table.cells)).toEqual([]);
    expect(hiddenCells(suppressTable(t, { threshold: 15 }).table.cells)).toEqual([
      '0,0',
      '0,1',
      '1,0',
      '1,1',
    ]);
  });

  it("rounds to the policy's base and defaults to DEFAULT_DISCLOSURE_POLICY", () => {
    const t = table('T', [
      [12, 40],
      [45, 57],
    ]);

    const byDefault = suppressTable(t);
    expect(DisclosurePolicySchema.parse(DEFAULT_DISCLOSURE_POLICY)).toEqual({
      threshold: 10,
      roundingBase: 5,
      minimumWidth: 5,
    });
    expect(suppressTable(t, DEFAULT_DISCLOSURE_POLICY)).toEqual(byDefault);
    expect(byDefault.table.rounding).toBe('nearest-5');
    const tens = suppressTable(t, { roundingBase: 10 }).table;
    expect(tens.rounding).toBe('nearest-10');
    expect(tens.cells).toEqual([
      [10, 40],
      [50, 60],
    ]);
    expect(tens.grandTotal).toBe(150);
  });

  it('is deterministic', () => {
    const t = table('T', [
      [4, 0, 17, 9],
      [11, 3, 0, 22],
      [0, 8, 14, 31],
    ]);

    expect(suppressTable(t)).toEqual(suppressTable(t));
  });
});

describe('suppressTableSet', () => {
  const rows = { rows: ['sexual', 'labour', 'criminal'] };
  const bySex = table(
    'A',
    [
      [12, 40],
      [6, 30],
      [25, 25],
    ],
    { ...rows, columns: ['female', 'male'] },
  );
  const byAge = table(
    'B',
    [
      [20, 32],
      [30, 6],
      [3, 47],
    ],
    { ...rows, columns: ['child', 'adult'] },
  );
  const links: MarginLink[] = [{ a: { table: 'A', margin: 'rows' }, b: { table: 'B', margin: 'rows' } }];

  it('gives shared margins the same status in both tables and certifies the pair', () => {
    // Act
    const result = suppressTableSet(createTableSet([bySex, byAge], links));
    const [a, b] = result.published.tables;

    // Assess
    expect(a?.rowTotals).toEqual(b?.rowTotals);
    expect(a?.grandTotal).toEqual(b?.grandTotal);
    expect(result.audit.ok).toBe(true);
    expect(result.audit.exact).toBe(true);
    expect(auditRecoverability(result.exactView).ok).toBe(true);
  });

  it('protects tables linked through a row margin and a column margin (transposed link)', () => {
    const transposed = table(
      'C',
      [
        [20, 30, 3],
        [32, 6, 47],
      ],
      { rows: ['child', 'adult'], columns: ['sexual', 'labour', 'criminal'] },
    );
    const set = createTableSet(
      [bySex, transposed],
      [{ a: { table: 'A', margin: 'rows' }, b: { table: 'C', margin: 'columns' } }],
    );

    const result = suppressTableSet(set);
    const [a, c] = result.published.tables;

    expect(a?.rowTotals).toEqual(c?.columnTotals);
    expect(auditRecoverability(result.exactView).ok).toBe(true);
  });

  it('protects tables that share only their grand total', () => {
    const set = createTableSet(
      [
        bySex,
        createOneWayTable({ id: 'E', title: 'e', dimension: 'x', categories: ['p', 'q'], counts: [135, 3] }),
      ],
      [{ a: { table: 'A', margin: 'grand' }, b: { table: 'E', margin: 'grand' } }],
    );

    const result = suppressTableSet(set);

    expect(result.published.tables[1]?.cells).toEqual([['[c]'], ['[c]']]);
    expect(result.published.tables[0]?.grandTotal).toBe(result.published.tables[1]?.grandTotal);
    expect(auditRecoverability(result.exactView).ok).toBe(true);
  });
});
