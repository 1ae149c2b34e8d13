import { SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import { type CellValue, isSuppressed } from '../disclosure/published.ts';
import {
  type BarChartSpec,
  type ChartSpec,
  formatValue,
  type LineChartSpec,
  niceTicks,
  PALETTE,
  type StackedBarChartSpec,
} from './chart-spec.ts';
import { escapeHtml, safeId } from './escape.ts';

const WIDTH = 720;
const PLOT = { left: 72, right: 24, top: 48 } as const;
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right;
const PLOT_HEIGHT = 260;
const BASELINE = PLOT.top + PLOT_HEIGHT;
const LEGEND_PER_ROW = 4;
const STUB = 10;

const round1 = (value: number): string => (Math.round(value * 10) / 10).toString();

const colour = (index: number): string => PALETTE[index % PALETTE.length] as string;

const describeValues = (labels: readonly string[], values: readonly CellValue[]): string =>
  labels.map((label, i) => `${label}: ${formatValue(values[i] ?? SUPPRESSED)}`).join('; ');

interface Frame {
  readonly id: string;
  readonly ticks: readonly number[];
  readonly y: (value: number) => number;
}

const frame = (spec: ChartSpec, maximum: number): Frame => {
  const ticks = niceTicks(maximum);
  const top = ticks[ticks.length - 1] ?? 1;
  return {
    id: safeId(spec.id ?? spec.title),
    ticks,
    y: (value: number) => BASELINE - (value / top) * PLOT_HEIGHT,
  };
};

const shortLabel = (label: string): string => (label.length > 18 ? `${label.slice(0, 17)}…` : label);

/** The SVG document around a plot: accessible name/description, hatch pattern, grid, axes and labels. */
const svgShell = (
  spec: ChartSpec,
  f: Frame,
  xLabels: readonly string[],
  body: string,
  legend: readonly string[],
  hasSuppressed: boolean,
): string => {
  const step = PLOT_WIDTH / Math.max(xLabels.length, 1);
  const rotate = xLabels.length > 6 || xLabels.some((label) => label.length > 10);
  const grid = f.ticks
    .map((tick) => {
      const y = round1(f.y(tick));
      return (
        `<line class="grid" x1="${PLOT.left}" y1="${y}" x2="${WIDTH - PLOT.right}" y2="${y}"/>` +
        `<text class="tick" x="${PLOT.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatValue(tick)}</text>`
      );
    })
    .join('');
  const xTicks = xLabels
    .map((label, i) => {
      const x = round1(PLOT.left + step * (i + 0.5));
      const y = BASELINE + 14;
      const text = escapeHtml(shortLabel(label));
      return rotate
        ? `<text class="tick" x="${x}" y="${y}" text-anchor="end" transform="rotate(-35 ${x} ${y})"><title>${escapeHtml(label)}</title>${text}</text>`
        : `<text class="tick" x="${x}" y="${y}" text-anchor="middle"><title>${escapeHtml(label)}</title>${text}</text>`;
    })
    .join('');
  const axisLabelY = BASELINE + (rotate ? 100 : 36);
  const legendItems = legend.map((name, i) => ({ name: shortLabel(name), fill: colour(i) }));
  const legendRows = Math.ceil(legendItems.length / LEGEND_PER_ROW);
  if (hasSuppressed) {
    // The suppression key gets a row of its own so its explanation is never truncated.
    const firstFree = legendRows * LEGEND_PER_ROW;
    while (legendItems.length < firstFree) legendItems.push({ name: '', fill: '' });
    legendItems.push({ name: `${SUPPRESSED} suppressed (not to scale)`, fill: `url(#${f.id}-hatch)` });
  }
  const height = axisLabelY + 12 + Math.ceil(legendItems.length / LEGEND_PER_ROW) * 18;
  const legendSvg = legendItems
    .map((item, i) => {
      if (item.fill === '') return '';
      const x = PLOT.left + (i % LEGEND_PER_ROW) * 160;
      const y = axisLabelY + 26 + Math.floor(i / LEGEND_PER_ROW) * 18;
      return (
        `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${item.fill}" stroke="#505050" stroke-width="0.5"/>` +
        `<text class="legend" x="${x + 14}" y="${y}">${escapeHtml(item.name)}</text>`
      );
    })
    .join('');
  const description = spec.description ?? '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" ` +
    `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="${f.id}-title ${f.id}-desc" ` +
    `style="max-width:100%;height:auto;display:block">` +
    `<title id="${f.id}-title">${escapeHtml(spec.title)}</title>` +
    `<desc id="${f.id}-desc">${escapeHtml(description)}</desc>` +
    `<defs><pattern id="${f.id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#707070" stroke-width="2"/></pattern></defs>` +
    `<style>.tick,.legend,.axis-label,.value{font:11px system-ui,-apple-system,"Segoe UI",Arial,sans-serif;fill:#1d1d1d}` +
    `.chart-title{font:600 14px system-ui,-apple-system,"Segoe UI",Arial,sans-serif;fill:#1d1d1d}` +
    `.grid{stroke:#dcdcdc;stroke-width:1}.axis{stroke:#505050;stroke-width:1}</style>` +
    `<text class="chart-title" x="${PLOT.left}" y="22">${escapeHtml(spec.title)}</text>` +
    grid +
    `<line class="axis" x1="${PLOT.left}" y1="${BASELINE}" x2="${WIDTH - PLOT.right}" y2="${BASELINE}"/>` +
    `<line class="axis" x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${BASELINE}"/>` +
    body +
    xTicks +
    `<text class="axis-label" x="${PLOT.left + PLOT_WIDTH / 2}" y="${axisLabelY}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>` +
    `<text class="axis-label" x="16" y="${PLOT.top + PLOT_HEIGHT / 2}" text-anchor="middle" transform="rotate(-90 16 ${PLOT.top + PLOT_HEIGHT / 2})">${escapeHtml(spec.yLabel)}</text>` +
    legendSvg +
    `</svg>`
  );
};

