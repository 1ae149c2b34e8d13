import { createHash } from 'node:crypto';

/** sha256 hex of a text. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A pseudonymous reference: the first 32 hex characters of sha256 of the parts joined with `|`, e.g.
 * `pseudonymousRef(org, system, ref)`. Deterministic, so the same source record always gets the same
 * reference, without the reference itself being readable.
 */
export const pseudonymousRef = (...parts: readonly string[]): string =>
  sha256Hex(parts.join('|')).slice(0, 32);
