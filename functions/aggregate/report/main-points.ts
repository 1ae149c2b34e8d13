import type { HeadlineFigure, NationalPicture, NationalTable } from '../../../schemas/aggregate/national.ts';
import type { AggregateCell } from '../../../schemas/aggregate/table.ts';
import { orgName } from '../../../schemas/common/organisations.ts';
import { addMonths, type Month } from '../month.ts';
import { EXPECTED_ORGANISATIONS } from '../tables/coverage.ts';
import { formatValue } from './chart-spec.ts';
import { formatMonth } from './format.ts';

/** A published count, never `[c]`: the only values a main point may quote. */
const published = (value: AggregateCell | null | undefined): value is number => typeof value === 'number';

/** A whole-number share of two published counts (`undefined` when the base is 0). */
const share = (part: number, whole: number): number | undefined =>
  whole > 0 ? Math.round((100 * part) / whole) : undefined;

const percentText = (percent: number | undefined): string =>
  percent === undefined ? '' : percent === 0 ? ', less than 1%' : `, ${percent}%`;

const ofAll = (percent: number | undefined): string =>
  percent === undefined
    ? ''
    : ` (${percent === 0 ? 'less than 1%' : `${percent}%`} of all potential victims)`;

/**
 * The month-on-month change of a headline figure as words: "up 20 (4%) from 520 in September 2026",
 * "down 1 (less than 1%)", "the same as"; empty when the change is not published ([c] or no earlier month).
 */
export const describeChange = (figure: HeadlineFigure, previousMonth: Month): string => {
  if (!published(figure.change) || !published(figure.previous)) return '';
  const before = `${formatValue(figure.previous)} in ${formatMonth(previousMonth)}`;
  if (figure.change === 0) return `, the same as ${before}`;
  const size = Math.abs(figure.change);
  const percent = published(figure.changePercent) ? Math.abs(figure.changePercent) : undefined;
  const percentPart = percent === undefined ? '' : percent === 0 ? ' (less than 1%)' : ` (${percent}%)`;
  return `, ${figure.change > 0 ? 'up' : 'down'} ${formatValue(size)}${percentPart} from ${before}`;
};

const table = (national: NationalPicture, id: string): NationalTable | undefined =>
  national.tables.find((t) => t.id === id);

const headline = (national: NationalPicture, id: string): HeadlineFigure | undefined =>
  national.headline.find((h) => h.id === id);

