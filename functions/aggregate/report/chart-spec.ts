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

/**
 * Series colours: Okabe & Ito's colour-blind-safe hues, darkened where needed so that every colour has a
 * contrast of at least 3:1 against the white background (WCAG 2.2, 1.4.11 non-text contrast; Okabe & Ito's
 * orange #E69F00 and sky blue #56B4E9 are 2.25:1 and 2.31:1), and no two colours fall closer than
 * ΔE 10 (CIELAB) under simulated protanopia, deuteranopia or tritanopia
 * (test/unit/aggregate/report/palette.test.ts).
 */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#B8609A',
  '#1D1D1D',
  '#5E3C99',
  '#707070',
  '#AA33FF',
];

/** A chart of a table with the notes it needs (categories left out and why). */
export interface TableChart {
  readonly chart: ChartSpec;
  readonly notes: readonly string[];
}

const listOf = (labels: readonly string[]): string => labels.join(', ');

/**
 * The chart the registry chose for a table, fit to publish: rows not submitted and rows (and, for stacked
 * bars, columns) that are 0 throughout are left out, with a note naming them; undefined when nothing but
 * suppressed values would be left (the report says so in a sentence instead of drawing an empty chart).
 */
export const chartOfTable = (
  choice: { readonly kind: 'stacked' | 'row-totals'; readonly title: string },
  table: ChartedTable,
  notSubmitted: readonly string[] = [],
): TableChart | undefined => {
  const zero = (values: readonly CellValue[]) => values.every((value) => value === 0);
  const rowValues = (r: number): readonly CellValue[] =>
    choice.kind === 'row-totals' ? [table.rowTotals[r] ?? SUPPRESSED] : (table.cells[r] ?? []);
  const keptRows = table.rows
    .map((label, r) => ({ label, r }))
    .filter(({ label, r }) => !notSubmitted.includes(label) && !zero(rowValues(r)));
  const zeroRows = table.rows.filter((label, r) => !notSubmitted.includes(label) && zero(rowValues(r)));
  const notes: string[] = [];
  if (notSubmitted.length > 0) notes.push(`Not in the chart, not submitted: ${listOf(notSubmitted)}.`);
  if (zeroRows.length > 0) notes.push(`Not in the chart because they are 0: ${listOf(zeroRows)}.`);
  let chart: ChartSpec;
  if (choice.kind === 'row-totals') {
    chart = {
      ...barChartOfRowTotals(table, { title: choice.title }),
      categories: keptRows.map((row) => row.label),
      values: keptRows.map((row) => table.rowTotals[row.r] ?? SUPPRESSED),
    };
  } else {
    const keptColumns = table.columns
      .map((name, c) => ({ name, c }))
      .filter(({ c }) => !zero(keptRows.map(({ r }) => table.cells[r]?.[c] ?? SUPPRESSED)));
    const zeroColumns = table.columns.filter((name) => !keptColumns.some((k) => k.name === name));
    if (zeroColumns.length > 0 && keptRows.length > 0)
      notes.push(`Not in the chart because they are 0 throughout: ${listOf(zeroColumns)}.`);
    chart = {
      ...stackedBarOfTable(table, { title: choice.title }),
      categories: keptRows.map((row) => row.label),
      series: keptColumns.map(({ name, c }) => ({
        name,
        values: keptRows.map(({ r }) => table.cells[r]?.[c] ?? SUPPRESSED),
      })),
    };
  }
  const drawn = chartValues(chart).some((value) => !isSuppressed(value) && value > 0);
  return drawn ? { chart, notes } : undefined;
};

/** The sentence shown instead of a chart of a table whose every drawable value is suppressed. */
export const omittedChartSentence = (table: Pick<ChartedTable, 'id'>): string =>
  `No chart: every non-zero value of table ${table.id} is suppressed ([c]) to protect small numbers, so a ` +
  'chart would show nothing. The table below gives what is published.';
