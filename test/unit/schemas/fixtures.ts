import type { NormaliseContext } from '../../../schemas/normalise/normalise-row.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

/** The context of a Metropolitan Police upload for October 2026, received 2 November 2026. */
export const CTX: NormaliseContext = {
  org: 'PF-E23000001',
  period: '2026-10',
  uploadId: 'upload-1',
  fileSha256: 'a'.repeat(64),
  rowNumber: 1,
  ingestedAt: '2026-11-02T10:00:00.000Z',
  pseudonymKey: TEST_KEY,
};

/** A minimal valid row of each record type. */
export const VALID_ROWS = {
  operation: {
    source_record_ref: 'OP-1',
    source_system: 'NICHE',
    threat_type: 'MODERN_SLAVERY',
    status: 'LIVE',
    opened_on: '2026-03-14',
  },
  subject: { source_record_ref: 'P-1', source_system: 'NICHE', roles: 'POTENTIAL_VICTIM' },
  object: {
    source_record_ref: 'O-1',
    source_system: 'NICHE',
    object_type: 'VEHICLE',
    identifier: 'AB12 CDE',
  },
  location: {
    source_record_ref: 'L-1',
    source_system: 'NICHE',
    location_type: 'EXPLOITATION_SITE',
    postcode: 'b11aa',
  },
} as const;
