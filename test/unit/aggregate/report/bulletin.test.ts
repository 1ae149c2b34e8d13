import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateRecords } from '../../../../functions/aggregate/aggregate-core.ts';
import type { HistoryMonth } from '../../../../functions/aggregate/read/history.ts';
import { selectUploads } from '../../../../functions/aggregate/read/select-uploads.ts';
import { mainPoints } from '../../../../functions/aggregate/report/main-points.ts';
import { compareTableIds } from '../../../../functions/aggregate/report/order.ts';
import { EXPECTED_ORGANISATIONS } from '../../../../functions/aggregate/tables/coverage.ts';
import type { NationalPicture } from '../../../../schemas/aggregate/national.ts';
import { DEFAULT_PUBLICATION_SETTINGS, nextReleaseDate } from '../../../../schemas/aggregate/publication.ts';
import { fixtureUploads, markerFacts, monthRecords } from '../../../browser/report-fixture.ts';

const RELEASE = {
  dataCutOff: '2026-11-06T03:00:12.000Z',
  publishedOn: '2026-11-06',
  nextRelease: '2026-12-06',
  publication: { ...DEFAULT_PUBLICATION_SETTINGS, methodsNotes: ['A methods note from the settings.'] },
};

/** Two months (so the second has month-on-month change) of a sparse fixture with many [c]. */
const aggregate = async (size = 160) => {
  const history: HistoryMonth[] = [];
  let last: Awaited<ReturnType<typeof aggregateRecords>> | undefined;
  for (const month of ['2026-09', '2026-10']) {
    last = await aggregateRecords({
      month,
      records: monthRecords(month, size),
      uploads: selectUploads(fixtureUploads(month), month),
      markers: markerFacts(month),
      history,
      lateAfter: '2099-01-01T00:00:00.000Z',
      release: RELEASE,
    });
    history.push({ month, internal: last.tiers.internal.national, shareable: last.tiers.shareable.national });
  }
  if (last === undefined) throw new Error('no month');
  return last;
};

const result = await aggregate();
const html = (tier: 'internal' | 'shareable') => result.tiers[tier].files.get('report.html') ?? '';

/** Every number a main point may quote: published values, whole percentages of two of them, org counts. */
const allowedNumbers = (national: NationalPicture): Set<number> => {
  const s = national.submitters;
  // Counts of organisations (not of people), the year, and the revision number.
  const allowed = new Set<number>([
    EXPECTED_ORGANISATIONS.length,
    s.submitted.length,
    s.submitted.length - s.noneCounted.length,
    s.nothingSubmitted.length + s.noneCounted.length,
    s.late.length,
    Number(national.month.slice(0, 4)),
    Number(national.month.slice(0, 4)) - 1,
  ]);
  const published: number[] = [];
  for (const t of national.tables)
    for (const v of [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal])
      if (typeof v === 'number') published.push(v);
  for (const h of national.headline)
    for (const v of [h.value, h.previous, h.change, h.changePercent])
      if (typeof v === 'number') published.push(Math.abs(v));
  for (const v of published) allowed.add(v);
  for (const t of national.tables)
    for (const whole of [t.grandTotal])
      if (typeof whole === 'number' && whole > 0)
        for (const v of [...t.rowTotals, ...t.columnTotals])
          if (typeof v === 'number') allowed.add(Math.round((100 * v) / whole));
  return allowed;
};

/** The numbers a sentence quotes (a label's own number, "Home Office class 106", is not a figure). */
const numbersIn = (text: string): number[] =>
  (text.replace(/class 106/g, '').match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replace(/,/g, '')));

