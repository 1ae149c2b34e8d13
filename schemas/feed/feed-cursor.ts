import { z } from 'zod';

/** A feed cursor: the `seq` of the last change a consumer has processed; `0` reads from the start. */
export const FeedCursorSchema = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'expected a feed cursor (a whole number)');
export type FeedCursor = z.infer<typeof FeedCursorSchema>;
