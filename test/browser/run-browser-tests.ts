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
  { name: 'desktop', width: 1100, height: 900 },
  { name: 'phone', width: 360, height: 800 },
] as const;

interface PageReport {
  readonly charts: number;
  readonly omitted: number;
  readonly chartsWithoutMarks: string[];
  readonly overflows: string[];
  readonly lowContrast: string[];
  readonly smallText: string[];
  readonly pageOverflow: boolean;
  readonly externalRequests: number;
}

const inspect = (): PageReport => {
  const charts = Array.from(document.querySelectorAll<SVGSVGElement>('svg.chart'));
  const chartsWithoutMarks: string[] = [];
  const overflows: string[] = [];
  const lowContrast: string[] = [];
  const smallText: string[] = [];
  // WCAG 2.2 relative luminance and contrast ratio (1.4.11: graphical objects at least 3:1).
  const luminance = (colour: string): number | undefined => {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
    if (m === null) return undefined;
    const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = luminance(getComputedStyle(document.body).backgroundColor) ?? 1;
  const frameScale = (svg: SVGSVGElement) => {
    const box = svg.viewBox.baseVal;
    return box === null || box.width === 0 ? 1 : svg.getBoundingClientRect().width / box.width;
  };
  const contrast = (l: number) => (Math.max(l, background) + 0.05) / (Math.min(l, background) + 0.05);
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
    // Every series colour: the fill of bars and points, the stroke of lines (hatched [c] marks excepted).
    for (const mark of marks) {
      if (mark.closest('g.suppressed')) continue;
      const style = getComputedStyle(mark);
      const paint = mark.tagName === 'polyline' ? style.stroke : style.fill;
      const l = luminance(paint);
      if (l !== undefined && contrast(l) < 3)
        lowContrast.push(`${name}: ${paint} is ${contrast(l).toFixed(2)}:1 against the background`);
    }
    // Text drawn smaller than 10 CSS px on screen is hard to read (the viewBox scales it down).
    const scale = frameScale(svg);
    for (const text of Array.from(svg.querySelectorAll('text'))) {
      const size = Number.parseFloat(getComputedStyle(text).fontSize) * scale;
      if (text.getBoundingClientRect().width > 0 && size < 10)
        smallText.push(`${name}: "${(text.textContent ?? '').slice(0, 30)}" drawn at ${size.toFixed(1)} px`);
    }
    // Category labels stay left of the bars they name.
    const axis = svg.querySelector('line.axis')?.getBoundingClientRect();
    for (const label of Array.from(svg.querySelectorAll('text.category'))) {
      if (axis !== undefined && label.getBoundingClientRect().right > axis.left + 1)
        overflows.push(`${name}: label "${(label.textContent ?? '').slice(0, 30)}" runs into the bars`);
    }
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
  // Nothing with text reaches past the right edge of the window, unless it scrolls inside its wrapper.
  for (const element of Array.from(document.querySelectorAll('main *'))) {
    if (element.closest('.table-wrap, svg') !== null) continue;
    if (!Array.from(element.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== ''))
      continue;
    if (element.getBoundingClientRect().right > window.innerWidth + 1)
      overflows.push(
        `<${element.tagName.toLowerCase()}> "${(element.textContent ?? '').slice(0, 30)}" past the window's edge`,
      );
  }
  // Text boxes of the page (metadata, main points, notes, table cells): nothing wider than its box.
  for (const element of Array.from(
    document.querySelectorAll(
      'main p, main li, main dd, main dt, main h1, main h2, main h3, main td, main th, main caption',
    ),
  )) {
    if (element.closest('.table-wrap') !== null && element.tagName !== 'CAPTION') continue;
    if (element.scrollWidth > element.clientWidth + 1)
      overflows.push(
        `<${element.tagName.toLowerCase()}> "${(element.textContent ?? '').slice(0, 30)}" wider than its box`,
      );
  }
  const root = document.documentElement;
  return {
    charts: charts.length,
    omitted: document.querySelectorAll('.chart-omitted').length,
    chartsWithoutMarks,
    overflows,
    lowContrast,
    smallText,
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
          ...result.lowContrast,
          ...result.smallText,
          ...(result.pageOverflow ? ['the page scrolls sideways'] : []),
          ...(requests + result.externalRequests > 0 ? ['the page made network requests'] : []),
        ];
        if (problems.length === 0)
          process.stdout.write(
            `ok   ${label}: ${result.charts} charts, ${result.omitted} replaced by a sentence, screenshot ${shot}\n`,
          );
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
        '<figure><svg class="chart" viewBox="0 0 10 10"><title>empty chart</title></svg></figure>' +
          '<figure><svg class="chart" viewBox="0 0 10 10"><title>pale chart</title><g><rect width="5" height="5" fill="#E69F00"/></g></svg></figure>' +
          '<p style="width:40px;white-space:nowrap;overflow:hidden">an overflowing paragraph of text</p></main>',
      );
    const control = join(work, 'report-broken.html');
    await writeFile(control, broken);
    const page = await context.newPage();
    await page.goto(pathToFileURL(control).href, { waitUntil: 'load' });
    const caught = await page.evaluate(inspect);
    await page.close();
    if (
      caught.overflows.length < 2 ||
      !caught.chartsWithoutMarks.includes('empty chart') ||
      !caught.lowContrast.some((problem) => problem.startsWith('pale chart'))
    ) {
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
