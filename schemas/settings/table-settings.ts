import { z } from 'zod';

const IndexSchema = z.strictObject({
  name: z.string().min(1),
  partitionKey: z.string().min(1),
  sortKey: z.string().min(1).optional(),
});

/** A DynamoDB table: its name, keys and global secondary indexes. */
export const TableSettingsSchema = z.strictObject({
  name: z.string().min(3).max(255),
  partitionKey: z.string().min(1),
  sortKey: z.string().min(1).optional(),
  indexes: z.array(IndexSchema),
});
export type TableSettings = z.infer<typeof TableSettingsSchema>;
