import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, ageBandFor } from '../../schemas/index.ts';

const order = (band: string): number => AGE_BANDS.indexOf(band as (typeof AGE_BANDS)[number]);

describe('ageBandFor (properties)', () => {
  it('is total: every number gives one of the bands', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer()), (age) => {
        expect(AGE_BANDS).toContain(ageBandFor(age));
      }),
    );
  });

  it('is monotone: an older age never falls in a younger band', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 150, noNaN: true }),
        fc.double({ min: 0, max: 150, noNaN: true }),
        (a, b) => {
          const [young, old] = a <= b ? [a, b] : [b, a];
          expect(order(ageBandFor(young))).toBeLessThanOrEqual(order(ageBandFor(old)));
        },
      ),
    );
  });

  it('knows every valid age: only negative or non-finite ages are UNKNOWN', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (age) => {
        expect(ageBandFor(age)).not.toBe('UNKNOWN');
      }),
    );
  });
});
