import { describe, expect, it } from 'vitest';
import { digestReport, renderDigest } from '../../../cli/report-view.ts';
import { createReportWriter } from '../../../functions/ingest/report.ts';
import { memorySink } from '../../../functions/ingest/text-sink.ts';

/** A report as ingest writes it, with `n` issues cycling through three codes. */
const report = async (n: number): Promise<string> => {
  const json = memorySink();
  const writer = createReportWriter({ json, csv: memorySink() }, { file: 'subjects.csv', org: 'NA-NCA' });
  const codes = ['INVALID_DATE', 'ORG_MISMATCH', 'NATIONALITY_UNRECOGNISED'] as const;
  for (let i = 0; i < n; i++) {
    const code = codes[i % 3] as (typeof codes)[number];
    await writer.add(i + 1, code === 'NATIONALITY_UNRECOGNISED' ? 'warning' : 'error', {
      field: 'f',
      code,
      message: `message, with "quotes" ${i}`,
    });
  }
  await writer.finish({ status: 'INDEXED' });
  return json.text();
};

const chunks = async function* (text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
};

describe('digestReport', () => {
  it('keeps the first issues in row order and counts every issue by code, whatever the chunking', async () => {
    const text = await report(10);
    for (const size of [1, 7, 1 << 16]) {
      const digest = await digestReport(chunks(text, size), 4);
      expect(digest.total).toBe(10);
      expect(digest.byCode).toEqual({ INVALID_DATE: 4, ORG_MISMATCH: 3, NATIONALITY_UNRECOGNISED: 3 });
      expect(digest.first.map((e) => [e.row, e.code])).toEqual([
        [1, 'INVALID_DATE'],
        [2, 'ORG_MISMATCH'],
        [3, 'NATIONALITY_UNRECOGNISED'],
        [4, 'INVALID_DATE'],
      ]);
      expect(digest.first[0]?.message).toBe('message, with "quotes" 0');
    }
  });

  it('reads a report with no issues', async () => {
    const digest = await digestReport(chunks(await report(0), 5), 10);
    expect(digest).toEqual({ first: [], total: 0, byCode: {} });
    expect(renderDigest(digest)).toBe('No rejected rows and no warnings.');
  });

  it('says when it shows only the first issues', async () => {
    const rendered = renderDigest(await digestReport(chunks(await report(5), 100), 2));
    expect(rendered.split('\n')[0]).toBe('Issues (the first 2 of 5; the report has them all):');
    expect(rendered.split('\n').at(-1)).toBe(
      'By code: INVALID_DATE 2, NATIONALITY_UNRECOGNISED 1, ORG_MISMATCH 2',
    );
  });
});
