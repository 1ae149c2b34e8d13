import { z } from 'zod';

/** The marker of a suppressed value in shareable outputs (ONS/GSS convention: "confidential"). */
export const SUPPRESSED = '[c]';

/** A published value: a count (exact in the internal tier, rounded in the shareable tier) or `[c]`. */
export const AggregateCellSchema = z.union([z.number().int().nonnegative(), z.literal(SUPPRESSED)]);
export type AggregateCell = z.infer<typeof AggregateCellSchema>;

/**
 * The fields of every table of the national picture (domain §8.7 A1–A9), over the schema of its values:
 * cells by row and column, with row, column and grand totals. A one-way table has a single column.
 */
export const tableShape = <V extends z.ZodType>(value: V) => ({
  id: z.string().regex(/^A\d[a-z0-9-]*$/),
  title: z.string().min(1),
  rowDimension: z.string().min(1),
  columnDimension: z.string().min(1),
  rows: z.array(z.string()),
  columns: z.array(z.string()),
  cells: z.array(z.array(value)),
  rowTotals: z.array(value),
  columnTotals: z.array(value),
  grandTotal: value,
});

type Fields<V> = z.infer<z.ZodObject<ReturnType<typeof tableShape<z.ZodType<V>>>>>;
type Frozen<T> = T extends readonly (infer U)[] ? readonly Frozen<U>[] : T;

/**
 * The one table type of the aggregation, read-only, whose values are of type `V`: exact counts
 * (`Table<number>`: the builder, disclosure control, the internal tier) or published values
 * (`Table<AggregateCell>`: the shareable tier, CSV, report and charts, which take either).
 */
export type Table<V> = { readonly [K in keyof Fields<V>]: Frozen<Fields<V>[K]> };
