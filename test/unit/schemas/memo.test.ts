import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEMO_MAX_CACHED_CHARS, MEMO_MAX_TEXT_CHARS, memoByText } from '../../../schemas/normalise/memo.ts';

/** A memoised function that counts how often the real one runs. */
const counted = (maxEntries?: number) => {
  let calls = 0;
  const fn = memoByText((text: string) => {
    calls += 1;
    return { upper: text.toUpperCase() };
  }, maxEntries);
  return { fn, calls: () => calls };
};

describe('memoByText', () => {
  it('returns what the function returns, frozen, and computes a repeated text once', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 50 }), (texts) => {
        const { fn, calls } = counted();
        for (const text of [...texts, ...texts]) {
          const value = fn(text);
          expect(value).toEqual({ upper: text.toUpperCase() });
          expect(Object.isFrozen(value)).toBe(true);
        }
        expect(calls()).toBe(new Set(texts).size);
      }),
    );
  });

  it('never caches a long text: memory is bounded by size, not only by entries', () => {
    const { fn, calls } = counted();
    const long = 'x'.repeat(MEMO_MAX_TEXT_CHARS + 1);
    fn(long);
    fn(long);
    expect(calls()).toBe(2);
  });

  it('starts afresh once the cached texts reach the character budget', () => {
    const { fn, calls } = counted(1_000_000);
    const text = (i: number) => `${i}`.padStart(MEMO_MAX_TEXT_CHARS, '0');
    const fits = Math.floor(MEMO_MAX_CACHED_CHARS / MEMO_MAX_TEXT_CHARS);
    for (let i = 0; i < fits; i++) fn(text(i));
    fn(text(0));
    expect(calls()).toBe(fits);
    fn(text(fits));
    fn(text(1));
    expect(calls()).toBe(fits + 2);
  });
});
