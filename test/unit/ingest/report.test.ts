import { describe, expect, it } from 'vitest';
import { createReportWriter, truncateValue } from '../../../functions/ingest/report.ts';
import { memorySink } from '../../../functions/ingest/text-sink.ts';

describe('report values', () => {
  it('truncates long offending values', () => {
    expect(truncateValue('x'.repeat(100))).toHaveLength(64);
    expect(truncateValue('short')).toBe('short');
  });
});

describe('createReportWriter', () => {
  it('writes the same entries as valid JSON and as CSV', async () => {
    // Prepare
    const json = memorySink();
    const csv = memorySink();
    const report = createReportWriter({ json, csv }, { uploadId: 'u1', org: 'NA-NCA' });
    // Act
    await report.add(
      3,
      'error',
      { field: 'sex', code: 'INVALID_VALUE', message: 'bad, really', value: '=1+1' },
      { line: 5, sourceRecordRef: ' P-3 ' },
    );
    await report.add(7, 'warning', {
      field: 'nationality',
      code: 'NATIONALITY_UNRECOGNISED',
      message: 'unknown',
    });
    await report.finish({ status: 'QUEUED' });
    // Assess
    const parsed = JSON.parse(json.text());
    expect(parsed.uploadId).toBe('u1');
    expect(parsed.entries).toEqual([
      {
        row: 3,
        line: 5,
        sourceRecordRef: 'P-3',
        severity: 'error',
        field: 'sex',
        code: 'INVALID_VALUE',
        message: 'bad, really',
        value: '=1+1',
      },
      {
        row: 7,
        severity: 'warning',
        field: 'nationality',
        code: 'NATIONALITY_UNRECOGNISED',
        message: 'unknown',
      },
    ]);
    expect(parsed.summary).toEqual({ status: 'QUEUED' });
    // With a byte order mark, so that Excel reads it as UTF-8; the line first, where to look in the file.
    expect(csv.text().startsWith('\uFEFF')).toBe(true);
    expect(csv.text().slice(1).split('\r\n')).toEqual([
      'line,row,source_record_ref,severity,field,code,message,value',
      `5,3,P-3,error,sex,INVALID_VALUE,"bad, really",'=1+1`,
      ',7,,warning,nationality,NATIONALITY_UNRECOGNISED,unknown,',
      '',
    ]);
  });

  it('writes an empty but valid report when nothing was wrong', async () => {
    const json = memorySink();
    const csv = memorySink();
    const report = createReportWriter({ json, csv }, {});
    await report.finish({ status: 'QUEUED' });
    expect(JSON.parse(json.text())).toEqual({ entries: [], summary: { status: 'QUEUED' } });
  });
});