const numeric = (values: readonly CellValue[]): number[] =>
  values.filter((value): value is number => !isSuppressed(value));

/** A suppressed bar: a hatched stub of fixed height (not to scale) labelled `[c]`, never a number. */
const suppressedStub = (id: string, x: number, width: number, baseline: number, label: string): string =>
  `<g class="suppressed"><title>${escapeHtml(label)}: ${SUPPRESSED} (suppressed)</title>` +
  `<rect x="${round1(x)}" y="${round1(baseline - STUB)}" width="${round1(width)}" height="${STUB}" fill="url(#${id}-hatch)" stroke="#707070" stroke-width="0.5" stroke-dasharray="2 2"/>` +
  `<text class="value" x="${round1(x + width / 2)}" y="${round1(baseline - STUB - 4)}" text-anchor="middle">${SUPPRESSED}</text></g>`;

/** Renders a bar chart as self-contained inline SVG (suppressed values as hatched `[c]` stubs). */
export const renderSvgBarChart = (spec: BarChartSpec): string => {
  const values = spec.categories.map((_, i) => spec.values[i] ?? SUPPRESSED);
  const f = frame(spec, Math.max(0, ...numeric(values)));
  const step = PLOT_WIDTH / Math.max(spec.categories.length, 1);
  const width = step * 0.7;
  const bars = spec.categories
    .map((category, i) => {
      const value = values[i] as CellValue;
      const x = PLOT.left + step * i + (step - width) / 2;
      if (isSuppressed(value)) return suppressedStub(f.id, x, width, BASELINE, category);
      const y = f.y(value);
      return (
        `<g><title>${escapeHtml(category)}: ${formatValue(value)}</title>` +
        `<rect x="${round1(x)}" y="${round1(y)}" width="${round1(width)}" height="${round1(BASELINE - y)}" fill="${colour(0)}"/>` +
        `<text class="value" x="${round1(x + width / 2)}" y="${round1(y - 4)}" text-anchor="middle">${formatValue(value)}</text></g>`
      );
    })
    .join('');
  const described = {
    ...spec,
    description: spec.description ?? `Bar chart. ${describeValues(spec.categories, values)}.`,
  };
  return svgShell(described, f, spec.categories, bars, [], values.some(isSuppressed));
};

/**
 * Renders monthly trends as self-contained inline SVG: one line per series, broken at suppressed
 * months, which are marked `[c]` at the axis instead of a point.
 */
