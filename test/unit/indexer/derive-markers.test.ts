import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveMarkers } from '../../../functions/indexer/derive-markers.ts';
import { type CanonicalRecord, MarkerDraftSchema, type RecordType } from '../../../schemas/index.ts';
import { normaliseRow } from '../../../schemas/normalise/normalise-row.ts';
import { TEST_KEY, TEST_PSEUDONYM_KEY_SECRET } from '../../support/pseudonym-key.ts';
import { CTX, VALID_ROWS } from '../schemas/fixtures.ts';

const record = (type: RecordType, extra: Record<string, unknown> = {}, ctx = CTX): CanonicalRecord => {
  const outcome = normaliseRow(type, { ...VALID_ROWS[type], ...extra }, ctx);
  if (outcome.status === 'REJECTED') throw new Error(JSON.stringify(outcome.issues));
  return outcome.record;
};

describe('deriveMarkers', () => {
  it('gives one marker per marked subject role; witnesses and associates are not marked', () => {
    // Act
    const markers = deriveMarkers(
      record('subject', { roles: 'victim;suspect;witness;associate;offender;pv' }),
      TEST_KEY,
    );

    // Assess
    expect(markers.map((m) => m.markerType)).toEqual([
      'MSHT_POTENTIAL_VICTIM',
      'MSHT_VICTIM',
      'MSHT_SUSPECT',
      'MSHT_OFFENDER',
    ]);
    expect(deriveMarkers(record('subject', { roles: 'witness' }), TEST_KEY)).toEqual([]);
  });

  it('marks vehicles, phones and exploitation sites; not other objects, locations or operations', () => {
    // Assess
    expect(deriveMarkers(record('object'), TEST_KEY).map((m) => m.markerType)).toEqual(['MSHT_VEHICLE']);
    expect(
      deriveMarkers(record('object', { object_type: 'phone', identifier: '07700 900123' }), TEST_KEY).map(
        (m) => m.markerType,
      ),
    ).toEqual(['MSHT_COMMS']);
    expect(deriveMarkers(record('object', { object_type: 'document', identifier: 'X1' }), TEST_KEY)).toEqual(
      [],
    );
    expect(deriveMarkers(record('location'), TEST_KEY).map((m) => m.markerType)).toEqual(['MSHT_PREMISES']);
    expect(deriveMarkers(record('location', { location_type: 'residence' }), TEST_KEY)).toEqual([]);
    expect(deriveMarkers(record('operation'), TEST_KEY)).toEqual([]);
  });

  it('uses the HMAC of marker|org|system|ref|markerType under the key as the natural key', () => {
    // Act
    const [marker] = deriveMarkers(record('subject'), TEST_KEY);

    // Assess
    expect(marker?.naturalKey).toBe(
      `k1_${createHmac('sha256', Buffer.from(TEST_PSEUDONYM_KEY_SECRET.key, 'hex'))
        .update('marker|PF-E23000001|NICHE|P-1|MSHT_POTENTIAL_VICTIM')
        .digest('hex')}`,
    );
    expect(marker?.naturalKey).not.toContain(
      createHash('sha256').update('PF-E23000001|NICHE|P-1|MSHT_POTENTIAL_VICTIM').digest('hex'),
    );
  });

  it('produces drafts that pass the schema, carry a pseudonymous ref and no personal identifiers', () => {
    // Prepare
    const subject = record('subject', {
      pnc_id: '2001/0123456X',
      cro_number: '123456/01A',
      passport_number: 'P1234567',
      nrm_reference: 'NRM-1',
      date_of_birth: '1990-01-01',
      classification: 'OFFICIAL',
    });

    // Act
    const [marker] = deriveMarkers(subject, TEST_KEY);

    // Assess
    expect(MarkerDraftSchema.safeParse(marker).success).toBe(true);
    expect(marker?.subjectRef).toMatch(/^k1_[0-9a-f]{32}$/);
    expect(JSON.stringify(marker)).not.toMatch(/0123456X|123456\/01A|P1234567|NRM-1|1990-01-01/);
    expect(marker?.classification.sensitive).toBe(true);
  });

  it('keeps the content hash when only provenance, period or as-at change, and changes it with content', () => {
    // Prepare
    const base = deriveMarkers(record('subject'), TEST_KEY)[0];
    const resubmitted = deriveMarkers(
      record(
        'subject',
        {},
        { ...CTX, uploadId: 'u2', rowNumber: 9, period: '2026-11', ingestedAt: '2026-12-01T00:00:00.000Z' },
      ),
      TEST_KEY,
    )[0];
    const changed = deriveMarkers(record('subject', { exploitation_types: 'labour' }), TEST_KEY)[0];

    // Assess
    expect(resubmitted?.contentHash).toBe(base?.contentHash);
    expect(changed?.contentHash).not.toBe(base?.contentHash);
  });

  it('holds no undefined values (DynamoDB marshalling)', () => {
    // Act
    const markers = deriveMarkers(record('subject', { roles: 'victim;suspect' }), TEST_KEY);

    // Assess
    const hasUndefined = (v: unknown): boolean =>
      v === undefined || (typeof v === 'object' && v !== null && Object.values(v).some(hasUndefined));
    expect(markers.some(hasUndefined)).toBe(false);
  });
});
