import type { Table } from '../../../schemas/aggregate/table.ts';
import { MshtError } from '../../shared/errors.ts';

/**
 * A count table of the monthly national picture: non-negative integer cells with margins computed from
 * the unrounded cells. A one-way table is a table with a single column.
 */
export type CountTable = Table<number>;

/** The internal-tier view of a table: exact, unsuppressed and unrounded counts (OFFICIAL-SENSITIVE). */
export type InternalTable = CountTable & { readonly tier: 'internal' };

/** Which margin of a table takes part in a link: its row totals, its column totals or only its grand total. */
export type MarginName = 'rows' | 'columns' | 'grand';

/** One side of a link between two tables of the same set. */
export interface MarginRef {
  readonly table: string;
  readonly margin: MarginName;
}

/**
 * Two tables of the same month that publish the same margin, e.g. exploitationType × sex and
 * exploitationType × ageGroup: the vector of row totals per exploitation type is the link, and linked
 * tables always share their grand total. A `grand` link says that only the grand totals coincide (same
 * population, different breakdowns).
 */
export interface MarginLink {
  readonly a: MarginRef;
  readonly b: MarginRef;
}

/** Tables of one month that are protected together because some of their margins are shared. */
export interface TableSet {
  readonly tables: readonly CountTable[];
  readonly links: readonly MarginLink[];
}

/** Tables protected together: they describe one population and share margins (`links`). */
export interface TableGroup extends TableSet {
  readonly id: string;
  /** False for groups published in the internal tier only (e.g. organisation-level operations). */
  readonly shareable: boolean;
}

/** What the caller supplies to build a table; the margins are computed here. */
export type CountTableInput = Omit<CountTable, 'rowTotals' | 'columnTotals' | 'grandTotal'>;

const invalid = (message: string, table: string): MshtError =>
  new MshtError('TABLE_INVALID', message, { context: { table } });

/** Builds a two-way count table and computes its row, column and grand totals from the exact cells. */
export const createTable = (input: CountTableInput): CountTable => {
  const { id, rows, columns, cells } = input;
  if (rows.length === 0 || columns.length === 0)
    throw invalid('a table needs at least one row and column', id);
  if (new Set(rows).size !== rows.length || new Set(columns).size !== columns.length) {
    throw invalid('row and column labels must be unique', id);
  }
  if (cells.length !== rows.length || cells.some((row) => row.length !== columns.length)) {
    throw invalid('cells must be a rows × columns matrix', id);
  }
  for (const row of cells) {
    for (const value of row) {
      if (!Number.isSafeInteger(value) || value < 0) throw invalid('cells must be non-negative integers', id);
    }
  }
  const rowTotals = cells.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnTotals = columns.map((_, j) => cells.reduce((sum, row) => sum + (row[j] ?? 0), 0));
  const grandTotal = rowTotals.reduce((sum, value) => sum + value, 0);
  return {
    id,
    title: input.title,
    rowDimension: input.rowDimension,
    columnDimension: input.columnDimension,
    rows: [...rows],
    columns: [...columns],
    cells: cells.map((row) => [...row]),
    rowTotals,
    columnTotals,
    grandTotal,
  };
};

/** Builds a one-way table (a single column of counts); its row totals duplicate its cells by construction. */
export const createOneWayTable = (input: {
  readonly id: string;
  readonly title: string;
  readonly dimension: string;
  readonly categories: readonly string[];
  readonly counts: readonly number[];
  readonly measure?: string;
}): CountTable =>
  createTable({
    id: input.id,
    title: input.title,
    rowDimension: input.dimension,
    columnDimension: 'measure',
    rows: input.categories,
    columns: [input.measure ?? 'Count'],
    cells: input.counts.map((count) => [count]),
  });

/** Whether a table is one-way (a single column), in which case its row totals are not shown separately. */
export const isOneWay = (table: Pick<CountTable, 'columns'>): boolean => table.columns.length === 1;

/** The labels of a margin (a grand margin has the single label 'Total'). */
export const marginLabels = (
  table: Pick<CountTable, 'rows' | 'columns'>,
  margin: MarginName,
): readonly string[] => (margin === 'rows' ? table.rows : margin === 'columns' ? table.columns : ['Total']);

/** The exact totals of a margin. */
export const marginTotals = (table: CountTable, margin: MarginName): readonly number[] =>
  margin === 'rows' ? table.rowTotals : margin === 'columns' ? table.columnTotals : [table.grandTotal];

/**
 * Builds a table set and checks that every link joins two known tables whose linked margins carry the
 * same labels in the same order and the same exact totals (otherwise the tables are not of one population).
 */
export const createTableSet = (
  tables: readonly CountTable[],
  links: readonly MarginLink[] = [],
): TableSet => {
  const byId = new Map(tables.map((table) => [table.id, table]));
  if (byId.size !== tables.length)
    throw invalid('table ids must be unique within a set', tables[0]?.id ?? '');
  for (const link of links) {
    const a = byId.get(link.a.table);
    const b = byId.get(link.b.table);
    if (a === undefined || b === undefined) throw invalid('a link names an unknown table', link.a.table);
    if (a === b && link.a.margin === link.b.margin) throw invalid('a link joins a margin to itself', a.id);
    const bothGrand = link.a.margin === 'grand' || link.b.margin === 'grand';
    if (bothGrand && link.a.margin !== link.b.margin) {
      throw invalid('a grand-total link must join two grand totals', a.id);
    }
    const labelsA = marginLabels(a, link.a.margin);
    const labelsB = marginLabels(b, link.b.margin);
    if (labelsA.length !== labelsB.length || labelsA.some((label, i) => label !== labelsB[i])) {
      throw invalid('linked margins must have the same labels in the same order', `${a.id}~${b.id}`);
    }
    const totalsA = marginTotals(a, link.a.margin);
    const totalsB = marginTotals(b, link.b.margin);
    if (totalsA.some((total, i) => total !== totalsB[i]) || a.grandTotal !== b.grandTotal) {
      throw invalid('linked margins must have the same totals', `${a.id}~${b.id}`);
    }
  }
  return { tables: [...tables], links: [...links] };
};

/** The internal tier of a table: the same counts, unsuppressed and unrounded, marked for the national team. */
export const toInternalTable = (table: CountTable): InternalTable => ({ ...table, tier: 'internal' });
