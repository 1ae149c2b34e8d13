/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildReports } from './report-fixture.ts';

/**
 * `npm run test:browser`: renders both tiers of a generated month's report.html in Debian's Chromium
 * (headless, no network, no browser download), takes full-page screenshots and checks that every chart
 * has drawn marks and that nothing overflows the page, its figure or its SVG viewport.
 */
const EXECUTABLE = process.env.MSHT_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface PageReport {
  readonly charts: number;
  readonly chartsWithoutMarks: string[];
  readonly overflows: string[];
  readonly pageOverflow: boolean;
  readonly externalRequests: number;
}

const inspect = (): PageReport => {
  const charts = Array.from(document.querySelectorAll<SVGSVGElement>('svg.chart'));
  const chartsWithoutMarks: string[] = [];
  const overflows: string[] = [];
  const visible = (el: Element) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  for (const svg of charts) {
    const name = svg.querySelector('title')?.textContent ?? '(untitled chart)';
    const marks = Array.from(svg.querySelectorAll('g rect, g circle, g polyline')).filter(
      (el) => !el.closest('defs') && visible(el),
    );
    if (marks.length === 0) chartsWithoutMarks.push(name);
    const frame = svg.getBoundingClientRect();
    const figure = svg.closest('figure')?.getBoundingClientRect();
    if (figure !== undefined && (frame.right > figure.right + 1 || frame.left < figure.left - 1)) {
      overflows.push(`${name}: chart wider than its figure`);
    }
    for (const element of Array.from(svg.querySelectorAll('text, rect, circle, polyline, line'))) {
      if (element.closest('defs')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (
        box.left < frame.left - 1 ||
        box.right > frame.right + 1 ||
        box.top < frame.top - 1 ||
        box.bottom > frame.bottom + 1
      ) {
        overflows.push(
          `${name}: <${element.tagName}> "${(element.textContent ?? '').slice(0, 30)}" outside the chart`,
        );
      }
    }
  }
  const root = document.documentElement;
  return {
    charts: charts.length,
    chartsWithoutMarks,
    overflows,
    pageOverflow: root.scrollWidth > root.clientWidth + 1,
    externalRequests: performance.getEntriesByType('resource').length,
  };
};

const main = async (): Promise<void> => {
  assert.ok(existsSync(EXECUTABLE), `${EXECUTABLE} is missing: apt-get install -y chromium`);
  const reports = await buildReports();
  const work = await mkdtemp(join(tmpdir(), 'msht-browser-'));
  const out = process.env.MSHT_BROWSER_OUT ?? join(tmpdir(), 'msht-browser-screenshots');
  await mkdir(out, { recursive: true });
  // A fresh profile folder each run (Playwright takes it as launchPersistentContext's userDataDir).
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: EXECUTABLE,
    headless: true,
    offline: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  let failures = 0;
  try {
    for (const tier of ['internal', 'shareable'] as const) {
      const file = join(work, `report-${tier}.html`);
      await writeFile(file, reports[tier]);
      for (const viewport of VIEWPORTS) {
        const page = await context.newPage();
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        let requests = 0;
        page.on('request', (request) => {
          if (!request.url().startsWith('file:')) requests += 1;
        });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const shot = join(out, `report-${reports.month}-${tier}-${viewport.name}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        const result = await page.evaluate(inspect);
        const label = `${tier} @ ${viewport.name}`;
        const problems = [
          ...(result.charts < 10 ? [`only ${result.charts} charts`] : []),
          ...result.chartsWithoutMarks.map((name) => `no marks drawn: ${name}`),
          ...result.overflows,
          ...(result.pageOverflow ? ['the page scrolls sideways'] : []),
          ...(requests + result.externalRequests > 0 ? ['the page made network requests'] : []),
        ];
        if (problems.length === 0)
          process.stdout.write(`ok   ${label}: ${result.charts} charts, screenshot ${shot}\n`);
        else {
          failures += 1;
          process.stdout.write(`FAIL ${label}:\n  ${problems.slice(0, 40).join('\n  ')}\n`);
        }
        await page.close();
      }
    }
    // Control: the same checks must catch a chart drawn outside its viewport and a chart with no marks.
    const broken = reports.shareable
      .replace('</svg>', '<text x="5000" y="10">overflowing label</text></svg>')
      .replace(
        '</main>',
        '<figure><svg class="chart" viewBox="0 0 10 10"><title>empty chart</title></svg></figure></main>',
      );
    const control = join(work, 'report-broken.html');
    await writeFile(control, broken);
    const page = await context.newPage();
    await page.goto(pathToFileURL(control).href, { waitUntil: 'load' });
    const caught = await page.evaluate(inspect);
    await page.close();
    if (caught.overflows.length === 0 || !caught.chartsWithoutMarks.includes('empty chart')) {
      failures += 1;
      process.stdout.write('FAIL control: the checks did not catch a broken report\n');
    } else process.stdout.write('ok   control: a broken report is caught\n');
  } finally {
    await context.close();
    await rm(work, { recursive: true, force: true });
  }
  if (failures > 0) {
    process.stdout.write(`${failures} browser check(s) failed\n`);
    process.exitCode = 1;
  } else process.stdout.write('browser checks passed\n');
};

await main();
