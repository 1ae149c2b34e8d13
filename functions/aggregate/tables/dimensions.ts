import { isOrgCode, orgName } from '../../../schemas/common/organisations.ts';
import type { CountTableInput } from '../disclosure/table.ts';

/** Category labels by key, in display order. */
export type Labels = Readonly<Record<string, string>>;

/** One dimension of a table: its name, its category keys in display order, and their labels. */
export interface Axis {
  readonly name: string;
  readonly keys: readonly string[];
  readonly labels: Labels;
}

/** A dimension that also says which category an item falls in. */
export interface Dimension<T> extends Axis {
  readonly of: (item: T) => string;
}

/** A table without its id and title: what a table of the registry builds from the month's facts. */
export type TableBody = Omit<CountTableInput, 'id' | 'title'>;

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A dimension of fixed categories: every key of `labels`, in order (so months line up). */
export const axis = (name: string, labels: Labels): Axis => ({ name, keys: Object.keys(labels), labels });

/** A dimension with a single category (a one-way table's measure column). */
export const single = (name: string, category: string): Axis => ({ name, keys: [category], labels: {} });

/** The axis `a` with the rule that categorises an item. */
export const by = <T>(a: Axis, of: (item: T) => string): Dimension<T> => ({ ...a, of });

/** The category of a data-driven dimension that is empty this month. */
const NONE = '(none)';

/** The organisations present (sorted by code, named), or `(none)` when there are none. */
export const orgAxis = (name: string, orgs: Iterable<string>): Axis => {
  const keys = [...new Set(orgs)].sort(compare);
  const labels = Object.fromEntries(keys.map((code) => [code, isOrgCode(code) ? orgName(code) : code]));
  return keys.length === 0 ? { name, keys: [NONE], labels: {} } : { name, keys, labels };
};

/** A table body from its two axes and its cells (by category key order). */
export const tableBody = (rows: Axis, columns: Axis, cells: number[][]): TableBody => ({
  rowDimension: rows.name,
  columnDimension: columns.name,
  rows: rows.keys.map((key) => rows.labels[key] ?? key),
  columns: columns.keys.map((key) => columns.labels[key] ?? key),
  cells,
});

/** Counts items (or sums `weight`) into a rows × columns table; an uncategorised item is a programming error. */
export const crossTable = <T>(
  items: readonly T[],
  rows: Dimension<T>,
  columns: Dimension<T>,
  weight: (item: T) => number = () => 1,
): TableBody => {
  const cells = rows.keys.map(() => columns.keys.map(() => 0));
  const rowIndex = new Map(rows.keys.map((key, i) => [key, i]));
  const columnIndex = new Map(columns.keys.map((key, i) => [key, i]));
  for (const item of items) {
    const r = rowIndex.get(rows.of(item));
    const c = columnIndex.get(columns.of(item));
    if (r === undefined || c === undefined)
      throw new Error(`uncategorised item: ${rows.of(item)} × ${columns.of(item)}`);
    (cells[r] as number[])[c] = ((cells[r] as number[])[c] as number) + weight(item);
  }
  return tableBody(rows, columns, cells);
};
