import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import { type FileJob, processFile } from '../../../functions/ingest/process-file.ts';
import { createReportWriter } from '../../../functions/ingest/report.ts';
import { memorySink } from '../../../functions/ingest/text-sink.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

const CSV = [
  'source_record_ref,source_system,org,as_at,roles,sex,nationality,classification',
  'NICHE-1,NICHE,PF-E23000001,2026-10-01T12:15:00Z,victim,female,VN,OFFICIAL-SENSITIVE',
  `NICHE-2,NICHE,PF-E23000001,2026-10-02T12:15:00Z,victim,male,${['VN', 'AL', 'RO', 'PL', 'ER', 'SD', 'IR', 'IQ', 'NG', 'CN', 'IN', 'PK'].join('|')},OFFICIAL`,
].join('\r\n');

const JOB: FileJob = {
  file: 'subjects.csv',
  recordType: 'subject',
  format: 'csv',
  org: 'PF-E23000001',
  period: '2026-10',
  uploadId: 'u-process',
  fileSha256: 'a'.repeat(64),
  encoding: 'utf-8',
  ingestedAt: '2026-11-02T10:00:00.000Z',
  pseudonymKey: TEST_KEY,
  limits: DEFAULT_LIMITS,
};

const run = async (job: FileJob) => {
  const curated = memorySink();
  const json = memorySink();
  const report = createReportWriter({ json, csv: memorySink() }, {});
  const outcome = await processFile(
    (async function* () {
      yield Buffer.from(CSV);
    })(),
    job,
    { curated, report },
  );
  await report.finish({});
  const entries = (JSON.parse(json.text()) as { entries: { row: number; code: string; message: string }[] })
    .entries;
  const records = curated
    .text()
    .split('\n')
    .filter((line) => line !== '');
  return { outcome, entries, records };
};

describe('processFile', () => {
  it('accepts every valid row into the curated output, one JSON line each', async () => {
    const { outcome, records } = await run(JOB);
    expect(outcome.counts).toEqual({ rows: 2, accepted: 2, warnings: 0, rejected: 0 });
    expect(records.map((line) => (JSON.parse(line) as { sourceRecordRef: string }).sourceRecordRef)).toEqual([
      'NICHE-1',
      'NICHE-2',
    ]);
  });

  it('rejects, with a reason, a row whose record is too large for one queue message', async () => {
    // The first record fits exactly; the second, with its long list of nationalities, does not.
    const { records: all } = await run(JOB);
    const limit = Buffer.byteLength(all[0] ?? '');
    expect(Buffer.byteLength(all[1] ?? '')).toBeGreaterThan(limit);
    const { outcome, entries, records } = await run({ ...JOB, maxRecordBytes: limit });
    expect(outcome.counts).toEqual({ rows: 2, accepted: 1, warnings: 0, rejected: 1 });
    expect(records).toEqual([all[0]]);
    expect(entries).toEqual([
      expect.objectContaining({ row: 2, code: 'TOO_LONG', message: expect.stringContaining(`${limit}`) }),
    ]);
    expect(outcome.issueCounts).toEqual({ TOO_LONG: 1 });
  });
});
