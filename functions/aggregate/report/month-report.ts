import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import type { TierTable } from '../disclosure/published.ts';
import { addMonths } from '../month.ts';
import { type ReleaseInfo, UNDATED_RELEASE } from '../publish/release.ts';
import { type ChartChoice, FAMILY_HEADINGS, tableSpec } from '../tables/registry.ts';
import { type ChartSpec, chartOfTable, formatValue, omittedChartSentence } from './chart-spec.ts';
import { coverageHtml } from './coverage-section.ts';
import { escapeHtml } from './escape.ts';
import { formatDate, formatDateTime, formatMonth } from './format.ts';
import { type ReportSection, renderReportHtml } from './html-report.ts';
import { mainPoints } from './main-points.ts';
import { bulletinOrder } from './order.ts';

/** The title of the bulletin (report.html and national.xlsx). */
export const BULLETIN_TITLE = 'Modern slavery and human trafficking: monthly national picture';

const linkingNote = (national: NationalPicture): string => {
  const l = national.linking;
  return (
    `Victims and suspects are counted once nationally: ${formatValue(l.subjectRecords)} subject records were ` +
    `linked into ${formatValue(l.persons)} persons, making ${formatValue(l.linksMade)} links (shared NRM ` +
    `reference ${formatValue(l.byRule.nrmReference)}, PNC ID ${formatValue(l.byRule.pncId)}, passport number ` +
    `and issuing state ${formatValue(l.byRule.passport)}); ${formatValue(l.crossOrganisationPersons)} persons ` +
    'were reported by more than one organisation.'
  );
};

/** The revision note of a shareable publication that replaces an earlier one: published values only. */
export const revisionNotes = (national: NationalPicture): string[] => {
  const revision = national.revision;
  if (revision === undefined)
    return ['This is the first publication of this month. Any later revision will be listed here.'];
  const where = (c: { table: string; entry: string; row?: string; column?: string }) =>
    `${c.table} ${c.entry === 'cell' ? `${c.row} × ${c.column}` : [c.entry, c.row ?? c.column].filter(Boolean).join(' ')}`;
  return [
    `Revision ${revision.number}: this publication replaces an earlier one of the same month (run ` +
      `${revision.replaces}), which is withdrawn. ${revision.changes.length} published figure(s) changed, as ` +
      'published (rounded or [c]):',
    ...revision.changes.map((c) => `${where(c)}: ${formatValue(c.from)} → ${formatValue(c.to)}.`),
    ...(revision.tablesReshaped.length === 0
      ? []
      : [`Tables with other rows or columns than before: ${revision.tablesReshaped.join(', ')}.`]),
  ];
};

/** The release metadata under the title, as (term, value) pairs. */
export const bulletinMetadata = (
  national: NationalPicture,
  release: ReleaseInfo,
): (readonly [string, string])[] => {
  const nextMonth = formatMonth(addMonths(national.month, 1));
  const status =
    national.revision === undefined
      ? 'First publication'
      : `Revision ${national.revision.number} (replaces run ${national.revision.replaces})`;
  return [
    ['Reporting month', formatMonth(national.month)],
    [
      'Tier',
      national.tier === 'internal'
        ? 'Internal (OFFICIAL-SENSITIVE): exact counts, national team only'
        : 'Shareable (OFFICIAL): small numbers suppressed, counts rounded',
    ],
    ['Data cut-off', release.dataCutOff === undefined ? 'Not recorded' : formatDateTime(release.dataCutOff)],
    [
      'Publication date',
      release.publishedOn === undefined ? 'Not recorded' : formatDate(release.publishedOn),
    ],
    [
      'Next release',
      release.nextRelease === undefined
        ? `${nextMonth} figures: date to be announced`
        : `${formatDate(release.nextRelease)} (${nextMonth} figures)`,
    ],
    ['Status', status],
    ['Run id', national.runId],
    ['Produced by', release.publication.producer],
    ['Contact', `${release.publication.contact.name}, ${release.publication.contact.email}`],
  ];
};

