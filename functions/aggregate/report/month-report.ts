import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import type { TierTable } from '../disclosure/published.ts';
import { type ChartChoice, FAMILY_HEADINGS, tableSpec } from '../tables/registry.ts';
import { barChartOfRowTotals, type ChartSpec, formatValue, stackedBarOfTable } from './chart-spec.ts';
import { type ReportSection, renderReportHtml } from './html-report.ts';

/** The chart the registry chose for a table. */
const chartOf = (choice: ChartChoice, table: TierTable): ChartSpec =>
  choice.kind === 'stacked'
    ? stackedBarOfTable(table, { title: choice.title })
    : barChartOfRowTotals(table, { title: choice.title });

const signed = (value: number | '[c]' | null): string =>
  value === null
    ? 'n/a'
    : value === '[c]'
      ? '[c]'
      : value > 0
        ? `+${formatValue(value)}`
        : formatValue(value);

const headlineNotes = (national: NationalPicture): string[] =>
  national.headline.map((h) =>
    h.previous === null
      ? `${h.label}: ${formatValue(h.value)} (no earlier month).`
      : `${h.label}: ${formatValue(h.value)} (previous month ${formatValue(h.previous)}; change ${signed(h.change)}` +
        `${h.changePercent === null || h.changePercent === '[c]' ? '' : `, ${signed(h.changePercent)}%`}).`,
  );

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
const revisionNotes = (national: NationalPicture): string[] => {
  const revision = national.revision;
  if (revision === undefined) return [];
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

/**
 * Renders the month's report.html for one tier: headline figures with month-on-month change and the monthly
 * trends chart, then every table of the tier with the chart and notes its registry entry declares. The
 * methods note states `policy`, the disclosure policy the shareable tier was produced with.
 */
export const renderMonthReport = (
  national: NationalPicture,
  tables: readonly TierTable[],
  policy: DisclosurePolicy,
): string => {
  const trend: ChartSpec = {
    kind: 'line',
    id: 'trends',
    title: 'Monthly trends',
    xLabel: 'Month',
    yLabel: 'Count',
    periods: national.trend.months,
    series: national.trend.series.map((series) => ({ name: series.label, values: series.values })),
  };
  const revision = revisionNotes(national);
  const sections: ReportSection[] = [
    ...(revision.length === 0 ? [] : [{ heading: 'Revision', notes: revision }]),
    {
      heading: 'Headline figures and monthly trends',
      chart: trend,
      notes: [...headlineNotes(national), linkingNote(national)],
    },
    ...tables.map((table) => {
      const spec = tableSpec(table.id);
      const family = /^A\d/.exec(table.id)?.[0] ?? table.id;
      const title = `${table.id}. ${FAMILY_HEADINGS[family] ?? table.id}`;
      // A table with nothing in it gets no chart (an empty plot says less than the table's zeros).
      const chart =
        table.grandTotal === 0 || spec?.chart === undefined ? undefined : chartOf(spec.chart, table);
      const notes = spec?.notes?.(national) ?? [];
      return {
        heading: title,
        table,
        ...(chart === undefined ? {} : { chart }),
        ...(notes.length ? { notes } : {}),
      };
    }),
  ];
  return renderReportHtml({
    title: 'Modern slavery and human trafficking: monthly national picture',
    month: national.month,
    tier: national.tier,
    sections,
    policy,
  });
};