describe('the bulletin (report.html)', () => {
  it('has its sections in A1-A9 order, A3r right after A3, each linked from the contents', () => {
    for (const tier of ['internal', 'shareable'] as const) {
      const page = html(tier);
      const ids = [...page.matchAll(/<h3 id="(A\d[a-z0-9]*)"/g)].map((m) => m[1] as string);
      expect(ids).toEqual([...ids].sort(compareTableIds));
      expect(ids.indexOf('A3r')).toBe(ids.indexOf('A3') + 1);
      expect(ids[0]).toBe('A1a');
      expect(ids.at(-1)).toBe('A9d');
      for (const id of ['main-points', 'coverage', 'revisions', 'headline', 'methods', ...ids])
        expect(page).toContain(`<a href="#${id}">`);
      // Contents, then main points, then coverage, before any table.
      expect(page.indexOf('id="contents"')).toBeLessThan(page.indexOf('id="main-points"'));
      expect(page.indexOf('id="main-points"')).toBeLessThan(page.indexOf('id="coverage"'));
      expect(page.indexOf('id="coverage"')).toBeLessThan(page.indexOf('id="A1a"'));
    }
  });

  it('states the release metadata from the settings, and none of it is in national.json', () => {
    for (const tier of ['internal', 'shareable'] as const) {
      const page = html(tier);
      expect(page).toContain('<dt>Data cut-off</dt><dd>6 November 2026, 03:00 UTC</dd>');
      expect(page).toContain('<dt>Publication date</dt><dd>6 November 2026</dd>');
      expect(page).toContain('<dt>Next release</dt><dd>6 December 2026 (November 2026 figures)</dd>');
      expect(page).toContain(`<dt>Run id</dt><dd>${result.tiers[tier].national.runId}</dd>`);
      expect(page).toContain(DEFAULT_PUBLICATION_SETTINGS.contact.email);
      expect(page).toContain('A methods note from the settings.');
      expect(page).toContain('This is the first publication of this month.');
      const json = result.tiers[tier].files.get('national.json') ?? '';
      expect(json).not.toContain('2026-11-06');
      expect(json).not.toContain(DEFAULT_PUBLICATION_SETTINGS.contact.email);
    }
  });

  it('gives the same run id whatever the publication date and cut-off', async () => {
    const again = await aggregateRecords({
      month: '2026-10',
      records: monthRecords('2026-10', 160),
      uploads: selectUploads(fixtureUploads('2026-10'), '2026-10'),
      markers: markerFacts('2026-10'),
      history: [],
      lateAfter: '2099-01-01T00:00:00.000Z',
    });
    const dated = await aggregateRecords({
      month: '2026-10',
      records: monthRecords('2026-10', 160),
      uploads: selectUploads(fixtureUploads('2026-10'), '2026-10'),
      markers: markerFacts('2026-10'),
      history: [],
      lateAfter: '2099-01-01T00:00:00.000Z',
      release: { ...RELEASE, publishedOn: '2027-01-01', dataCutOff: '2027-01-01T00:00:00.000Z' },
    });
    expect(dated.runId).toBe(again.runId);
    expect(dated.shareableRunId).toBe(again.shareableRunId);
    expect(dated.tiers.shareable.files.get('national.json')).toBe(
      again.tiers.shareable.files.get('national.json'),
    );
  });

  it('puts coverage first and shows regions whose organisations sent nothing as "not submitted", never 0', () => {
    const national = result.tiers.shareable.national;
    expect(national.submitters.submitted).toHaveLength(5);
    expect(national.submitters.nothingSubmitted.length).toBeGreaterThan(40);
    const a1a = national.tables.find((t) => t.id === 'A1a');
    expect(a1a?.notSubmitted).toContain('North East');
    expect(a1a?.notSubmitted).not.toContain('London');
    // national.json keeps the zeros the disclosure audit saw; every rendering says "not submitted".
    const r = a1a?.rows.indexOf('North East') ?? -1;
    expect(a1a?.cells[r]?.every((v) => v === 0)).toBe(true);
    expect(result.tiers.shareable.files.get('tables/A1a.csv')).toMatch(
      /North East,not submitted,not submitted/,
    );
    expect(html('shareable')).toMatch(
      /<th scope="row">North East<\/th><td class="not-submitted">not submitted/,
    );
    expect(html('shareable')).toContain('<strong>Not submitted (');
    expect(html('shareable')).toContain(
      'Late returns (received after the submission deadline) (1):</strong> National Crime Agency',
    );
    // A not-submitted row is only ever one whose published values are all 0: never a [c].
    for (const t of national.tables)
      for (const label of t.notSubmitted ?? []) {
        const i = t.rows.indexOf(label);
        expect([...(t.cells[i] ?? []), t.rowTotals[i]].every((v) => v === 0)).toBe(true);
      }
  });

  it('never quotes a suppressed value, or anything derived from one, in the shareable main points', () => {
    const national = result.tiers.shareable.national;
    const points = mainPoints(national);
    expect(points.length).toBeGreaterThan(3);
    expect(points[0]).toMatch(/^5 of the \d+ expected organisations/);
    // Property: whatever further values are suppressed, every number quoted is a published one.
    const entries = national.tables.flatMap((t, ti) =>
      t.cells.flatMap((row, r) => row.map((_, c) => [ti, r, c] as const)),
    );
    fc.assert(
      fc.property(
        fc.subarray(entries, { maxLength: 200 }),
        fc.subarray(national.headline.map((_, i) => i)),
        fc.boolean(),
        (cells, headlines, totals) => {
          const doc: NationalPicture = structuredClone(national);
          for (const [ti, r, c] of cells) (doc.tables[ti]?.cells[r] as unknown[])[c] = '[c]';
          if (totals) for (const t of doc.tables) t.rowTotals = t.rowTotals.map(() => '[c]' as const);
          for (const i of headlines) {
            const h = doc.headline[i];
            if (h !== undefined) Object.assign(h, { value: '[c]', change: '[c]', changePercent: '[c]' });
          }
          const allowed = allowedNumbers(doc);
          for (const point of mainPoints(doc))
            for (const n of numbersIn(point)) expect(allowed.has(n), `${n} in "${point}"`).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes no "-0%" and no change of -0 anywhere', () => {
    for (const tier of ['internal', 'shareable'] as const)
      expect(html(tier)).not.toMatch(/-0%|−0%|change -0/);
  });
});

describe('nextReleaseDate', () => {
  it('is the scheduled day of the month after next for a monthly cron, else undefined', () => {
    expect(nextReleaseDate('2026-10', 'cron(0 3 6 * ? *)')).toBe('2026-12-06');
    expect(nextReleaseDate('2026-12', 'cron(0 3 6 * ? *)')).toBe('2027-02-06');
    expect(nextReleaseDate('2026-10', 'rate(1 day)')).toBeUndefined();
    expect(nextReleaseDate('2026-10', 'cron(0 3 ? * MON *)')).toBeUndefined();
  });
});