/** The headline figures as a table: this month, the previous month and the change in words. */
const headlineTable = (national: NationalPicture): string => {
  const previousMonth = addMonths(national.month, -1);
  const rows = national.headline
    .map((h) => {
      const changeText =
        h.previous === null
          ? 'No earlier month'
          : typeof h.change !== 'number'
            ? 'Not published ([c])'
            : h.change === 0
              ? 'No change'
              : `${h.change > 0 ? 'Up' : 'Down'} ${formatValue(Math.abs(h.change))}${
                  typeof h.changePercent === 'number'
                    ? ` (${h.changePercent === 0 ? 'less than 1%' : `${Math.abs(h.changePercent)}%`})`
                    : ''
                }`;
      return (
        `<tr><th scope="row">${escapeHtml(h.label)}</th><td class="num">${formatValue(h.value)}</td>` +
        `<td class="num">${h.previous === null ? 'n/a' : formatValue(h.previous)}</td><td>${escapeHtml(changeText)}</td></tr>`
      );
    })
    .join('');
  return (
    `<p class="table-title" id="caption-headline">Headline figures, ${escapeHtml(formatMonth(national.month))}` +
    ` and ${escapeHtml(formatMonth(previousMonth))}.</p>` +
    '<div class="table-wrap" role="region" tabindex="0" aria-labelledby="caption-headline">' +
    '<table id="table-headline" aria-labelledby="caption-headline"><thead><tr><th scope="col">Figure</th>' +
    `<th scope="col" class="num">${escapeHtml(formatMonth(national.month))}</th><th scope="col" class="num">` +
    `${escapeHtml(formatMonth(previousMonth))}</th><th scope="col">Change</th></tr></thead><tbody>${rows}</tbody></table></div>`
  );
};

/** One small chart per trend series: measures of different size each on their own axis. */
const trendCharts = (national: NationalPicture): ChartSpec[] =>
  national.trend.series.map((series) => ({
    kind: 'line',
    id: `trend-${series.id}`,
    title: series.label,
    xLabel: 'Month',
    yLabel: 'Count',
    periods: national.trend.months,
    series: [{ name: series.label, values: series.values }],
  }));

/** The section of one table: its chart (or why there is none), the table and its notes. */
const tableSection = (national: NationalPicture, table: TierTable): ReportSection => {
  const spec = tableSpec(table.id);
  const notSubmitted = national.tables.find((t) => t.id === table.id)?.notSubmitted ?? [];
  const choice: ChartChoice | undefined = spec?.chart;
  const charted = choice === undefined ? undefined : chartOfTable(choice, table, notSubmitted);
  const omitted =
    choice === undefined
      ? undefined
      : table.grandTotal === 0
        ? 'No chart: every value in this table is 0.'
        : charted === undefined
          ? omittedChartSentence(table)
          : undefined;
  const notes = [...(charted?.notes ?? []), ...(spec?.notes?.(national) ?? [])];
  return {
    id: table.id,
    level: 3,
    heading: `${table.id}. ${table.title}`,
    table,
    ...(notSubmitted.length ? { notSubmitted } : {}),
    ...(charted === undefined ? {} : { chart: charted.chart }),
    ...(omitted === undefined ? {} : { chartOmitted: omitted }),
    ...(notes.length ? { notes } : {}),
  };
};

/**
 * Renders the month's report.html for one tier as a statistical bulletin: title and release metadata,
 * contents, main points (generated from the tier's own figures), coverage, revisions, headline figures
 * with small-multiple trend charts, then the tables A1–A9 in order (A3r after A3), each with its chart
 * and notes, and the methods. `policy` is the disclosure policy the shareable tier was produced with.
 */
export const renderMonthReport = (
  national: NationalPicture,
  tables: readonly TierTable[],
  policy: DisclosurePolicy,
  release: ReleaseInfo = UNDATED_RELEASE,
): string => {
  const families = new Map<string, TierTable[]>();
  for (const table of bulletinOrder(tables)) {
    const family = /^A\d/.exec(table.id)?.[0] ?? table.id;
    families.set(family, [...(families.get(family) ?? []), table]);
  }
  const sections: ReportSection[] = [
    {
      id: 'coverage',
      heading: 'Coverage: who submitted',
      html: coverageHtml(national),
    },
    { id: 'revisions', heading: 'Revisions', notes: revisionNotes(national) },
    {
      id: 'headline',
      heading: 'Headline figures and monthly trends',
      html: headlineTable(national),
      charts: trendCharts(national),
      notes: [
        'Each measure has its own chart and scale. ' +
          (national.tier === 'shareable'
            ? 'Changes are worked out from the published, rounded figures of each month.'
            : 'Changes are exact.'),
        linkingNote(national),
      ],
    },
    ...[...families.entries()].flatMap(([family, members]) => [
      {
        id: family,
        heading: `${family}. ${FAMILY_HEADINGS[family] ?? family}`,
        intro: [`Tables ${members.map((t) => t.id).join(', ')}.`],
      },
      ...members.map((table) => tableSection(national, table)),
    ]),
  ];
  return renderReportHtml({
    title: BULLETIN_TITLE,
    month: national.month,
    tier: national.tier,
    metadata: bulletinMetadata(national, release),
    mainPoints: mainPoints(national),
    methodsNotes: release.publication.methodsNotes,
    sections,
    policy,
  });
};
