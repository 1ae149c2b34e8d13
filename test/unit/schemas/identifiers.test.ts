import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomPseudonymKey } from '../../../schemas/index.ts';
import {
  normaliseAccount,
  normaliseCroNumber,
  normalisePhone,
  normalisePncId,
  normaliseUkPostcode,
  normaliseVrm,
} from '../../../schemas/normalise/identifiers.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

describe('identifier normalisation', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700-900-123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['447700900123', '+447700900123'],
    ['+33 6 12 34 56 78', '+33612345678'],
  ])('writes phone %s as %s', (text, e164) => {
    // Assess
    expect(normalisePhone(text)).toEqual({ ok: true, value: e164 });
  });

  it('refuses text that is not a phone number', () => {
    // Assess
    expect(normalisePhone('call me maybe').ok).toBe(false);
    expect(normalisePhone('123').ok).toBe(false);
  });

  it('writes VRMs upper case without spaces', () => {
    // Assess
    expect(normaliseVrm('ab12 cde')).toEqual({ ok: true, value: 'AB12CDE' });
    expect(normaliseVrm('AB12-CDE')).toEqual({ ok: true, value: 'AB12CDE' });
    expect(normaliseVrm('AB12 CDE!').ok).toBe(false);
  });

  it('holds bank accounts only as a stable keyed digest, and keeps a digest of the same key version as it is', () => {
    // Act
    const a = normaliseAccount('12-34-56 12345678', TEST_KEY);
    const b = normaliseAccount('123456 12345678', TEST_KEY);
    const prehashed = normaliseAccount(
      `sha256:${createHash('sha256').update('UKACCOUNT:123456:12345678').digest('hex')}`,
      TEST_KEY,
    );

    // Assess
    expect(a).toEqual(b);
    expect(prehashed).toEqual(a);
    expect(a.ok && /^k1_[0-9a-f]{64}$/.test(a.value)).toBe(true);
    if (a.ok) expect(normaliseAccount(a.value, TEST_KEY)).toEqual(a);
    expect(normaliseAccount('12-34-56 12345678', randomPseudonymKey())).not.toEqual(a);
    expect(normaliseAccount('GB82 WEST 1234 5698 7654 32', TEST_KEY).ok).toBe(true);
    expect(normaliseAccount('12345', TEST_KEY).ok).toBe(false);
  });

  it('writes UK postcodes as OUTWARD INWARD', () => {
    // Assess
    expect(normaliseUkPostcode('sw1a1aa')).toEqual({ ok: true, value: 'SW1A 1AA' });
    expect(normaliseUkPostcode('B1  1AA')).toEqual({ ok: true, value: 'B1 1AA' });
    expect(normaliseUkPostcode('ZZZ').ok).toBe(false);
  });

  it('checks PNC IDs and CRO numbers', () => {
    // Assess
    expect(normalisePncId('2001/0123456x')).toEqual({ ok: true, value: '2001/0123456X' });
    expect(normalisePncId('01/123456X').ok).toBe(true);
    expect(normalisePncId('ABC').ok).toBe(false);
    expect(normaliseCroNumber('123456/01a')).toEqual({ ok: true, value: '123456/01A' });
  });
});
