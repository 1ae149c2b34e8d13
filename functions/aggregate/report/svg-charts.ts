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
import { formatMonth } from './format.ts';

/**
 * Charts as self-contained inline SVG, drawn to stay readable from a 360 px wide screen: bar charts are
 * horizontal (category labels wrap on the left, however long), the viewBox is narrow enough that text
 * is never scaled much below its size, and monthly trends are small multiples (one measure per chart,
 * each on its own axis). Text widths are estimated generously (`CHAR_WIDTH`) so that a label always fits
 * the box it is wrapped to; the browser test checks that nothing leaves its chart.
 */
const BAR_WIDTH = 360;
const LINE_WIDTH = 320;
const FONT = 12;
const TITLE_FONT = 14;
/** A generous average advance of one character, as a share of the font size (system-ui, Arial). */
const CHAR_WIDTH = 0.62;
const LINE_GAP = 1.3;
const LABEL_COLUMN = 128;
const VALUE_ROOM = 44;
const STUB = 14;
const BAR_THICKNESS = 16;

const round1 = (value: number): string => (Math.round(value * 10) / 10).toString();
const colour = (index: number): string => PALETTE[index % PALETTE.length] as string;

/** Splits text into lines of at most `width` px at `size` px (words longer than a line are cut). */
export const wrapText = (text: string, width: number, size: number): string[] => {
  const perLine = Math.max(4, Math.floor(width / (size * CHAR_WIDTH)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > perLine) {
      if (line !== '') lines.push(line);
      line = '';
      lines.push(`${rest.slice(0, perLine - 1)}-`);
      rest = rest.slice(perLine - 1);
    }
    const candidate = line === '' ? rest : `${line} ${rest}`;
    if (candidate.length > perLine) {
      lines.push(line);
      line = rest;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines.length === 0 ? [''] : lines;
};

/** A `<text>` of wrapped lines, the first baseline at `y`. */
const textLines = (
  lines: readonly string[],
  x: number,
  y: number,
  cls: string,
  size: number,
  anchor: 'start' | 'end' | 'middle' = 'start',
): string =>
  lines.length === 1
    ? `<text class="${cls}" x="${round1(x)}" y="${round1(y)}" text-anchor="${anchor}">${escapeHtml(lines[0] as string)}</text>`
    : `<text class="${cls}" x="${round1(x)}" y="${round1(y)}" text-anchor="${anchor}">` +
      lines
        .map(
          (line, i) =>
            `<tspan x="${round1(x)}" ${i === 0 ? '' : `dy="${round1(size * LINE_GAP)}"`}>${escapeHtml(line)}</tspan>`,
        )
        .join('') +
      '</text>';

const describeValues = (labels: readonly string[], values: readonly CellValue[]): string =>
  labels.map((label, i) => `${label}: ${formatValue(values[i] ?? SUPPRESSED)}`).join('; ');

const STYLE =
  `<style>.tick,.legend,.axis-label,.value,.category{font:${FONT}px system-ui,-apple-system,"Segoe UI",Arial,sans-serif;fill:#1d1d1d}` +
  `.chart-title{font:600 ${TITLE_FONT}px system-ui,-apple-system,"Segoe UI",Arial,sans-serif;fill:#1d1d1d}` +
  '.grid{stroke:#dcdcdc;stroke-width:1}.axis{stroke:#505050;stroke-width:1}</style>';

const hatch = (id: string) =>
  `<defs><pattern id="${id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
  '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#505050" stroke-width="2"/></pattern></defs>';

/** The SVG element around a chart body: accessible title and description, styles and the hatch pattern. */
const svgDocument = (
  spec: ChartSpec,
  id: string,
  width: number,
  height: number,
  description: string,
  body: string,
): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${round1(height)}" width="100%" ` +
  `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="${id}-title ${id}-desc" ` +
  'style="height:auto;display:block">' +
  `<title id="${id}-title">${escapeHtml(spec.title)}</title>` +
  `<desc id="${id}-desc">${escapeHtml(spec.description ?? description)}</desc>` +
  hatch(id) +
  STYLE +
  body +
  '</svg>';

interface LegendItem {
  readonly name: string;
  readonly fill: string;
}

/** A legend laid out as flowing items that wrap to new rows (long names wrap within their item). */
const legendBlock = (items: readonly LegendItem[], x0: number, y0: number, width: number) => {
  let x = x0;
  let y = y0;
  let rowHeight = 0;
  const parts: string[] = [];
  for (const item of items) {
    const lines = wrapText(item.name, width - 16, FONT);
    const itemWidth = 16 + Math.max(...lines.map((l) => l.length)) * FONT * CHAR_WIDTH + 14;
    const itemHeight = lines.length * FONT * LINE_GAP;
    if (x > x0 && x + itemWidth > x0 + width) {
      x = x0;
      y += rowHeight + 4;
      rowHeight = 0;
    }
    parts.push(
      `<rect x="${round1(x)}" y="${round1(y)}" width="11" height="11" fill="${item.fill}" stroke="#505050" stroke-width="0.5"/>` +
        textLines(lines, x + 16, y + 10, 'legend', FONT),
    );
    x += itemWidth;
    rowHeight = Math.max(rowHeight, itemHeight);
  }
  return { svg: parts.join(''), bottom: items.length === 0 ? y0 : y + rowHeight };
};

interface Row {
  readonly label: string;
  readonly lines: readonly string[];
  readonly y: number;
  readonly height: number;
}

/** Rows of a horizontal bar chart: the category labels wrapped into the label column. */
const layoutRows = (categories: readonly string[], top: number): { rows: Row[]; bottom: number } => {
  let y = top;
  const rows = categories.map((label) => {
    const lines = wrapText(label, LABEL_COLUMN - 8, FONT);
    const height = Math.max(BAR_THICKNESS + 10, lines.length * FONT * LINE_GAP + 8);
    const row = { label, lines, y, height };
    y += height;
    return row;
  });
  return { rows, bottom: y };
};

/** A horizontal bar chart (a stacked one when there are several series). */
const horizontalChart = (
  spec: BarChartSpec | StackedBarChartSpec,
  series: readonly { readonly name: string; readonly values: readonly CellValue[] }[],
): string => {
  const id = safeId(spec.id ?? spec.title);
  const stacked = spec.kind === 'stacked-bar';
  const titleLines = wrapText(spec.title, BAR_WIDTH - 8, TITLE_FONT);
  let y = TITLE_FONT + 4 + (titleLines.length - 1) * TITLE_FONT * LINE_GAP;
  const title = textLines(titleLines, 4, TITLE_FONT + 2, 'chart-title', TITLE_FONT);
  const anySuppressed = series.some((s) => s.values.some(isSuppressed));
  const legendItems: LegendItem[] = [
    ...(stacked ? series.map((s, i) => ({ name: s.name, fill: colour(i) })) : []),
    ...(anySuppressed
      ? [{ name: `${SUPPRESSED} suppressed (not to scale)`, fill: `url(#${id}-hatch)` }]
      : []),
  ];
  const legend = legendBlock(legendItems, 4, y + 10, BAR_WIDTH - 8);
  // The category dimension, on a line of its own above the bars.
  const dimensionLines = wrapText(spec.xLabel, BAR_WIDTH - 8, FONT);
  const dimension = textLines(dimensionLines, 4, legend.bottom + 14 + FONT, 'axis-label', FONT);
  y = legend.bottom + 14 + dimensionLines.length * FONT * LINE_GAP + 8;
  const plotLeft = LABEL_COLUMN;
  const plotRight = BAR_WIDTH - VALUE_ROOM;
  const total = (i: number) =>
    series.reduce((sum, s) => {
      const value = s.values[i] ?? SUPPRESSED;
      return isSuppressed(value) ? sum : sum + value;
    }, 0);
  const ticks = niceTicks(Math.max(0, ...spec.categories.map((_, i) => total(i))));
  const top = ticks[ticks.length - 1] ?? 1;
  const x = (value: number) => plotLeft + (value / top) * (plotRight - plotLeft);
  const axisTop = y;
  const { rows, bottom } = layoutRows(spec.categories, axisTop + 4);
  // Tick labels above the plot, thinned so that they never touch.
  const tickWidth = Math.max(...ticks.map((t) => formatValue(t).length)) * FONT * CHAR_WIDTH + 8;
  const every = Math.max(1, Math.ceil(tickWidth / ((plotRight - plotLeft) / Math.max(ticks.length - 1, 1))));
  const grid = ticks
    .map((tick, i) => {
      const tx = round1(x(tick));
      const label =
        i % every === 0
          ? `<text class="tick" x="${tx}" y="${round1(axisTop - 6)}" text-anchor="middle">${formatValue(tick)}</text>`
          : '';
      return `<line class="grid" x1="${tx}" y1="${round1(axisTop)}" x2="${tx}" y2="${round1(bottom)}"/>${label}`;
    })
    .join('');
  const bars = rows
    .map((row, i) => {
      const barY = row.y + (row.height - BAR_THICKNESS) / 2;
      const label = textLines(
        row.lines,
        plotLeft - 6,
        row.y + (row.height - (row.lines.length - 1) * FONT * LINE_GAP) / 2 + FONT * 0.35,
        'category',
        FONT,
        'end',
      );
      let running = 0;
      const hidden: string[] = [];
      const parts: string[] = [];
      series.forEach((s, k) => {
        const value = s.values[i] ?? SUPPRESSED;
        if (isSuppressed(value)) {
          hidden.push(s.name);
          return;
        }
        if (value === 0) return;
        parts.push(
          `<rect x="${round1(x(running))}" y="${round1(barY)}" width="${round1(x(running + value) - x(running))}" ` +
            `height="${BAR_THICKNESS}" fill="${colour(stacked ? k : 0)}" stroke="#ffffff" stroke-width="${stacked ? 1 : 0}">` +
            `<title>${escapeHtml(row.label)}${stacked ? `, ${escapeHtml(s.name)}` : ''}: ${formatValue(value)}</title></rect>`,
        );
        running += value;
      });
      let end = x(running);
      if (hidden.length > 0) {
        parts.push(
          `<g class="suppressed"><title>${escapeHtml(row.label)}${stacked ? `, ${escapeHtml(hidden.join(', '))}` : ''}: ${SUPPRESSED} (suppressed)</title>` +
            `<rect x="${round1(end)}" y="${round1(barY)}" width="${STUB}" height="${BAR_THICKNESS}" fill="url(#${id}-hatch)" stroke="#505050" stroke-width="0.5" stroke-dasharray="2 2"/></g>`,
        );
        end += STUB;
      }
      const valueText = stacked
        ? hidden.length > 0
          ? SUPPRESSED
          : ''
        : formatValue(series[0]?.values[i] ?? SUPPRESSED);
      const value =
        valueText === ''
          ? ''
          : `<text class="value" x="${round1(end + 4)}" y="${round1(barY + BAR_THICKNESS / 2 + FONT * 0.35)}">${valueText}</text>`;
      return `${label}<g>${parts.join('')}</g>${value}`;
    })
    .join('');
  const axis =
    `<line class="axis" x1="${plotLeft}" y1="${round1(axisTop)}" x2="${plotLeft}" y2="${round1(bottom)}"/>` +
    textLines(
      wrapText(spec.yLabel, plotRight - plotLeft, FONT),
      (plotLeft + plotRight) / 2,
      bottom + 18,
      'axis-label',
      FONT,
      'middle',
    );
  const height = bottom + 28;
  const description = stacked
    ? `Horizontal stacked bar chart. ${series.map((s) => `${s.name}: ${describeValues(spec.categories, s.values)}`).join('. ')}.`
    : `Horizontal bar chart. ${describeValues(spec.categories, series[0]?.values ?? [])}.`;
  return svgDocument(
    spec,
    id,
    BAR_WIDTH,
    height,
    description,
    title + legend.svg + dimension + grid + bars + axis,
  );
};

/** Renders a bar chart as self-contained inline SVG: horizontal bars, suppressed values as hatched `[c]` stubs. */
export const renderSvgBarChart = (spec: BarChartSpec): string =>
  horizontalChart(spec, [
    { name: spec.yLabel, values: spec.categories.map((_, i) => spec.values[i] ?? SUPPRESSED) },
  ]);

/**
 * Renders a stacked bar chart as self-contained inline SVG: horizontal bars, published segments to scale,
 * and a hatched `[c]` cap of fixed size (not to scale) for a bar with suppressed segments.
 */
export const renderSvgStackedBar = (spec: StackedBarChartSpec): string => horizontalChart(spec, spec.series);

/** `2026-10` → `Oct 2026`. */
const shortMonth = (period: string): string => {
  const long = formatMonth(period);
  return long === period ? period : `${long.slice(0, 3)} ${long.slice(-4)}`;
};

/**
 * Renders monthly trends as self-contained inline SVG: one small chart with one line per series (the
 * report draws one chart per measure, so measures of different size never share an axis), broken at
 * suppressed months, which are marked `[c]` at the axis instead of a point.
 */
export const renderSvgLineChart = (spec: LineChartSpec): string => {
  const id = safeId(spec.id ?? spec.title);
  const titleLines = wrapText(spec.title, LINE_WIDTH - 8, TITLE_FONT);
  const title = textLines(titleLines, 4, TITLE_FONT + 2, 'chart-title', TITLE_FONT);
  let anySuppressed = spec.series.some((s) => s.values.some(isSuppressed));
  const legendItems: LegendItem[] = [
    ...(spec.series.length > 1 ? spec.series.map((s, i) => ({ name: s.name, fill: colour(i) })) : []),
    ...(anySuppressed ? [{ name: `${SUPPRESSED} suppressed`, fill: `url(#${id}-hatch)` }] : []),
  ];
  const legend = legendBlock(
    legendItems,
    4,
    TITLE_FONT + 10 + (titleLines.length - 1) * TITLE_FONT * LINE_GAP,
    LINE_WIDTH - 8,
  );
  const numbers = spec.series.flatMap((s) => s.values.filter((v): v is number => !isSuppressed(v)));
  const ticks = niceTicks(Math.max(0, ...numbers));
  const topTick = ticks[ticks.length - 1] ?? 1;
  const tickRoom = Math.max(...ticks.map((t) => formatValue(t).length)) * FONT * CHAR_WIDTH + 10;
  const left = Math.max(36, tickRoom);
  const right = LINE_WIDTH - 16;
  const plotTop = legend.bottom + 14;
  const plotHeight = 120;
  const baseline = plotTop + plotHeight;
  const y = (value: number) => baseline - (value / topTick) * plotHeight;
  const n = Math.max(spec.periods.length, 1);
  const step = (right - left) / n;
  const px = (i: number) => left + step * (i + 0.5);
  const grid = ticks
    .map((tick) => {
      const ty = round1(y(tick));
      return (
        `<line class="grid" x1="${left}" y1="${ty}" x2="${right}" y2="${ty}"/>` +
        `<text class="tick" x="${round1(left - 6)}" y="${round1(y(tick) + FONT * 0.35)}" text-anchor="end">${formatValue(tick)}</text>`
      );
    })
    .join('');
  // Month labels: the first, the last and evenly between, as many as fit without touching.
  const labelWidth = 8 * FONT * CHAR_WIDTH + 6;
  const fit = Math.max(1, Math.floor((right - left) / labelWidth));
  const every = Math.max(1, Math.ceil(spec.periods.length / fit));
  const xLabels = spec.periods
    .map((period, i) => {
      const last = i === spec.periods.length - 1;
      if (!(last || (i % every === 0 && spec.periods.length - 1 - i >= every))) return '';
      const anchor = spec.periods.length === 1 ? 'middle' : i === 0 ? 'start' : last ? 'end' : 'middle';
      const lx = anchor === 'start' ? px(i) - 4 : anchor === 'end' ? px(i) + 4 : px(i);
      return `<text class="tick" x="${round1(Math.min(Math.max(lx, left), right))}" y="${round1(baseline + 16)}" text-anchor="${anchor}">${escapeHtml(shortMonth(period))}</text>`;
    })
    .join('');
  anySuppressed = false;
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
            `<g class="suppressed"><title>${escapeHtml(series.name)}, ${escapeHtml(formatMonth(period))}: ${SUPPRESSED} (suppressed)</title>` +
              `<rect x="${round1(px(i) - 5)}" y="${round1(baseline - 12 - s * 14)}" width="10" height="10" fill="url(#${id}-hatch)" stroke="${colour(s)}" stroke-width="1"/></g>`,
          );
          return;
        }
        (segments[segments.length - 1] as string[]).push(`${round1(px(i))},${round1(y(value))}`);
        marks.push(
          `<circle cx="${round1(px(i))}" cy="${round1(y(value))}" r="3.5" fill="${colour(s)}">` +
            `<title>${escapeHtml(series.name)}, ${escapeHtml(formatMonth(period))}: ${formatValue(value)}</title></circle>`,
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
  const latest = spec.series.length === 1 ? spec.series[0]?.values[spec.periods.length - 1] : undefined;
  const latestText =
    latest === undefined
      ? ''
      : textLines([`Latest: ${formatValue(latest)}`], right, baseline + 34, 'value', FONT, 'end');
  const axes =
    `<line class="axis" x1="${left}" y1="${round1(baseline)}" x2="${right}" y2="${round1(baseline)}"/>` +
    `<line class="axis" x1="${left}" y1="${round1(plotTop)}" x2="${left}" y2="${round1(baseline)}"/>`;
  const height = baseline + 44;
  const summary = spec.series
    .map((series) => `${series.name}: ${describeValues(spec.periods.map(formatMonth), series.values)}`)
    .join('. ');
  return svgDocument(
    spec,
    id,
    LINE_WIDTH,
    height,
    `Line chart. ${summary}.`,
    title + legend.svg + grid + axes + lines + xLabels + latestText,
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
