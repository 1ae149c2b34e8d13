import { describe, expect, it } from 'vitest';
import {
  IntelGradingSchema,
  MarkerDraftSchema,
  MshtMarkerSchema,
  SubjectSchema,
  UploadLedgerEntrySchema,
} from '../../../schemas/index.ts';
import { normaliseRow } from '../../../schemas/normalise/normalise-row.ts';
import { CTX, VALID_ROWS } from './fixtures.ts';

const subject = () => {
  const outcome = normaliseRow('subject', { ...VALID_ROWS.subject }, CTX);
  if (outcome.status === 'REJECTED') throw new Error('fixture rejected');
  return outcome.record;
};

describe('canonical schemas', () => {
  it('are strict: an unknown field, such as a name, is refused', () => {
    // Assess
    expect(SubjectSchema.safeParse({ ...subject(), surname: 'Example' }).success).toBe(false);
  });

  it('accept only OFFICIAL records', () => {
    // Assess
    expect(
      SubjectSchema.safeParse({ ...subject(), classification: { tier: 'SECRET', sensitive: false } }).success,
    ).toBe(false);
  });

  it('require handling conditions with 3x5x2 handling code C', () => {
    // Assess
    expect(
      IntelGradingSchema.safeParse({ scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'C' })
        .success,
    ).toBe(false);
    expect(
      IntelGradingSchema.safeParse({
        scheme: '3x5x2',
        source: '1',
        intelligence: 'A',
        handling: 'C',
        handlingConditions: 'x',
      }).success,
    ).toBe(true);
  });

  it('describe a ledger entry, with sha256 optional until the object has been read', () => {
    // Prepare
    const entry = {
      uploadId: 'u1',
      org: 'PF-E23000001',
      period: '2026-10',
      key: 'incoming/PF-E23000001/2026-10/subjects.csv',
      fileName: 'subjects.csv',
      recordType: 'subject',
      format: 'csv',
      sizeBytes: 10,
      status: 'RECEIVED',
      counts: { rows: 0, accepted: 0, warnings: 0, rejected: 0, indexed: 0 },
      receivedAt: '2026-11-02T10:00:00.000Z',
      schemaVersion: 1,
    };

    // Assess
    expect(UploadLedgerEntrySchema.safeParse(entry).success).toBe(true);
    expect(UploadLedgerEntrySchema.safeParse({ ...entry, status: 'LOST' }).success).toBe(false);
    expect(UploadLedgerEntrySchema.safeParse({ ...entry, sha256: 'x' }).success).toBe(false);
  });

  it('derive the marker draft from the marker, without id, status, PND sync or review dates', () => {
    // Assess
    const draftKeys = Object.keys(MarkerDraftSchema.shape);
    for (const key of ['markerId', 'status', 'pndSync', 'createdOn', 'reviewDueOn', 'lastReviewedOn'])
      expect(draftKeys).not.toContain(key);
    expect(draftKeys).toContain('contentHash');
    expect(Object.keys(MshtMarkerSchema.shape)).toEqual(
      expect.arrayContaining(['naturalKey', 'status', 'pndSync', 'reviewDueOn', 'mopiGroup']),
    );
  });
});
