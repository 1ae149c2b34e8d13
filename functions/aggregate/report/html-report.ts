import {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
} from '../../../schemas/aggregate/disclosure-policy.ts';
import type { AggregateTier } from '../../../schemas/aggregate/national.ts';
import { IsoMonthSchema } from '../../../schemas/common/dates.ts';
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
  /** Optional so that a section can hold only a chart and notes (e.g. headline figures and trends). */
  readonly table?: TierTable;
  readonly chart?: ChartSpec;
  readonly notes?: readonly string[];
}

/** Everything the monthly report shows; the renderer adds banners and the methods note. */
export interface ReportInput {
  readonly title: string;
  /** The reporting month, `YYYY-MM`. */
  readonly month: string;
  readonly tier: ReportTier;
  readonly sections: readonly ReportSection[];
  /** The disclosure policy the shareable tier was produced with (default `DEFAULT_DISCLOSURE_POLICY`). */
  readonly policy?: DisclosurePolicy;
}

/** The classification banner of a tier, shown at the top and bottom of the report. */
export const classificationBanner = (tier: ReportTier, policy: DisclosurePolicy): string =>
  tier === 'internal'
    ? 'OFFICIAL-SENSITIVE \u2014 national team only, exact counts'
    : `OFFICIAL \u2014 small numbers suppressed ([c]) and counts rounded to the nearest ${policy.roundingBase}`;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2026-10` → `October 2026`; anything else is shown as given (escaped). */
export const formatMonth = (month: string): string => {
  if (!IsoMonthSchema.safeParse(month).success) return month;
  const [year, m] = month.split('-');
  return `${MONTHS[Number(m) - 1]} ${year}`;
};

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
  const values = section.chart === undefined ? [] : chartValues(section.chart);
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
  '.banner{margin:0;padding:.5rem 1rem;font-weight:700;text-align:center;letter-spacing:.02em}',
  '.banner-internal{background:#8b0000;color:#fff}',
  '.banner-shareable{background:#1d1d1d;color:#fff}',
  'h1{font-size:1.6rem;margin:.5rem 0}',
  'h2{font-size:1.25rem;margin:2rem 0 .5rem}',
  'section{max-width:100%}',
  'figure{margin:1rem 0;max-width:100%;overflow:hidden}',
  'figure svg{display:block;width:100%;max-width:100%;height:auto}',
  '.table-wrap{max-width:100%;overflow-x:auto}',
  'table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}',
  'caption{text-align:left;font-weight:600;padding:.25rem 0}',
  '.caption-note{font-weight:400;font-size:.875rem}',
  'th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left}',
  'thead th,tfoot th,tfoot td{background:#f3f2f1}',
  '.num{text-align:right}',
  '.suppressed abbr{text-decoration:none;font-style:italic}',
  '.methods{margin-top:2rem;padding:1rem;border-left:4px solid #505a5f;background:#f8f8f8}',
].join('');

/**
 * Renders the monthly report as one self-contained HTML5 document (inline CSS and SVG, no scripts, no
 * network: a Content-Security-Policy forbids both). All text is escaped. A shareable report refuses
 * internal or unrounded tables and charts with unpublished numbers.
 */
export const renderReportHtml = (input: ReportInput): string => {
  const policy = input.policy ?? DEFAULT_DISCLOSURE_POLICY;
  if (input.tier === 'shareable') for (const section of input.sections) checkShareable(section, policy);
  const banner = classificationBanner(input.tier, policy);
  const bannerHtml = (tag: 'header' | 'footer') =>
    `<${tag} class="banner banner-${input.tier}" role="note" aria-label="Classification">${escapeHtml(banner)}</${tag}>`;
  const month = formatMonth(input.month);
  const sections = input.sections
    .map((section, i) => {
      const headingId = `section-${i + 1}`;
      const chart =
        section.chart === undefined
          ? ''
          : `<figure>${renderChart({ ...section.chart, id: `chart-${i + 1}` })}</figure>`;
      const notes = (section.notes ?? []).map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('');
      return (
        `<section aria-labelledby="${headingId}"><h2 id="${headingId}">${escapeHtml(section.heading)}</h2>` +
        `${chart}${section.table === undefined ? '' : renderTableHtml(section.table)}${notes}</section>`
      );
    })
    .join('');
  return (
    '<!DOCTYPE html>\n' +
    '<html lang="en-GB"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    '<meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(`${input.title} \u2014 ${month}`)}</title><style>${STYLE}</style></head><body>` +
    bannerHtml('header') +
    `<main><h1>${escapeHtml(input.title)}</h1><p class="period">Reporting month: ${escapeHtml(month)}</p>` +
    sections +
    `<section class="methods" aria-labelledby="methods"><h2 id="methods">Methods: disclosure control</h2>${methodsNote(input.tier, policy)}</section>` +
    '</main>' +
    bannerHtml('footer') +
    '</body></html>\n'
  );
};
