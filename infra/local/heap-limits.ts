import type { ResourceLimits } from 'node:worker_threads';

/**
 * The V8 heap limits of a local execution environment, as Lambda's would be: the old space no larger
 * than the function's memory (Lambda's Node.js runtime sizes it from the memory setting), or what its
 * `--max-old-space-size` says; the young generation from `--max-semi-space-size` (three semi-spaces, as
 * V8 counts it). A function that outgrows them fails as it would on Lambda, and the local stack's
 * memory stays bounded by the sum of its functions'.
 */
export const heapLimitsOf = (memoryMb: number, nodeOptions: readonly string[] = []): ResourceLimits => {
  const flag = (name: string): number | undefined => {
    for (const option of nodeOptions.flatMap((o) => o.split(/\s+/))) {
      const m = new RegExp(`^--${name}=(\\d+)$`).exec(option);
      if (m) return Number(m[1]);
    }
    return undefined;
  };
  const oldSpace = flag('max-old-space-size');
  const semiSpace = flag('max-semi-space-size');
  return {
    // Lambda keeps about a tenth of the memory for the runtime itself.
    maxOldGenerationSizeMb: oldSpace ?? Math.max(64, Math.floor(memoryMb * 0.9)),
    ...(semiSpace === undefined ? {} : { maxYoungGenerationSizeMb: semiSpace * 3 }),
  };
};
