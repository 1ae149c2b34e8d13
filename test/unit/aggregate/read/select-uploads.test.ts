import { describe, expect, it } from 'vitest';
import { selectUploads } from '../../../../functions/aggregate/read/select-uploads.ts';
import type { UploadLedgerEntry } from '../../../../schemas/index.ts';

const entry = (uploadId: string, fileName: string, status: string, receivedAt: string, period = '2026-10') =>
  ({
    uploadId,
    org: 'PF-E23000001',
    period,
    key: `incoming/PF-E23000001/${period}/${fileName}`,
    fileName,
    recordType: 'subject',
    format: 'csv',
    sizeBytes: 10,
    status,
    counts: { rows: 3, accepted: 2, warnings: 0, rejected: 1, indexed: 2 },
    receivedAt,
    schemaVersion: 1,
    ...(status === 'QUEUED' || status === 'INDEXED'
      ? { curatedKey: `curated/record_type=subject/month=${period}/org=PF-E23000001/${uploadId}.jsonl.gz` }
      : {}),
  }) as UploadLedgerEntry;

describe('selectUploads', () => {
  it('counts the latest completed upload of each file and keeps split files', () => {
    // Prepare
    const entries = [
      entry('u1', 'subjects.csv', 'INDEXED', '2026-11-01T10:00:00.000Z'),
      entry('u2', 'subjects.csv', 'QUEUED', '2026-11-02T10:00:00.000Z'),
      entry('u3', 'objects-vehicles.csv', 'INDEXED', '2026-11-01T10:00:00.000Z'),
      entry('u4', 'objects-phones.csv', 'INDEXED', '2026-11-01T10:00:00.000Z'),
    ];
    // Act
    const selection = selectUploads(entries, '2026-10');
    // Assess
    expect(selection.counted.map((u) => u.uploadId)).toEqual(['u4', 'u3', 'u2']);
    expect(selection.superseded.map((u) => u.uploadId)).toEqual(['u1']);
  });

  it('never lets a failed or duplicate upload replace a completed one, and sorts out the rest', () => {
    // Prepare
    const entries = [
      entry('u1', 'subjects.csv', 'INDEXED', '2026-11-01T10:00:00.000Z'),
      entry('u2', 'subjects.csv', 'FAILED', '2026-11-03T10:00:00.000Z'),
      entry('u3', 'subjects.csv', 'DUPLICATE', '2026-11-04T10:00:00.000Z'),
      entry('u4', 'subjects.csv', 'PROCESSING', '2026-11-05T10:00:00.000Z'),
      entry('u5', 'subjects.csv', 'INDEXED', '2026-11-05T10:00:00.000Z', '2026-09'),
    ];
    // Act
    const selection = selectUploads(entries, '2026-10');
    // Assess
    expect(selection.counted.map((u) => u.uploadId)).toEqual(['u1']);
    expect(selection.failed.map((u) => u.uploadId)).toEqual(['u2']);
    expect(selection.duplicate.map((u) => u.uploadId)).toEqual(['u3']);
    expect(selection.inFlight.map((u) => u.uploadId)).toEqual(['u4']);
  });

  it('does not depend on the order of the ledger listing (same receipt time: the larger id wins)', () => {
    // Prepare
    const a = entry('ua', 'subjects.csv', 'INDEXED', '2026-11-01T10:00:00.000Z');
    const b = entry('ub', 'subjects.csv', 'INDEXED', '2026-11-01T10:00:00.000Z');
    // Act
    const one = selectUploads([a, b], '2026-10');
    const other = selectUploads([b, a], '2026-10');
    // Assess
    expect(one).toEqual(other);
    expect(one.counted.map((u) => u.uploadId)).toEqual(['ub']);
  });
});
