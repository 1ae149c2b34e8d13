import { describe, expect, it } from 'vitest';
import { heapLimitsOf } from '../../../infra/local/heap-limits.ts';

describe('heapLimitsOf', () => {
  it('takes the node options of the function when it has them', () => {
    expect(heapLimitsOf(1024, ['--max-semi-space-size=16 --max-old-space-size=128'])).toEqual({
      maxOldGenerationSizeMb: 128,
      maxYoungGenerationSizeMb: 48,
    });
  });

  it('otherwise sizes them as Lambda does: old space 90% of the memory, semi-spaces 5%', () => {
    expect(heapLimitsOf(512)).toEqual({ maxOldGenerationSizeMb: 460, maxYoungGenerationSizeMb: 75 });
    expect(heapLimitsOf(64)).toEqual({ maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 9 });
  });
});
