import { describe, expect, it } from 'vitest';
import { aggregateRecords } from '../../../../functions/aggregate/aggregate-core.ts';
import { selectUploads } from '../../../../functions/aggregate/read/select-uploads.ts';
import { subject } from '../records.ts';

const month = async () =>
  aggregateRecords({
    month: '2026-10',
    records: Array.from({ length: 40 }, (_, i) =>
      subject('PF-E23000001', `V${i}`, { sex: i % 2 ? 'MALE' : 'FEMALE' }),
    ),
    uploads: selectUploads([], '2026-10'),
    markers: [],
    history: [],
    lateAfter: '2026-11-05T23:59:59.999Z',
  });

describe('renderMonthReport', () => {
  it('opens with headline figures, the monthly trends chart and the number of links made', async () => {
    // Act
    const html = (await month()).tiers.internal.files.get('report.html') ?? '';
    // Assess
    expect(html).toContain('Headline figures and monthly trends');
    // One small chart per measure (small multiples), each on its own axis.
    expect(html).toContain(
      '<title id="id-chart-3-1-title">Potential victims (counted once nationally)</title>',
    );
    expect(html).toContain(
      '<title id="id-chart-3-2-title">Suspects and offenders (counted once nationally)</title>',
    );
    expect(html).toMatch(
      /Potential victims \(counted once nationally\)<\/th><td class="num">40<\/td><td class="num">n\/a<\/td><td>No earlier month/,
    );
    expect(html).toMatch(/linked into 40 persons, making 0 links/);
  });

  it('draws a chart for each table with data and none for an empty table', async () => {
    // Act
    const html = (await month()).tiers.shareable.files.get('report.html') ?? '';
    // Assess
    expect(html).toContain('Exploitation mix of potential victims, by sex');
    expect(html).toContain('Data quality by submitter');
    expect(html).not.toContain('Markers by type and PND sync state</title>');
    expect(html).not.toMatch(/<script/i);
  });
});
