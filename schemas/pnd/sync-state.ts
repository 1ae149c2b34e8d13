import { z } from 'zod';

/**
 * Where a marker stands in its synchronisation with PND (docs/pnd-sync.md), in display order. HELD:
 * handling code C, never sent automatically.
 */
export const PND_SYNC_STATES = ['PENDING', 'HELD', 'SENT', 'ACKED', 'REJECTED'] as const;
export const PndSyncStateSchema = z.enum(PND_SYNC_STATES);
export type PndSyncState = z.infer<typeof PndSyncStateSchema>;
