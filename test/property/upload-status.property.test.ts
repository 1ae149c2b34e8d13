import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uploadStatusOf } from '../../schemas/index.ts';
import { createWorld, ORG } from '../unit/upload-status/world.ts';

// Whatever write a crash interrupts (before or after it takes effect), and wherever the indexer runs in
// between ingest's writes, the retries leave the status object equal to the ledger's entry, and an
// INDEXED status object is never overwritten by an earlier status. Progress objects never claim more
// records indexed than were accepted, nor a total other than the accepted count.

const HEADER = 'source_record_ref,source_system,roles,sex';
const FILES = {
  INDEXED: `${HEADER}\nA-1,NICHE,SUSPECT,F\nA-2,NICHE,SUSPECT,M\nA-3,NICHE,VICTIM,F\nA-4,NICHE,VICTIM,M\nA-5,NICHE,SUSPECT,F\n`,
  QUARANTINED: `${HEADER}\nB-1,,SUSPECT,F\nB-2,,SUSPECT,M\nB-3,NICHE,VICTIM,F\n`,
  FAILED: '\u0000\u0001\u0002PK\u0003\u0004',
} as const;

describe('upload status objects under crashes and interleavings', () => {
  it('end equal to the ledger entry, never going back from INDEXED', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(FILES) as (keyof typeof FILES)[])),
        fc.option(
          fc.record({ at: fc.integer({ min: 1, max: 14 }), when: fc.constantFrom('before', 'after') }),
          {
            nil: undefined,
          },
        ),
        fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
        async (expected, fault, indexAfter) => {
          // Act
          const world = createWorld({ ...(fault ? { fault } : {}), ...(indexAfter ? { indexAfter } : {}) });
          const result = await world.ingest(
            world.put(`incoming/${ORG}/2026-10/subjects.csv`, FILES[expected]),
          );
          await world.index();

          // Assess
          const uploadId = result?.uploadId ?? '';
          const entry = await world.ledger.get(uploadId);
          expect(entry?.status).toBe(expected);
          expect(world.statusObject(ORG, uploadId)).toEqual(uploadStatusOf(entry as never));
          const history = world.statusHistory.get(uploadId) ?? [];
          const indexed = history.indexOf('INDEXED');
          if (indexed >= 0) expect(history.slice(indexed).every((s) => s === 'INDEXED')).toBe(true);
          for (const progress of world.progressHistory.get(uploadId) ?? []) {
            expect(progress.indexed).toBeLessThanOrEqual(entry?.counts.accepted ?? 0);
            if (progress.accepted !== undefined) expect(progress.accepted).toBe(entry?.counts.accepted);
          }
          // Without a crash, chunk 0 (of three) is counted once and does not finish the upload: progress shown.
          if (expected === 'INDEXED' && !fault)
            expect(world.progressHistory.get(uploadId)?.length ?? 0).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
