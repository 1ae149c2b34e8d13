import {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
} from '../../../schemas/aggregate/disclosure-policy.ts';
import type { AggregateTier } from '../../../schemas/aggregate/national.ts';
import { MshtError } from '../../shared/errors.ts';
import { isSuppressed, roundingTo, roundTo, type TierTable } from '../disclosure/published.ts';
import { type ChartSpec, chartValues } from './chart-spec.ts';
import { escapeHtml } from './escape.ts';
import { renderTableHtml } from './html-table.ts';
import { renderChart } from './svg-charts.ts';

/** The two output tiers of the national picture (domain §8.8). */
export type ReportTier = AggregateTier;

/** One section of a report: a heading, an optional table, an optional chart and optional notes. */
export interface ReportSection {
  readonly heading: string;
  /** The fragment id the contents list links to (default `section-{n}`). */
  readonly id?: string;
  /** 2 (default) for a section, 3 for a sub-section (a table of a family), nested in the contents. */
  readonly level?: 2 | 3;
  /** Paragraphs shown first, before any HTML, chart or table. */
  readonly intro?: readonly string[];
  /** Markup built by the report itself from published values (coverage, headline tables); not escaped. */
  readonly html?: string;
  /** Optional so that a section can hold only a chart and notes (e.g. headline figures and trends). */
  readonly table?: TierTable;
  /** Rows of `table` shown as "not submitted" instead of their zeros. */
  readonly notSubmitted?: readonly string[];
  readonly chart?: ChartSpec;
  /** Small multiples: one chart per measure, each on its own axis, side by side when there is room. */
  readonly charts?: readonly ChartSpec[];
  /** Shown instead of a chart that would say nothing (every value suppressed, or every value 0). */
  readonly chartOmitted?: string;
  readonly notes?: readonly string[];
}

/** Everything the monthly report shows; the renderer adds banners and the methods note. */
export interface ReportInput {
  readonly title: string;
  /** The reporting month, `YYYY-MM`. */
  readonly month: string;
  readonly tier: ReportTier;
  readonly sections: readonly ReportSection[];
  /** Release metadata shown under the title (term, value), e.g. data cut-off, publication date. */
  readonly metadata?: readonly (readonly [string, string])[];
  /** The main points, shown first after the contents. */
  readonly mainPoints?: readonly string[];
  /** Methods and quality notes from the stage settings, shown with the disclosure methods. */
  readonly methodsNotes?: readonly string[];
  /** The disclosure policy the shareable tier was produced with (default `DEFAULT_DISCLOSURE_POLICY`). */
  readonly policy?: DisclosurePolicy;
}

/** The classification banner of a tier, shown at the top and bottom of the report. */
export const classificationBanner = (tier: ReportTier, policy: DisclosurePolicy): string =>
  tier === 'internal'
    ? 'OFFICIAL-SENSITIVE \u2014 national team only, exact counts'
    : `OFFICIAL \u2014 small numbers suppressed ([c]) and counts rounded to the nearest ${policy.roundingBase}`;

import { formatMonth } from './format.ts';

export { formatMonth };

const mismatch = (message: string, section: string): MshtError =>
  new MshtError('REPORT_TIER_MISMATCH', message, { context: { section } });

/** Refuses to put exact or unrounded values into a shareable report. */
const checkShareable = (section: ReportSection, policy: DisclosurePolicy): void => {
  if (section.table !== undefined && section.table.tier !== 'shareable')
    throw mismatch('a shareable report cannot show an internal table', section.heading);
  if (
    section.table !== undefined &&
    section.table.tier === 'shareable' &&
    section.table.rounding !== roundingTo(policy.roundingBase)
  ) {
    throw mismatch('a shareable report cannot show unrounded values (audit view)', section.heading);
  }
  const values = [...(section.chart ? [section.chart] : []), ...(section.charts ?? [])].flatMap(chartValues);
  // The smallest count shown: the threshold, rounded (rounding is monotone).
  const smallest = roundTo(policy.threshold, policy.roundingBase);
  const unpublished = (value: number) =>
    value !== 0 && (value < smallest || value % policy.roundingBase !== 0);
  if (values.some((value) => !isSuppressed(value) && unpublished(value))) {
    throw mismatch('a shareable chart must show published (rounded) counts only', section.heading);
  }
};

