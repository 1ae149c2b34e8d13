import { describe, expect, it } from 'vitest';
import { readFeed } from '../../../functions/feed/read-feed.ts';
import { effectiveStatus, reviewDueOn } from '../../../functions/indexer/retention.ts';
import { afterAck, afterAckTimeout } from '../../../functions/pnd/state.ts';
import { memoryFeedLog, RULES } from './fixtures.ts';

describe('MoPI retention rules', () => {
  it('computes the review date from the as-at time and the group rule', () => {
    // Assess
    expect(reviewDueOn('2026-10-14T09:30:00Z', '1', RULES)).toBe('2036-10-14');
    expect(reviewDueOn('2026-10-14T09:30:00Z', '3', RULES)).toBe('2032-10-14');
    expect(
      reviewDueOn('2028-02-29T00:00:00Z', '3', {
        ...RULES,
        '3': { reviewAfterYears: 1, onReviewDue: 'EXPIRE' },
      }),
    ).toBe('2029-03-01');
  });

  it('shows EXPIRED only for ACTIVE markers past review whose rule is time-based disposal', () => {
    // Assess
    expect(effectiveStatus('ACTIVE', '2026-01-01', '3', RULES, '2026-06-01')).toBe('EXPIRED');
    expect(effectiveStatus('ACTIVE', '2026-01-01', '1', RULES, '2026-06-01')).toBe('ACTIVE');
    expect(effectiveStatus('ACTIVE', '2027-01-01', '3', RULES, '2026-06-01')).toBe('ACTIVE');
    expect(effectiveStatus('WITHDRAWN', '2026-01-01', '3', RULES, '2026-06-01')).toBe('WITHDRAWN');
  });
});

describe('PND sync state machine', () => {
  it('acks, rejects, and re-queues a temporary rejection while attempts remain', () => {
    // Assess
    expect(afterAck({ outcome: 'ACKED', pndRef: 'R1' }, 1, 5)).toEqual({ to: 'ACKED', pndRef: 'R1' });
    expect(afterAck({ outcome: 'REJECTED', reason: 'bad' }, 1, 5)).toEqual({ to: 'REJECTED', reason: 'bad' });
    expect(afterAck({ outcome: 'REJECTED', reason: 'busy', retryable: true }, 4, 5)).toEqual({
      to: 'PENDING',
      reason: 'busy',
    });
    expect(afterAck({ outcome: 'REJECTED', reason: 'busy', retryable: true }, 5, 5)).toEqual({
      to: 'REJECTED',
      reason: 'busy',
    });
  });

  it('waits for an answer, then re-sends, then gives up after the last attempt', () => {
    // Prepare
    const settings = { ackTimeoutHours: 24, maxAttempts: 3 };

    // Assess
    expect(afterAckTimeout('2026-11-01T00:00:00Z', 1, '2026-11-01T23:00:00Z', settings)).toBe('WAIT');
    expect(afterAckTimeout('2026-11-01T00:00:00Z', 1, '2026-11-02T01:00:00Z', settings)).toBe('RESEND');
    expect(afterAckTimeout('2026-11-01T00:00:00Z', 3, '2026-11-02T01:00:00Z', settings)).toBe('REJECT');
  });
});

describe('feed log reading', () => {
  it('stops before a position that is allocated but not written, and resumes past voided ones', async () => {
    // Prepare: positions an old-protocol writer allocated (the sequencer never leaves one unwritten)
    const { log, reserveUnwritten } = memoryFeedLog();
    const seqs = reserveUnwritten(3);
    const change = { kind: 'CHANGE' as const, change: { naturalKey: 'k' } as never };
    await log.put(seqs[0] as number, change);
    await log.put(seqs[2] as number, change);

    // Act
    const blocked = await readFeed(log, { after: 0, limit: 10 });
    await log.put(seqs[1] as number, { kind: 'VOID' });
    const resumed = await readFeed(log, { after: blocked.cursor, limit: 10 });

    // Assess
    expect(blocked).toMatchObject({ cursor: 1, blockedAt: 2, head: 3 });
    expect(blocked.changes.map((c) => c.seq)).toEqual([1]);
    expect(resumed.changes.map((c) => c.seq)).toEqual([3]);
    expect(resumed.cursor).toBe(3);
  });
});
