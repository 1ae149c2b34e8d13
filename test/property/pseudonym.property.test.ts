import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPseudonymKey,
  KeyedDigestSchema,
  keyedDigest,
  keyVersionOf,
  PseudonymousRefSchema,
  pseudonymousRef,
} from '../../schemas/index.ts';

// Keyed pseudonyms (schemas/common/pseudonym.ts): HMAC-SHA256 under the key, with the key version in front.

const keyHex = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const version = fc.integer({ min: 1, max: 9999 });
const part = fc.string({ unit: 'grapheme', maxLength: 80 });
const parts = fc.array(part, { minLength: 1, maxLength: 4 });

describe('keyed pseudonyms', () => {
  it('are HMAC-SHA256 of the purpose and parts under the key, whatever the text (long and non-ASCII too)', () => {
    fc.assert(
      fc.property(keyHex, version, parts, fc.string({ maxLength: 2000 }), (key, v, ps, long) => {
        const k = createPseudonymKey({ version: v, key });
        const hmac = (text: string) =>
          createHmac('sha256', Buffer.from(key, 'hex')).update(text, 'utf8').digest('hex');
        expect(pseudonymousRef(k, ...ps)).toBe(`k${v}_${hmac(`ref|${ps.join('|')}`).slice(0, 32)}`);
        expect(keyedDigest(k, 'marker', long)).toBe(`k${v}_${hmac(`marker|${long}`)}`);
      }),
    );
  });

  it('are deterministic per key, carry the version, and differ between keys and purposes', () => {
    fc.assert(
      fc.property(keyHex, keyHex, version, parts, (a, b, v, ps) => {
        fc.pre(a !== b);
        const [ka, kaAgain, kb] = [
          createPseudonymKey({ version: v, key: a }),
          createPseudonymKey({ version: v, key: a }),
          createPseudonymKey({ version: v, key: b }),
        ];
        const ref = pseudonymousRef(ka, ...ps);
        expect(pseudonymousRef(kaAgain, ...ps)).toBe(ref);
        expect(pseudonymousRef(ka, ...ps)).toBe(ref);
        expect(pseudonymousRef(kb, ...ps)).not.toBe(ref);
        expect(PseudonymousRefSchema.safeParse(ref).success).toBe(true);
        expect(keyVersionOf(ref)).toBe(v);
        const natural = keyedDigest(ka, 'marker', ps.join('|'));
        expect(KeyedDigestSchema.safeParse(natural).success).toBe(true);
        expect(keyVersionOf(natural)).toBe(v);
        expect(natural).not.toBe(keyedDigest(ka, 'record', ps.join('|')));
      }),
    );
  });

  it('cannot be recomputed without the key: neither unkeyed sha256 nor an empty key gives them', () => {
    fc.assert(
      fc.property(keyHex, parts, (key, ps) => {
        const ref = pseudonymousRef(createPseudonymKey({ version: 1, key }), ...ps);
        const text = ps.join('|');
        const hex = ref.slice(3);
        for (const guess of [
          createHash('sha256').update(text).digest('hex').slice(0, 32),
          createHash('sha256').update(`ref|${text}`).digest('hex').slice(0, 32),
          createHmac('sha256', Buffer.alloc(0)).update(`ref|${text}`).digest('hex').slice(0, 32),
          createHmac('sha256', Buffer.alloc(32)).update(`ref|${text}`).digest('hex').slice(0, 32),
        ])
          expect(hex).not.toBe(guess);
      }),
    );
  });

  it('refuses a key that is not 256 bits of lower-case hex, and a version out of range', () => {
    expect(() => createPseudonymKey({ version: 1, key: 'ab' })).toThrow();
    expect(() => createPseudonymKey({ version: 1, key: 'A'.repeat(64) })).toThrow();
    expect(() => createPseudonymKey({ version: 0, key: '0'.repeat(64) })).toThrow();
    expect(() => createPseudonymKey({ version: 10_000, key: '0'.repeat(64) })).toThrow();
  });
});
