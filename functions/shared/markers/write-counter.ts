/** Counts the write requests a store makes (the benchmark reads it; failed conditional writes count too). */
export type WriteCounter = { writes: number; writeUnits: number };

/** Write units of an item: 1 per started KiB (DynamoDB's rule), from its JSON size as an approximation. */
const writeUnitsOf = (item: unknown): number =>
  Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item ?? {})) / 1024));

/**
 * Counts one write of `item` (nothing without a counter). A write in a transaction (TransactWriteItems)
 * costs DynamoDB twice the units of a standard write.
 */
export const countWrite = (
  counter: WriteCounter | undefined,
  item: unknown,
  options: { readonly transactional?: boolean } = {},
): void => {
  if (!counter) return;
  counter.writes++;
  counter.writeUnits += writeUnitsOf(item) * (options.transactional ? 2 : 1);
};
