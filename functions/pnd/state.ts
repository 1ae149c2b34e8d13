import { type PndAckResult, type PndSyncState, PndSyncStateSchema } from '../../schemas/index.ts';

/**
 * The PND sync state machine of one marker state (a content change starts it again at PENDING, or
 * HELD for handling code C):
 *
 *   PENDING --export--> SENT --ack ok--> ACKED
 *                        |--ack rejected, retryable, attempts < max--> PENDING
 *                        |--ack rejected (or attempts = max)--> REJECTED
 *                        '--no ack within the timeout: attempts < max: sent again; else REJECTED
 *   HELD --operator release--> PENDING          (never exported automatically)
 */
export type PndTransition =
  | { readonly to: 'ACKED'; readonly pndRef?: string }
  | { readonly to: 'PENDING' | 'REJECTED'; readonly reason: string };

/** The state an acknowledgement moves a SENT marker to. */
export const afterAck = (
  result: Omit<PndAckResult, 'markerId' | 'exportSeq'>,
  attempts: number,
  maxAttempts: number,
): PndTransition => {
  if (result.outcome === 'ACKED') return { to: 'ACKED', ...(result.pndRef ? { pndRef: result.pndRef } : {}) };
  const reason = result.reason ?? 'rejected by PND';
  return result.retryable && attempts < maxAttempts ? { to: 'PENDING', reason } : { to: 'REJECTED', reason };
};

/** What to do with a marker SENT at `lastAttemptAt` that PND has not answered by `now`. */
export const afterAckTimeout = (
  lastAttemptAt: string,
  attempts: number,
  now: string,
  settings: { ackTimeoutHours: number; maxAttempts: number },
): 'WAIT' | 'RESEND' | 'REJECT' => {
  if (Date.parse(now) - Date.parse(lastAttemptAt) < settings.ackTimeoutHours * 3_600_000) return 'WAIT';
  return attempts < settings.maxAttempts ? 'RESEND' : 'REJECT';
};

/** States counted in summaries, in display order. */
export const PND_STATES: readonly PndSyncState[] = PndSyncStateSchema.options;
