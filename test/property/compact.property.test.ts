import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compact } from '../../schemas/normalise/compact.ts';

// compact (schemas/normalise/compact.ts) builds objects of more than a dozen keys from cached object
// literals: it must give exactly what copying the defined keys one by one gives.

const slowCompact = (value: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
};

const keyArb = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    '0',
    '1',
    '42',
    '-1',
    '01',
    '',
    "'",
    '"',
    '\\',
    '}',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const valueArb = fc.oneof(fc.constant(undefined), fc.anything());
const objectArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 45 }).map((entries) => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
});

describe('compact', () => {
  it('gives the defined keys in order with the same values, as a plain object, for any keys', () => {
    fc.assert(
      fc.property(objectArb, (value) => {
        const fast = compact(value);
        const slow = slowCompact(value);
        expect(Object.getPrototypeOf(fast)).toBe(Object.getPrototypeOf(slow));
        expect(Object.keys(fast)).toEqual(Object.keys(slow));
        for (const key of Object.keys(slow)) expect(Object.is(fast[key], slow[key])).toBe(true);
        expect(Object.getOwnPropertyNames(fast)).toEqual(Object.getOwnPropertyNames(slow));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same object again and again for the same keys (the literals are cached), and a fresh one each call', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const value = Object.fromEntries(keys.map((k, i) => [k, i % 3 === 0 ? undefined : i]));
    const a = compact(value);
    const b = compact(value);
    expect(a).not.toBe(b);
    expect(a).toStrictEqual(b);
    expect(a).toStrictEqual(slowCompact(value));
  });

  it('stays right past the bounds of its cache (many sets of keys, long keys)', () => {
    for (let n = 0; n < 600; n++) {
      const value = Object.fromEntries(
        Array.from({ length: 14 }, (_, i) => [`${'x'.repeat(n % 7 === 0 ? 5000 : 3)}${n}-${i}`, i]),
      );
      expect(compact(value)).toStrictEqual(slowCompact(value));
    }
  });
});
