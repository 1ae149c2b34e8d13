import { type AggregateCell, SUPPRESSED, type Table } from '../../../schemas/aggregate/table.ts';
import { type CellValue, isSuppressed } from '../disclosure/published.ts';

/** What a chart of a table reads: the table of either tier (exact counts are published values too). */
type ChartedTable = Pick<
  Table<AggregateCell>,
  'id' | 'title' | 'rowDimension' | 'rows' | 'columns' | 'cells' | 'rowTotals'
>;

/** Fields every chart carries: accessible title and description, axis labels, an optional stable id. */
interface ChartBase {
  readonly id?: string;
  readonly title: string;
  readonly description?: string;
  readonly xLabel: string;
  readonly yLabel: string;
}

/** A named series of values (published values may be `[c]`). */
export interface ChartSeries {
  readonly name: string;
  readonly values: readonly CellValue[];
}

/** One bar per category. */
export interface BarChartSpec extends ChartBase {
  readonly kind: 'bar';
  readonly categories: readonly string[];
  readonly values: readonly CellValue[];
}

/** Monthly trends: one line per series over ordered periods (e.g. `2026-01`). */
export interface LineChartSpec extends ChartBase {
  readonly kind: 'line';
  readonly periods: readonly string[];
  readonly series: readonly ChartSeries[];
}

/** One stacked bar per category, one segment per series. */
export interface StackedBarChartSpec extends ChartBase {
  readonly kind: 'stacked-bar';
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
}

/** A small, data-driven chart description rendered to inline SVG. */
export type ChartSpec = BarChartSpec | LineChartSpec | StackedBarChartSpec;

/** Every value a chart draws, for tier checks. */
export const chartValues = (spec: ChartSpec): readonly CellValue[] =>
  spec.kind === 'bar' ? spec.values : spec.series.flatMap((series) => series.values);

/** A bar chart of a table's row totals (e.g. victims by exploitation type). */
export const barChartOfRowTotals = (
  table: ChartedTable,
  options: { readonly title?: string; readonly yLabel?: string } = {},
): BarChartSpec => ({
  kind: 'bar',
  id: `${table.id}-rows`,
  title: options.title ?? table.title,
  xLabel: table.rowDimension,
  yLabel: options.yLabel ?? 'Count',
  categories: table.rows,
  values: table.rowTotals,
});

/** A stacked bar chart of a two-way table: one bar per row, one segment per column. */
export const stackedBarOfTable = (
  table: ChartedTable,
  options: { readonly title?: string; readonly yLabel?: string } = {},
): StackedBarChartSpec => ({
  kind: 'stacked-bar',
  id: `${table.id}-stacked`,
  title: options.title ?? table.title,
  xLabel: table.rowDimension,
  yLabel: options.yLabel ?? 'Count',
  categories: table.rows,
  series: table.columns.map((name, c) => ({
    name,
    values: table.cells.map((row) => row[c] ?? SUPPRESSED),
  })),
});

/** Axis ticks from 0 to a "nice" maximum (steps of 1, 2 or 5 × 10^k), about five intervals. */
export const niceTicks = (maximum: number): number[] => {
  const top = maximum > 0 ? maximum : 1;
  const raw = top / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((f) => f * magnitude >= raw) ?? 10) * magnitude;
  const stepInt = Math.max(step, 1);
  const ticks: number[] = [];
  for (let value = 0; value < top + stepInt; value += stepInt) {
    ticks.push(Math.round(value));
    if (value >= top) break;
  }
  return ticks;
};

const COUNT_FORMAT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** A count for display (`1,234`), or `[c]`: a suppressed value is never shown as a number. */
export const formatValue = (value: CellValue): string =>
  isSuppressed(value) ? SUPPRESSED : COUNT_FORMAT.format(value);

/** Colour-blind-safe palette (Okabe & Ito). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#8C6D00',
  '#000000',
];
