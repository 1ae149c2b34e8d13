import { describe, expect, it } from 'vitest';
import { suppressTable } from '../../../../functions/aggregate/disclosure/suppress.ts';
import { createOneWayTable, toInternalTable } from '../../../../functions/aggregate/disclosure/table.ts';
import { barChartOfRowTotals, stackedBarOfTable } from '../../../../functions/aggregate/report/chart-spec.ts';
import { escapeHtml } from '../../../../functions/aggregate/report/escape.ts';
import {
  formatMonth,
  type ReportInput,
  renderReportHtml,
} from '../../../../functions/aggregate/report/html-report.ts';
import { renderTableHtml } from '../../../../functions/aggregate/report/html-table.ts';
import { MshtError } from '../../../../functions/shared/errors.ts';
import { table } from '../fixtures.ts';

const source = table(
  'A2',
  [
    [5, 20, 30],
    [40, 50, 60],
    [25, 35, 45],
  ],
  { rows: ['Sexual', 'Labour', 'Criminal'], columns: ['Female', 'Male', 'Unknown'] },
);
const shared = suppressTable(source).table;

const errorCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MshtError) return error.code;
    throw error;
  }
  throw new Error('expected an MshtError');
};

const shareable = (overrides: Partial<ReportInput> = {}): ReportInput => ({
  title: 'MSHT national picture',
  month: '2026-10',
  tier: 'shareable',
  sections: [
    {
      heading: 'Potential victims',
      table: shared,
      chart: stackedBarOfTable(shared),
      notes: ['Provisional.'],
    },
  ],
  ...overrides,
});

describe('renderReportHtml', () => {
  it('renders a complete, self-contained HTML5 document with the shareable banner and methods note', () => {
    // Act
    const html = renderReportHtml(shareable());

    // Assess
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(
      escapeHtml('OFFICIAL \u2014 small numbers suppressed ([c]) and counts rounded to the nearest 5'),
    );
    expect(html.split('class="banner banner-shareable"').length - 1).toBe(2); // top and bottom
    expect(html).toContain('<title>MSHT national picture \u2014 October 2026</title>');
    expect(html).toContain('<h3>Disclosure control</h3>');
    expect(html).toContain('rounded to the nearest 5');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src=|href="http|@import|url\(http/i);
    expect(html).toContain('figure svg{display:block;width:100%;max-width:100%;height:auto}');
  });

  it('renders tables accessibly with [c] for suppressed values', () => {
    const html = renderReportHtml(shareable());

    expect(html).toContain('id="caption-A2">Table A2.');
    expect(html).toContain('<th scope="col" class="num">Female</th>');
    expect(html).toContain('<th scope="row">Sexual</th>');
    expect(html).toContain('<abbr title="suppressed to protect small numbers">[c]</abbr>');
    expect(html).toContain('<tfoot><tr><th scope="row">Total</th>');
  });

  it('renders the internal tier with its banner and exact counts', () => {
    const html = renderReportHtml({
      title: 'MSHT national picture',
      month: '2026-10',
      tier: 'internal',
      sections: [
        {
          heading: 'Potential victims',
          table: toInternalTable(source),
          chart: barChartOfRowTotals(toInternalTable(source)),
        },
      ],
    });

    expect(html).toContain('OFFICIAL-SENSITIVE \u2014 national team only, exact counts');
    expect(html).toContain('banner-internal');
    expect(html).toContain('<td class="num">5</td>');
    expect(html).not.toContain('[c]</abbr>');
  });

  it('escapes every piece of text it is given', () => {
    // Prepare
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const hostile = suppressTable(
      table('X', [[50, 60]], { rows: [evil], columns: [`${evil}1`, `${evil}2`] }),
    ).table;
    const input: ReportInput = {
      title: evil,
      month: evil,
      tier: 'shareable',
      sections: [
        {
          heading: evil,
          table: { ...hostile, title: evil, rowDimension: evil, columnDimension: evil },
          chart: { ...barChartOfRowTotals(hostile), title: evil, xLabel: evil, yLabel: evil },
          notes: [evil],
        },
      ],
    };

    // Act
    const html = renderReportHtml(input);

    // Assess
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"\'&<');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });

  it('refuses internal tables, unrounded audit views and unrounded chart values in a shareable report', () => {
    const exact = suppressTable(source).exactView;

    expect(
      errorCode(() =>
        renderReportHtml(shareable({ sections: [{ heading: 'h', table: toInternalTable(source) }] })),
      ),
    ).toBe('REPORT_TIER_MISMATCH');
    expect(errorCode(() => renderReportHtml(shareable({ sections: [{ heading: 'h', table: exact }] })))).toBe(
      'REPORT_TIER_MISMATCH',
    );
    for (const chart of [
      stackedBarOfTable(toInternalTable(source)),
      { ...barChartOfRowTotals(shared), values: [55, 152, 105] },
    ]) {
      expect(
        errorCode(() => renderReportHtml(shareable({ sections: [{ heading: 'h', table: shared, chart }] }))),
      ).toBe('REPORT_TIER_MISMATCH');
    }
  });
});

describe('renderTableHtml', () => {
  it('renders a one-way table without a repeated row-total column', () => {
    const oneWay = suppressTable(
      createOneWayTable({
        id: 'N',
        title: 'Nationality',
        dimension: 'Nationality',
        categories: ['UK', 'Other'],
        counts: [12, 40],
      }),
    ).table;

    const html = renderTableHtml(oneWay);

    expect(html).toContain(
      '<thead><tr><th scope="col">Nationality</th><th scope="col" class="num">Count</th></tr></thead>',
    );
    expect(html).toContain('<tfoot><tr><th scope="row">Total</th><td class="num">50</td></tr></tfoot>');
  });
});

describe('formatMonth', () => {
  it('names the month and leaves anything else as given', () => {
    expect(formatMonth('2026-01')).toBe('January 2026');
    expect(formatMonth('2026-13')).toBe('2026-13');
  });
});