const methodsNote = (
  tier: ReportTier,
  { threshold, roundingBase, minimumWidth }: DisclosurePolicy,
): string =>
  tier === 'shareable'
    ? '<p>This is the shareable tier of the monthly national picture. To protect victims and other people ' +
      `in the data, any count from 1 to ${threshold - 1} is suppressed and shown as <strong>[c]</strong> (primary ` +
      'suppression). Further counts are suppressed where needed (secondary suppression) so that nobody can work ' +
      'a suppressed value out from the totals or from tables that share a total: an exact audit of those ' +
      `equations checks that every suppressed value could still be any of at least ${minimumWidth + 1} whole ` +
      `numbers (a protection interval of ${minimumWidth}), even if every figure shown were exact. Zero is ` +
      `shown as 0. Every count that is shown, including totals, is rounded to the nearest ${roundingBase}; totals are ` +
      'computed from the unrounded data and rounded separately, so they may differ from the sum of the ' +
      'rounded figures (rounding only widens what can be inferred). Rows and columns are always in the same ' +
      'order, whatever the counts. The rolling 12-month table is the sum of the published monthly figures, ' +
      'and a revised month keeps every suppression of the version it replaces, so that comparing months or ' +
      'versions reveals nothing more. Percentages are whole numbers, computed from the rounded figures, and ' +
      'never from suppressed values. In charts, suppressed values are drawn as hatched marks labelled [c], ' +
      'which are not to scale.</p>'
    : '<p>This is the internal tier of the monthly national picture: exact, unsuppressed and unrounded ' +
      'counts for the national team only. Do not share it. The shareable tier of the same month applies ' +
      `small-number suppression ([c] for counts from 1 to ${threshold - 1}, with secondary suppression so that every ` +
      `suppressed value keeps a protection interval of ${minimumWidth}) and rounds counts to the nearest ${roundingBase}.</p>`;

const STYLE = [
  ':root{color-scheme:light}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#1d1d1d;background:#fff}',
  'main{max-width:1100px;margin:0 auto;padding:1rem}',
  '@media (max-width:480px){main{padding:.75rem}}',
  '.banner{margin:0;padding:.5rem 1rem;font-weight:700;text-align:center;letter-spacing:.02em}',
  '.banner-internal{background:#8b0000;color:#fff}',
  '.banner-shareable{background:#1d1d1d;color:#fff}',
  'h1{font-size:1.6rem;margin:.5rem 0}',
  'h2{font-size:1.35rem;margin:2rem 0 .5rem;padding-top:.5rem;border-top:2px solid #1d1d1d}',
  'h3{font-size:1.1rem;margin:1.5rem 0 .5rem}',
  'section{max-width:100%}',
  'a{color:#1d70b8}',
  '.metadata{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:1rem 0;padding:.75rem 1rem;background:#f3f2f1}',
  '.metadata dt{font-weight:600}.metadata dd{margin:0;overflow-wrap:anywhere}',
  '@media (max-width:480px){.metadata{grid-template-columns:1fr}.metadata dd{margin-bottom:.35rem}}',
  '.contents ol{padding-left:1.25rem}.contents ol ol{margin:.1rem 0 .4rem}',
  '.main-points li{margin:.35rem 0}',
  'figure{margin:1rem 0;max-width:100%;overflow:hidden}',
  'figure svg{display:block;width:100%;max-width:100%;height:auto}',
  'figure.bar{max-width:480px}',
  '.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem;margin:1rem 0}',
  '.multiples figure{max-width:420px}',
  '.multiples figure{margin:0}',
  '.chart-omitted{padding:.5rem 1rem;border-left:4px solid #505a5f;background:#f8f8f8}',
  '.table-wrap{max-width:100%;overflow-x:auto}',
  'table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}',
  '.table-title{font-weight:600;margin:.75rem 0 .25rem}',
  '.caption-note{font-weight:400;font-size:.875rem}',
  'th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left}',
  'thead th,tfoot th,tfoot td{background:#f3f2f1}',
  '.num{text-align:right}',
  '.suppressed abbr{text-decoration:none;font-style:italic}',
  '.not-submitted{color:#505a5f;font-style:italic;text-align:right}',
  '.methods{margin-top:2rem;padding:1rem;border-left:4px solid #505a5f;background:#f8f8f8}',
].join('');

const sectionId = (section: ReportSection, i: number): string => section.id ?? `section-${i + 1}`;

