import { describe, expect, it } from 'vitest';
import { type AggregationInputs, aggregateRecords } from '../../../functions/aggregate/aggregate-core.ts';
import { selectUploads } from '../../../functions/aggregate/read/select-uploads.ts';
import { NationalPictureSchema, type NationalTable } from '../../../schemas/aggregate/national.ts';
import type { CanonicalRecord } from '../../../schemas/index.ts';
import { operation, subject } from './records.ts';

const MONTH = '2026-10';

const run = (records: CanonicalRecord[], extra: Partial<AggregationInputs> = {}) =>
  aggregateRecords({
    month: MONTH,
    records,
    uploads: selectUploads([], MONTH),
    markers: [],
    history: [],
    lateAfter: '2026-11-05T23:59:59.999Z',
    ...extra,
  });

const victims = (n: number, org = 'PF-E23000001') =>
  Array.from({ length: n }, (_, i) =>
    subject(org, `V${i}`, {
      sex: i % 3 === 0 ? 'MALE' : 'FEMALE',
      nationalities: [i % 4 === 0 ? 'ALB' : 'GBR'],
    }),
  );

const tableOf = (tables: readonly NationalTable[], id: string): NationalTable => {
  const table = tables.find((t) => t.id === id);
  if (table === undefined) throw new Error(`no table ${id}`);
  return table;
};

/** Every value of the tables: cells and totals. */
const publishedValues = (tables: readonly NationalTable[]) =>
  tables.flatMap((t) => [...t.cells.flat(), ...t.rowTotals, ...t.columnTotals, t.grandTotal]);

