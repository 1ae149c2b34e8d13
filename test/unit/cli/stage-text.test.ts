import { describe, expect, it } from 'vitest';
import { stageText } from '../../../cli/commands/upload.ts';
import type { UploadProgress, UploadStatusObject } from '../../../schemas/index.ts';

const upload = (status: UploadStatusObject['status'], accepted: number): UploadStatusObject => ({
  uploadId: 'u1',
  org: 'PF-E23000001',
  period: '2026-10',
  key: 'incoming/PF-E23000001/2026-10/subjects.csv',
  fileName: 'subjects.csv',
  recordType: 'subject',
  format: 'csv',
  sizeBytes: 10,
  status,
  counts: { rows: accepted + 2, accepted, warnings: 0, rejected: 2, indexed: 0 },
  receivedAt: '2026-11-01T00:00:00.000Z',
  schemaVersion: 1,
});
const progress = (indexed: number, accepted?: number): UploadProgress => ({
  uploadId: 'u1',
  org: 'PF-E23000001',
  indexed,
  ...(accepted === undefined ? {} : { accepted }),
  at: '2026-11-01T00:01:00.000Z',
});

describe('the stage msht upload shows while it waits', () => {
  it('goes received, reading (with what is indexed so far), validated and indexed n of N', () => {
    expect(stageText(upload('RECEIVED', 0))).toBe('received, waiting to be read');
    expect(stageText(upload('PROCESSING', 0))).toBe('reading and validating');
    expect(stageText(upload('PROCESSING', 0), progress(2_000))).toBe(
      'reading and validating; 2,000 records indexed so far',
    );
    expect(stageText(upload('QUEUED', 98_000))).toBe(
      'validated (98,000 accepted, 2 rejected); indexed 0 of 98,000',
    );
    expect(stageText(upload('QUEUED', 98_000), progress(12_500, 98_000))).toBe(
      'validated (98,000 accepted, 2 rejected); indexed 12,500 of 98,000',
    );
  });

  it('never shows more indexed than accepted, whatever a progress object says', () => {
    expect(stageText(upload('QUEUED', 10), progress(12, 10))).toMatch(/indexed 10 of 10$/);
  });
});