/** The contents list: every section, sub-sections nested under the section before them. */
const contentsOf = (
  items: readonly { readonly id: string; readonly heading: string; readonly level: 2 | 3 }[],
): string => {
  let html = '';
  let open = false;
  for (const [i, item] of items.entries()) {
    const link = `<a href="#${escapeHtml(item.id)}">${escapeHtml(item.heading)}</a>`;
    if (item.level === 3) {
      html += `${open ? '' : '<ol>'}<li>${link}</li>`;
      open = true;
      continue;
    }
    if (open) html += '</ol>';
    open = false;
    html += `${i === 0 ? '' : '</li>'}<li>${link}`;
  }
  if (open) html += '</ol>';
  return `<nav class="contents" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>${html}</li></ol></nav>`;
};

const renderSection = (section: ReportSection, i: number): string => {
  const id = sectionId(section, i);
  const level = section.level ?? 2;
  const paragraphs = (texts: readonly string[] | undefined, cls: string) =>
    (texts ?? []).map((text) => `<p class="${cls}">${escapeHtml(text)}</p>`).join('');
  const figure = (spec: ChartSpec, n: number, cls: string) =>
    `<figure class="${cls}">${renderChart({ ...spec, id: `chart-${i + 1}-${n}` })}</figure>`;
  const chart = section.chart === undefined ? '' : figure(section.chart, 0, 'bar');
  const multiples =
    section.charts === undefined || section.charts.length === 0
      ? ''
      : `<div class="multiples">${section.charts.map((spec, n) => figure(spec, n + 1, 'multiple')).join('')}</div>`;
  const omitted =
    section.chartOmitted === undefined
      ? ''
      : `<p class="chart-omitted">${escapeHtml(section.chartOmitted)}</p>`;
  return (
    `<section aria-labelledby="${escapeHtml(id)}"><h${level} id="${escapeHtml(id)}">${escapeHtml(section.heading)}</h${level}>` +
    `${paragraphs(section.intro, 'intro')}${section.html ?? ''}${chart}${multiples}${omitted}` +
    `${section.table === undefined ? '' : renderTableHtml(section.table, section.notSubmitted)}${paragraphs(section.notes, 'note')}</section>`
  );
};

/**
 * Renders the monthly report as one self-contained HTML5 document (inline CSS and SVG, no scripts, no
 * network: a Content-Security-Policy forbids both): title, release metadata, contents, main points, then
 * the sections in order and the methods. All text is escaped. A shareable report refuses internal or
 * unrounded tables and charts with unpublished numbers.
 */
export const renderReportHtml = (input: ReportInput): string => {
  const policy = input.policy ?? DEFAULT_DISCLOSURE_POLICY;
  if (input.tier === 'shareable') for (const section of input.sections) checkShareable(section, policy);
  const banner = classificationBanner(input.tier, policy);
  const bannerHtml = (tag: 'header' | 'footer') =>
    `<${tag} class="banner banner-${input.tier}" role="note" aria-label="Classification">${escapeHtml(banner)}</${tag}>`;
  const month = formatMonth(input.month);
  const metadata =
    input.metadata === undefined || input.metadata.length === 0
      ? `<p class="period">Reporting month: ${escapeHtml(month)}</p>`
      : `<dl class="metadata">${input.metadata
          .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
          .join('')}</dl>`;
  const mainPoints =
    input.mainPoints === undefined || input.mainPoints.length === 0
      ? ''
      : `<section class="main-points" aria-labelledby="main-points"><h2 id="main-points">Main points</h2><ul>${input.mainPoints
          .map((point) => `<li>${escapeHtml(point)}</li>`)
          .join('')}</ul></section>`;
  const contents = contentsOf([
    ...(mainPoints === '' ? [] : [{ id: 'main-points', heading: 'Main points', level: 2 as const }]),
    ...input.sections.map((section, i) => ({
      id: sectionId(section, i),
      heading: section.heading,
      level: section.level ?? 2,
    })),
    { id: 'methods', heading: 'Methods and quality', level: 2 },
  ]);
  const methodsNotes = (input.methodsNotes ?? []).map((note) => `<p>${escapeHtml(note)}</p>`).join('');
  return (
    '<!DOCTYPE html>\n' +
    '<html lang="en-GB"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    '<meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(`${input.title} \u2014 ${month}`)}</title><style>${STYLE}</style></head><body>` +
    bannerHtml('header') +
    `<main><h1>${escapeHtml(input.title)}, ${escapeHtml(month)}</h1>${metadata}${contents}${mainPoints}` +
    input.sections.map(renderSection).join('') +
    `<section class="methods" aria-labelledby="methods"><h2 id="methods">Methods and quality</h2>${methodsNotes}` +
    `<h3>Disclosure control</h3>${methodsNote(input.tier, policy)}</section>` +
    '</main>' +
    bannerHtml('footer') +
    '</body></html>\n'
  );
};