describe('aggregateRecords', () => {
  it('builds every table A1-A9 in the internal tier with exact counts that validate against the schema', async () => {
    // Prepare
    const records = [...victims(30), operation('PF-E23000001', 'OP1'), operation('PF-E23000005', 'OP2')];
    // Act
    const result = await run(records);
    // Assess
    const internal = NationalPictureSchema.parse(result.tiers.internal.national);
    const ids = internal.tables.map((t) => t.id);
    for (const id of ['A1a', 'A2a', 'A3', 'A3r', 'A4a', 'A5', 'A6a', 'A7a', 'A8a', 'A9a'])
      expect(ids).toContain(id);
    expect(tableOf(internal.tables, 'A2a').grandTotal).toBe(30);
    expect(tableOf(internal.tables, 'A1a').grandTotal).toBe(2);
    expect(tableOf(internal.tables, 'A6b').grandTotal).toBe(4);
    expect(internal.classification).toBe('OFFICIAL-SENSITIVE');
  });

  it('publishes in the shareable tier only [c], zero or multiples of 5 from 10, and no internal-only table', async () => {
    // Prepare
    const records = [...victims(37), ...victims(4, 'PF-E23000005'), operation('PF-E23000001', 'OP1')];
    // Act
    const result = await run(records);
    // Assess
    const shareable = NationalPictureSchema.parse(result.tiers.shareable.national);
    const values = publishedValues(shareable.tables);
    for (const value of values) {
      expect(value === '[c]' || value === 0 || (value >= 10 && value % 5 === 0)).toBe(true);
    }
    expect(shareable.tables.map((t) => t.id)).not.toContain('A1f');
    expect(shareable.nationalityCounts).toBeUndefined();
    expect(shareable.disclosure.every((group) => group.ok)).toBe(true);
    expect(result.tiers.shareable.files.get('report.html')).toContain(
      'OFFICIAL \u2014 small numbers suppressed',
    );
  });

  it('applies the disclosure policy it is given and states it in the report', async () => {
    // Prepare
    const records = [...victims(37), ...victims(4, 'PF-E23000005'), operation('PF-E23000001', 'OP1')];
    const policy = { threshold: 20, roundingBase: 10, minimumWidth: 2 };
    // Act
    const result = await run(records, { policy });
    const byDefault = await run(records);
    // Assess
    const shareable = NationalPictureSchema.parse(result.tiers.shareable.national);
    const values = publishedValues(shareable.tables);
    for (const value of values) {
      expect(value === '[c]' || value === 0 || (value >= 20 && value % 10 === 0)).toBe(true);
    }
    expect(shareable.linking.persons).toBe(40);
    const report = result.tiers.shareable.files.get('report.html') ?? '';
    expect(report).toContain('any count from 1 to 19 is suppressed');
    expect(report).toContain('rounded to the nearest 10');
    expect(byDefault.tiers.shareable.files.get('report.html')).toContain(
      'any count from 1 to 9 is suppressed',
    );
    expect(result.tiers.internal.national.tables).toEqual(byDefault.tiers.internal.national.tables);
  });

  it('counts a record repeated in two files once, in its newest version', async () => {
    // Prepare
    const older = subject(
      'PF-E23000001',
      'V1',
      { sex: 'FEMALE' },
      { asAt: '2026-10-01T00:00:00.000Z', uploadId: 'a' },
    );
    const newer = subject(
      'PF-E23000001',
      'V1',
      { sex: 'MALE' },
      { asAt: '2026-10-09T00:00:00.000Z', uploadId: 'b' },
    );
    // Act
    const result = await run([newer, older]);
    // Assess
    const a2a = tableOf(result.tiers.internal.national.tables, 'A2a');
    expect(a2a.grandTotal).toBe(1);
    expect(a2a.columnTotals[a2a.columns.indexOf('Male')]).toBe(1);
    const a9a = tableOf(result.tiers.internal.national.tables, 'A9a');
    expect(a9a.cells[0]).toEqual([1, 1, 0]);
  });

  it('states month-on-month change and sums the rolling 12 months from earlier outputs', async () => {
    // Prepare
    const september = await aggregateRecords({
      month: '2026-09',
      records: victims(20).map((v) => ({ ...v, period: '2026-09' })),
      uploads: selectUploads([], '2026-09'),
      markers: [],
      history: [],
      lateAfter: '2026-10-05T23:59:59.999Z',
    });
    const history = [
      {
        month: '2026-09',
        internal: september.tiers.internal.national,
        shareable: september.tiers.shareable.national,
      },
    ];
    // Act
    const result = await run(victims(30), { history });
    // Assess
    const internal = result.tiers.internal.national;
    expect(internal.headline.find((h) => h.id === 'victims')).toMatchObject({
      value: 30,
      previous: 20,
      change: 10,
      changePercent: 50,
    });
    expect(tableOf(internal.tables, 'A3r').grandTotal).toBe(50);
    expect(internal.rolling12).toEqual({ from: '2025-11', to: MONTH, monthsWithData: 2 });
    expect(internal.trend.months).toEqual(['2026-09', MONTH]);
    expect(internal.historyMonths).toEqual(['2026-09']);
  });

  it('is deterministic: the same records give the same run id and byte-identical files', async () => {
    // Prepare
    const records = [...victims(25), operation('PF-E23000001', 'OP1')];
    // Act
    const first = await run(records);
    const second = await run([...records].reverse());
    // Assess
    expect(second.runId).toBe(first.runId);
    expect([...second.tiers.shareable.files]).toEqual([...first.tiers.shareable.files]);
    expect([...second.tiers.internal.files]).toEqual([...first.tiers.internal.files]);
  });

  it('never writes identifiers into any output', async () => {
    // Prepare
    const records = [
      subject('PF-E23000001', 'A', { identifiers: { nrmReference: 'NRMSECRET1', pncId: '2001/0999999Z' } }),
      subject('PF-E23000005', 'B', { identifiers: { nrmReference: 'NRMSECRET1' } }),
    ];
    // Act
    const result = await run(records);
    // Assess
    for (const tier of ['internal', 'shareable'] as const) {
      for (const content of result.tiers[tier].files.values()) {
        expect(content).not.toContain('NRMSECRET1');
        expect(content).not.toContain('0999999');
      }
    }
    expect(result.linking.linksMade).toBe(1);
  });
});
