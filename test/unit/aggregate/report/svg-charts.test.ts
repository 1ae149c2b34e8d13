import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../../functions/aggregate/report/chart-spec.ts';
import {
  renderChart,
  renderSvgBarChart,
  renderSvgLineChart,
  renderSvgStackedBar,
} from '../../../../functions/aggregate/report/svg-charts.ts';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

const selfContained = (svg: string): void => {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg).toMatch(/viewBox="0 0 (360|320) [\d.]+"/);
  expect(svg).toContain('role="img"');
  expect(svg).toContain('height:auto');
  expect(svg).not.toMatch(/<script|href=|@import|url\(http/i);
};

describe('renderSvgBarChart', () => {
  const spec = {
    kind: 'bar' as const,
    id: 'victims',
    title: 'Potential victims by exploitation type',
    xLabel: 'Exploitation type',
    yLabel: 'Potential victims',
    categories: ['Sexual', 'Labour', 'Criminal'],
    values: [120, '[c]' as const, 35],
  };

  it('draws an accessible, responsive, self-contained SVG with axis labels', () => {
    // Act
    const svg = renderSvgBarChart(spec);

    // Assess
    selfContained(svg);
    expect(svg).toContain('<title id="id-victims-title">Potential victims by exploitation type</title>');
    expect(svg).toContain('aria-labelledby="id-victims-title id-victims-desc"');
    expect(svg).toContain('>Exploitation type</text>');
    expect(svg).toContain('>Potential victims</text>');
    expect(svg).toContain('Sexual: 120; Labour: [c]; Criminal: 35');
  });

  it('draws a suppressed value as a hatched [c] stub and never as a number', () => {
    const svg = renderSvgBarChart(spec);

    expect(count(svg, /fill="url\(#id-victims-hatch\)"/g)).toBe(2); // the stub and its legend key
    expect(svg).toContain('<title>Labour: [c] (suppressed)</title>');
    expect(svg).toContain('[c] suppressed (not to scale)');
    expect(count(svg, /<rect [^>]*fill="#0072B2"/g)).toBe(2); // only the two published bars are drawn to scale
  });

  it('escapes labels', () => {
    const svg = renderSvgBarChart({
      ...spec,
      title: '<script>alert(1)</script>',
      categories: ['a&b', '"x"', "<i>'"],
    });

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a&amp;b');
    expect(svg).toContain('&quot;x&quot;');
    expect(svg).toContain('&lt;i&gt;&#39;');
  });
});

describe('renderSvgLineChart', () => {
  it('breaks a trend line at a suppressed month and marks it [c]', () => {
    const svg = renderSvgLineChart({
      kind: 'line',
      title: 'Monthly NRM referrals',
      xLabel: 'Month',
      yLabel: 'Referrals',
      periods: ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11'],
      series: [
        { name: 'Adults', values: [40, 45, '[c]', 50, 55] },
        { name: 'Children', values: [20, 25, 30, 35, 40] },
      ],
    });

    selfContained(svg);
    expect(count(svg, /<polyline/g)).toBe(3);
    expect(svg).toContain('<title>Adults, September 2026: [c] (suppressed)</title>');
    expect(count(svg, /<circle/g)).toBe(9);
    expect(svg).toContain('>Adults</text>');
    expect(svg).toContain('>Children</text>');
  });
});

describe('renderSvgStackedBar', () => {
  it('stacks published segments and caps bars with suppressed ones with a [c] stub naming them', () => {
    const svg = renderSvgStackedBar({
      kind: 'stacked-bar',
      title: 'By sex',
      xLabel: 'Exploitation type',
      yLabel: 'Count',
      categories: ['Sexual', 'Labour'],
      series: [
        { name: 'Female', values: [100, 20] },
        { name: 'Male', values: ['[c]', 60] },
      ],
    });

    selfContained(svg);
    expect(svg).toContain('<title>Sexual, Male: [c] (suppressed)</title>');
    expect(count(svg, /<rect x="[^>]*fill="#/g)).toBe(3 + 2); // three segments and two legend keys
  });

  it('is reachable through renderChart', () => {
    const svg = renderChart({
      kind: 'stacked-bar',
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      categories: ['a'],
      series: [{ name: 's', values: [10] }],
    });

    expect(svg).toContain('Horizontal stacked bar chart. s: a: 10.');
  });
});

describe('niceTicks', () => {
  it('chooses round steps from zero to at least the maximum', () => {
    expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
  });
});
