import type { ResourceLimits } from 'node:worker_threads';

/**
 * The V8 heap limits of a local execution environment, as Lambda's would be. Lambda's Node.js runtime
 * starts node with `--max-old-space-size` at 90% of the function's memory and `--max-semi-space-size` at
 * 5% of it, unless the function's own `NODE_OPTIONS` say otherwise; the young generation is three
 * semi-spaces, as V8 counts it. A function that outgrows them fails as it would on Lambda, and the local
 * stack's memory stays bounded by the sum of its functions'. Without the young-generation limit a worker
 * thread gets V8's default of 192 MB whatever its memory, and each environment kept over 100 MB of
 * young generation it did not need (`msht local` passed 1 GB of RSS at 20,000 rows).
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
  const semiSpace = flag('max-semi-space-size') ?? Math.max(1, Math.floor(memoryMb * 0.05));
  return {
    maxOldGenerationSizeMb: oldSpace ?? Math.max(64, Math.floor(memoryMb * 0.9)),
    maxYoungGenerationSizeMb: semiSpace * 3,
  };
};
