import { describe, expect, it } from 'vitest';
import {
  createReportWriter,
  csvCell,
  neutraliseFormula,
  truncateValue,
} from '../../../functions/ingest/report.ts';
import { memorySink } from '../../../functions/ingest/text-sink.ts';

describe('CSV cells', () => {
  it.each(['=SUM(A1:A2)', '+44 7700', '-1', '@cmd', '\tx'])('neutralises formula-like cell %j', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it('leaves ordinary text alone and quotes commas, quotes and newlines', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
  });

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
    await report.add(3, 'error', {
      field: 'sex',
      code: 'INVALID_VALUE',
      message: 'bad, really',
      value: '=1+1',
    });
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
    expect(csv.text().split('\r\n')).toEqual([
      'row,severity,field,code,message,value',
      `3,error,sex,INVALID_VALUE,"bad, really",'=1+1`,
      '7,warning,nationality,NATIONALITY_UNRECOGNISED,unknown,',
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
