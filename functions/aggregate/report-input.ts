import type { NationalPicture } from '../../schemas/aggregate/national.ts';
import type { PublishedTable } from './disclosure/published.ts';
import type { InternalTable } from './disclosure/table.ts';
import { barChartOfRowTotals, type ChartSpec, formatValue, stackedBarOfTable } from './report/chart-spec.ts';
import { type ReportSection, renderReportHtml } from './report/html-report.ts';

type Table = PublishedTable | InternalTable;

/** Which chart each table gets in the report (tables not listed are shown without a chart). */
const CHARTS: Readonly<Record<string, (table: Table) => ChartSpec>> = {
  A2a: (t) => stackedBarOfTable(t, { title: 'Exploitation mix of potential victims, by sex' }),
  A2b: (t) =>
    stackedBarOfTable(t, { title: 'Exploitation mix of potential victims, by age at exploitation' }),
  A3: (t) => barChartOfRowTotals(t, { title: 'Nationalities of potential victims' }),
  A3r: (t) => barChartOfRowTotals(t, { title: 'Nationalities of potential victims, rolling 12 months' }),
  A4a: (t) => stackedBarOfTable(t, { title: 'Suspects and offenders by role and sex' }),
  A4b: (t) => stackedBarOfTable(t, { title: 'Suspects and offenders by age band and role' }),
  A4c: (t) => barChartOfRowTotals(t, { title: 'Nationalities of suspects and offenders' }),
  A5: (t) => stackedBarOfTable(t, { title: 'Sector and location of exploitation' }),
  A1a: (t) => stackedBarOfTable(t, { title: 'Operations by region and status at month end' }),
  A1d: (t) => stackedBarOfTable(t, { title: 'Operations opened in the month by region' }),
  A6b: (t) => barChartOfRowTotals(t, { title: 'NRM referrals by lead organisation' }),
  A7a: (t) => stackedBarOfTable(t, { title: 'Arrests by lead organisation and exploitation type' }),
  A8a: (t) => stackedBarOfTable(t, { title: 'Markers by type and PND sync state' }),
  A9a: (t) =>
    stackedBarOfTable(t, { title: 'Data quality by submitter: rows counted, duplicate and rejected' }),
};

const HEADINGS: Readonly<Record<string, string>> = {
  A1: 'Operations',
  A2: 'Potential victims',
  A3: 'Victim nationality',
  A4: 'Suspects and offenders',
  A5: 'Exploitation location and sector',
  A6: 'Crime recording against NRM referrals',
  A7: 'Outcomes',
  A8: 'Markers',
  A9: 'Data quality by submitter',
};

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

const rateNotes = (national: NationalPicture, prefix: string): string[] =>
  national.rates
    .filter((rate) => rate.id.startsWith(prefix))
    .map(
      (rate) =>
        `${rate.label}: ${rate.rows.map((row) => `${row.label} ${formatValue(row.percent)}%`).join('; ')}.`,
    );

const notesFor = (national: NationalPicture, table: Table): string[] => {
  switch (table.id) {
    case 'A3':
      return [
        'The United Kingdom is always shown as its own row (UK and non-UK nationals); the ten most common other ' +
          'nationalities follow, then all others.',
      ];
    case 'A3r':
      return [
        `Sum of the monthly counts of ${national.rolling12.monthsWithData} month(s) with outputs from ` +
          `${national.rolling12.from} to ${national.rolling12.to}: a person reported in two months counts in each.`,
      ];
    case 'A6b':
      return rateNotes(national, 'crimesPer100');
    case 'A9c':
      return [
        ...rateNotes(national, 'unknown-'),
        `Organisations that submitted nothing for the month: ${national.submitters.nothingSubmitted.length}` +
          ` (${national.submitters.nothingSubmitted.join(', ') || 'none'}).`,
        `Late submissions (received after the submission deadline): ${national.submitters.late.join(', ') || 'none'}.`,
      ];
    case 'A1f':
      return [
        'Internal tier only: organisations nest within regions, which the disclosure audit does not cover.',
      ];
    default:
      return [];
  }
};

/**
 * Renders the month's report.html for one tier: headline figures with month-on-month change and the monthly
 * trends chart, then every table of the tier with its chart (exploitation mix, age and sex, nationalities,
 * operations by region, data quality by submitter) and notes.
 */
export const renderMonthReport = (national: NationalPicture, tables: readonly Table[]): string => {
  const trend: ChartSpec = {
    kind: 'line',
    id: 'trends',
    title: 'Monthly trends',
    xLabel: 'Month',
    yLabel: 'Count',
    periods: national.trend.months,
    series: national.trend.series.map((series) => ({ name: series.label, values: series.values })),
  };
  const sections: ReportSection[] = [
    {
      heading: 'Headline figures and monthly trends',
      chart: trend,
      notes: [...headlineNotes(national), linkingNote(national)],
    },
    ...tables.map((table) => {
      const family = /^A\d/.exec(table.id)?.[0] ?? table.id;
      const title = `${table.id}. ${HEADINGS[family] ?? table.id}`;
      // A table with nothing in it gets no chart (an empty plot says less than the table's zeros).
      const chart = table.grandTotal === 0 ? undefined : CHARTS[table.id]?.(table);
      const notes = notesFor(national, table);
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
  });
};