const listNames = (names: readonly string[]): string =>
  names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] as string}`;

/** "43 of 50 expected organisations submitted …": counts of organisations, never of people. */
const coveragePoint = (national: NationalPicture): string => {
  const s = national.submitters;
  const expected = EXPECTED_ORGANISATIONS.length;
  const missing = s.nothingSubmitted.length + s.noneCounted.length;
  const late = s.late.length === 0 ? '' : `; ${s.late.length} submitted after the deadline`;
  const absent =
    missing === 0
      ? 'Every expected organisation is included'
      : missing <= 5
        ? `Figures exclude ${listNames([...s.nothingSubmitted, ...s.noneCounted].map(orgName))}, which did not submit a return that could be counted`
        : `Figures exclude the ${missing} organisations that did not submit a return that could be counted (listed under Coverage)`;
  return (
    `${s.submitted.length - s.noneCounted.length} of the ${expected} expected organisations (police forces and ` +
    `partner agencies) submitted a return for ${formatMonth(national.month)}${late}. ${absent}.`
  );
};

/** A headline figure as a sentence, or nothing when it is suppressed. */
const headlinePoint = (
  national: NationalPicture,
  id: string,
  sentence: (value: string) => string,
): string[] => {
  const figure = headline(national, id);
  if (figure === undefined || !published(figure.value)) return [];
  const previousMonth = addMonths(national.month, -1);
  return [`${sentence(formatValue(figure.value))}${describeChange(figure, previousMonth)}.`];
};

/**
 * The most common row of a table by its published row totals, with its share of the grand total: only
 * when every row total and the grand total are published (a `[c]` row could be larger than any shown),
 * and when one row is strictly larger than all the others.
 */
const largestRow = (
  t: NationalTable | undefined,
  exclude: readonly string[],
): { label: string; value: number; percent: number | undefined } | undefined => {
  if (t === undefined || !published(t.grandTotal) || t.grandTotal === 0) return undefined;
  if (!t.rowTotals.every(published)) return undefined;
  const rows = t.rows
    .map((label, r) => ({ label, value: t.rowTotals[r] as number }))
    .filter((row) => !exclude.includes(row.label))
    .sort((a, b) => b.value - a.value);
  const [first, second] = rows;
  if (first === undefined || first.value === 0 || (second !== undefined && second.value === first.value))
    return undefined;
  return { ...first, percent: share(first.value, t.grandTotal) };
};

/** The published column total `column` of a table, with its share of the published grand total. */
const columnShare = (
  t: NationalTable | undefined,
  column: string,
): { value: number; percent: number | undefined } | undefined => {
  const c = t?.columns.indexOf(column) ?? -1;
  const value = c < 0 ? undefined : t?.columnTotals[c];
  if (t === undefined || !published(value) || !published(t.grandTotal)) return undefined;
  return { value, percent: share(value, t.grandTotal) };
};

/** The published row total of row `label`, with its share of the published grand total. */
const rowShare = (
  t: NationalTable | undefined,
  label: string,
): { value: number; percent: number | undefined } | undefined => {
  const r = t?.rows.indexOf(label) ?? -1;
  const value = r < 0 ? undefined : t?.rowTotals[r];
  if (t === undefined || !published(value) || !published(t.grandTotal)) return undefined;
  return { value, percent: share(value, t.grandTotal) };
};

/**
 * The main points of the bulletin, generated from the figures of one tier's national.json and nothing
 * else. In the shareable tier every number quoted is a published (rounded) value, a count of
 * organisations, or a whole percentage of two published values: a `[c]` is never quoted, nor anything
 * derived from one (a comparison that a `[c]` could overturn is left out).
 */
export const mainPoints = (national: NationalPicture): string[] => {
  const points: string[] = [coveragePoint(national)];
  const rounded = national.tier === 'shareable' ? ' (rounded to the nearest 5)' : '';
  points.push(
    ...headlinePoint(
      national,
      'victims',
      (v) =>
        `${v} potential victims of modern slavery were identified${rounded}, each counted once nationally`,
    ),
  );
  const top = largestRow(table(national, 'A2a'), ['Not specified or unknown', 'Multiple types']);
  if (top !== undefined)
    points.push(
      `${top.label} exploitation was the most commonly recorded type (${formatValue(top.value)} potential ` +
        `victims${percentText(top.percent)}).`,
    );
  const children = columnShare(table(national, 'A2b'), 'Child');
  if (children !== undefined)
    points.push(
      `${formatValue(children.value)} potential victims were children when exploited${ofAll(children.percent)}.`,
    );
  const uk = rowShare(table(national, 'A3'), 'United Kingdom');
  if (uk !== undefined)
    points.push(`${formatValue(uk.value)} potential victims were UK nationals${ofAll(uk.percent)}.`);
  points.push(
    ...headlinePoint(
      national,
      'suspects',
      (v) => `${v} suspects and offenders were recorded${rounded}, each counted once nationally`,
    ),
    ...headlinePoint(
      national,
      'operationsLive',
      (v) => `${v} operation returns were live at the end of the month`,
    ),
    ...headlinePoint(national, 'operationsOpened', (v) => `${v} operation returns were opened in the month`),
    ...headlinePoint(national, 'arrests', (v) => `Forces and agencies reported ${v} arrests`),
    ...headlinePoint(national, 'charges', (v) => `${v} charges were reported`),
    ...headlinePoint(
      national,
      'nrmReferrals',
      (v) => `${v} referrals to the National Referral Mechanism were reported`,
    ),
  );
  const hidden = national.headline.filter((h) => !published(h.value)).map((h) => h.label);
  if (hidden.length > 0)
    points.push(`Suppressed to protect small numbers ([c]), so not given here: ${listNames(hidden)}.`);
  if (national.revision !== undefined)
    points.push(
      `This is revision ${national.revision.number} of the month: ${national.revision.changes.length} published ` +
        'figure(s) changed (see Revisions).',
    );
  return points;
};