export const renderSvgLineChart = (spec: LineChartSpec): string => {
  const f = frame(spec, Math.max(0, ...spec.series.flatMap((series) => numeric(series.values))));
  const step = PLOT_WIDTH / Math.max(spec.periods.length, 1);
  const x = (i: number): number => PLOT.left + step * (i + 0.5);
  let anySuppressed = false;
  const lines = spec.series
    .map((series, s) => {
      const segments: string[][] = [[]];
      const marks: string[] = [];
      spec.periods.forEach((period, i) => {
        const value = series.values[i] ?? SUPPRESSED;
        if (isSuppressed(value)) {
          anySuppressed = true;
          segments.push([]);
          marks.push(
            `<g class="suppressed"><title>${escapeHtml(series.name)}, ${escapeHtml(period)}: ${SUPPRESSED} (suppressed)</title>` +
              `<rect x="${round1(x(i) - 5)}" y="${round1(BASELINE - 12 - s * 14)}" width="10" height="10" fill="url(#${f.id}-hatch)" stroke="${colour(s)}" stroke-width="1"/>` +
              `<text class="value" x="${round1(x(i) + 8)}" y="${round1(BASELINE - 4 - s * 14)}">${SUPPRESSED}</text></g>`,
          );
          return;
        }
        (segments[segments.length - 1] as string[]).push(`${round1(x(i))},${round1(f.y(value))}`);
        marks.push(
          `<circle cx="${round1(x(i))}" cy="${round1(f.y(value))}" r="3" fill="${colour(s)}">` +
            `<title>${escapeHtml(series.name)}, ${escapeHtml(period)}: ${formatValue(value)}</title></circle>`,
        );
      });
      const paths = segments
        .filter((points) => points.length > 1)
        .map(
          (points) =>
            `<polyline fill="none" stroke="${colour(s)}" stroke-width="2" points="${points.join(' ')}"/>`,
        )
        .join('');
      return `<g class="series">${paths}${marks.join('')}</g>`;
    })
    .join('');
  const summary = spec.series
    .map((series) => `${series.name}: ${describeValues(spec.periods, series.values)}`)
    .join('. ');
  const described = { ...spec, description: spec.description ?? `Line chart. ${summary}.` };
  return svgShell(
    described,
    f,
    spec.periods,
    lines,
    spec.series.map((series) => series.name),
    anySuppressed,
  );
};

/**
 * Renders a stacked bar chart as self-contained inline SVG. Published segments are stacked to scale;
 * a bar with suppressed segments gets a hatched `[c]` cap of fixed height (not to scale) naming them.
 */
export const renderSvgStackedBar = (spec: StackedBarChartSpec): string => {
  const stackTotal = (i: number): number =>
    spec.series.reduce((sum, series) => {
      const value = series.values[i] ?? SUPPRESSED;
      return isSuppressed(value) ? sum : sum + value;
    }, 0);
  const f = frame(spec, Math.max(0, ...spec.categories.map((_, i) => stackTotal(i))));
  const step = PLOT_WIDTH / Math.max(spec.categories.length, 1);
  const width = step * 0.7;
  let anySuppressed = false;
  const bars = spec.categories
    .map((category, i) => {
      const x = PLOT.left + step * i + (step - width) / 2;
      let running = 0;
      const parts: string[] = [];
      const hidden: string[] = [];
      spec.series.forEach((series, s) => {
        const value = series.values[i] ?? SUPPRESSED;
        if (isSuppressed(value)) {
          hidden.push(series.name);
          return;
        }
        const y0 = f.y(running);
        const y1 = f.y(running + value);
        running += value;
        parts.push(
          `<rect x="${round1(x)}" y="${round1(y1)}" width="${round1(width)}" height="${round1(y0 - y1)}" fill="${colour(s)}">` +
            `<title>${escapeHtml(category)}, ${escapeHtml(series.name)}: ${formatValue(value)}</title></rect>`,
        );
      });
      if (hidden.length > 0) {
        anySuppressed = true;
        parts.push(suppressedStub(f.id, x, width, f.y(running), `${category}, ${hidden.join(', ')}`));
      }
      return `<g>${parts.join('')}</g>`;
    })
    .join('');
  const summary = spec.series
    .map((series) => `${series.name}: ${describeValues(spec.categories, series.values)}`)
    .join('. ');
  const described = { ...spec, description: spec.description ?? `Stacked bar chart. ${summary}.` };
  return svgShell(
    described,
    f,
    spec.categories,
    bars,
    spec.series.map((series) => series.name),
    anySuppressed,
  );
};

/** Renders any chart spec to inline SVG. */
export const renderChart = (spec: ChartSpec): string => {
  switch (spec.kind) {
    case 'bar':
      return renderSvgBarChart(spec);
    case 'line':
      return renderSvgLineChart(spec);
    default:
      return renderSvgStackedBar(spec);
  }
};
