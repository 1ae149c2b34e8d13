import { hash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Keyed pseudonyms: every pseudonymous reference and natural key is HMAC-SHA256 (RFC 2104) under a
 * 256-bit secret, written after the version of the key that made it: `k{version}_{hex}`, e.g.
 * `k1_3f2a…` (32 hex characters for a reference, 64 for a natural key). Without the key a reference
 * can be neither reversed nor recomputed from a source record reference; with the version a consumer
 * can tell references made under different keys apart (docs/feed.md, "References"; rotation in
 * docs/deploy.md, "Rotating the pseudonym key").
 */

/** The highest key version: four digits in references. */
export const MAX_KEY_VERSION = 9999;

/** A key version, as it is set (`StageSettings.pseudonyms.keyVersion`) and stored in the secret. */
export const KeyVersionNumberSchema = z.number().int().min(1).max(MAX_KEY_VERSION);

const VERSION_PREFIX = 'k[1-9][0-9]{0,3}_';

/** A pseudonymous reference of a record: `k{version}_` and 32 lower-case hex characters. */
export const PseudonymousRefSchema = z
  .string()
  .regex(new RegExp(`^${VERSION_PREFIX}[0-9a-f]{32}$`), 'expected a keyed reference such as k1_ and 32 hex');

/** A keyed digest (natural key, record key, account): `k{version}_` and 64 lower-case hex characters. */
export const KeyedDigestSchema = z
  .string()
  .regex(new RegExp(`^${VERSION_PREFIX}[0-9a-f]{64}$`), 'expected a keyed digest such as k1_ and 64 hex');

/** The value of the pseudonym key secret (JSON): its version and 256 bits as 64 lower-case hex. */
export const PseudonymKeySecretSchema = z.strictObject({
  version: KeyVersionNumberSchema,
  key: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex characters (256 bits)'),
});
export type PseudonymKeySecret = z.infer<typeof PseudonymKeySecretSchema>;

/** What a keyed digest is for: each purpose hashes its own message space. */
export type DigestPurpose = 'marker' | 'record' | 'version' | 'account';

/**
 * A pseudonym key ready to use: its version prefix and the HMAC pads, computed once. Hashing holds
 * no state between calls (the scratch buffers are rewritten by each), so one key serves every row.
 */
export type PseudonymKey = {
  /** `k{version}`. */
  readonly version: string;
  /** HMAC-SHA256 of the UTF-8 of `text`, as 64 hex characters. */
  readonly hmacHex: (text: string) => string;
};

const BLOCK = 64;

/**
 * A key from its secret value. HMAC is two SHA-256 runs over `key ⊕ ipad || text` and
 * `key ⊕ opad || inner`; both pads are computed here once and each run is one-shot `crypto.hash`
 * over a reused buffer, which costs about a tenth of `createHmac` per call for texts this short.
 */
export const createPseudonymKey = (secret: PseudonymKeySecret): PseudonymKey => {
  const key = Buffer.from(PseudonymKeySecretSchema.parse(secret).key, 'hex');
  let inner = Buffer.alloc(BLOCK + 1024);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const k = key[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return {
    version: `k${secret.version}`,
    hmacHex: (text) => {
      // A UTF-8 character is at most 3 bytes per UTF-16 unit: grow the scratch buffer when it may not fit.
      if (BLOCK + text.length * 3 > inner.length) {
        const grown = Buffer.alloc(BLOCK + text.length * 3);
        inner.copy(grown, 0, 0, BLOCK);
        inner = grown;
      }
      const length = inner.write(text, BLOCK, 'utf8');
      // The inner digest as a binary (latin1) string, one character per byte, written into place:
      // asking `hash` for a Buffer costs about three times as much as for a string.
      outer.write(hash('sha256', inner.subarray(0, BLOCK + length), 'binary'), BLOCK, 'latin1');
      return hash('sha256', outer, 'hex');
    },
  };
};

/** A random key of a version: for a run that publishes nothing (`msht validate`) and for tests. */
export const randomPseudonymKey = (version = 1): PseudonymKey =>
  createPseudonymKey({ version, key: randomBytes(32).toString('hex') });

/**
 * The pseudonymous reference of a record: `k{version}_` and the first 32 hex characters of the HMAC
 * of the parts joined with `|`, e.g. `pseudonymousRef(key, org, system, ref)`. The same source record
 * gets the same reference under the same key version, and a different one under another.
 */
export const pseudonymousRef = (key: PseudonymKey, ...parts: readonly string[]): string =>
  `${key.version}_${key.hmacHex(`ref|${parts.join('|')}`).slice(0, 32)}`;

/** A keyed digest for one purpose: `k{version}_` and the 64 hex characters of the HMAC of `purpose|text`. */
export const keyedDigest = (key: PseudonymKey, purpose: DigestPurpose, text: string): string =>
  `${key.version}_${key.hmacHex(`${purpose}|${text}`)}`;

/** The key version a reference or digest was made with (`k1_…` → 1), or undefined if it has none. */
export const keyVersionOf = (ref: string): number | undefined => {
  const match = /^k([1-9][0-9]{0,3})_/.exec(ref);
  return match ? Number(match[1]) : undefined;
};
