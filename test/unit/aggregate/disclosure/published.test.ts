import { describe, expect, it } from 'vitest';
import { roundTo, wholePercent } from '../../../../functions/aggregate/disclosure/published.ts';

describe('roundTo', () => {
  it('rounds counts to the nearest multiple of 5', () => {
    expect([0, 10, 12, 13, 17, 18, 1002, 1003].map((count) => roundTo(count, 5))).toEqual([
      0, 10, 10, 15, 15, 20, 1000, 1005,
    ]);
  });

  it('rounds to another base, a tie upwards', () => {
    expect([4, 5, 14, 15, 16].map((count) => roundTo(count, 10))).toEqual([0, 10, 10, 20, 20]);
  });
});

describe('wholePercent', () => {
  it('gives whole-number percentages of published values', () => {
    expect(wholePercent(15, 40)).toBe(38);
    expect(wholePercent(0, 40)).toBe(0);
  });

  it('never derives a percentage from a suppressed value or a zero base', () => {
    expect(wholePercent('[c]', 40)).toBe('[c]');
    expect(wholePercent(15, '[c]')).toBe('[c]');
    expect(wholePercent(0, 0)).toBe('[c]');
  });
});
