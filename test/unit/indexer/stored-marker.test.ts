import { describe, expect, it } from 'vitest';
import { changeOf } from '../../../functions/feed/change.ts';
import { type CommitDeps, indexRecordUpdate } from '../../../functions/indexer/commit.ts';
import { toBatchLine } from '../../../functions/pnd/export.ts';
import { fromMarkerItem, toMarkerItem } from '../../../functions/shared/markers/marker-item.ts';
import {
  FeedChangeSchema,
  PndBatchLineSchema,
  type StoredMarker,
  StoredMarkerSchema,
} from '../../../schemas/index.ts';
import { memoryIndexStore, RULES, updateOf } from './fixtures.ts';

/** Markers as the indexer writes them: a victim, a HELD intelligence marker, a withdrawn one. */
const written = async (): Promise<StoredMarker[]> => {
  const memory = memoryIndexStore();
  const deps: CommitDeps = {
    store: memory.store,
    now: () => '2026-11-20T10:00:00.000Z',
    rules: RULES,
  };
  const asAt = '2026-10-14T09:30:00.000Z';
  await indexRecordUpdate(
    deps,
    updateOf({ ref: 'P-1', roles: ['VICTIM'], asAt, exploitation: 'LABOUR', withdrawn: false }),
  );
  await indexRecordUpdate(
    deps,
    updateOf({ ref: 'P-2', roles: ['SUSPECT'], asAt, exploitation: 'NONE', withdrawn: false, grading: 'C' }),
  );
  await indexRecordUpdate(
    deps,
    updateOf({ ref: 'P-3', roles: ['POTENTIAL_VICTIM'], asAt, exploitation: 'SEXUAL', withdrawn: true }),
  );
  return [...memory.markers.values()];
};

describe('the stored marker', () => {
  it('is what the indexer writes, and its projections are what feed and PND get', async () => {
    // Act
    const markers = await written();

    // Assess
    expect(markers.map((m) => m.pndSyncState).sort()).toEqual(['HELD', 'PENDING', 'PENDING']);
    for (const m of markers) {
      expect(StoredMarkerSchema.parse(m)).toEqual(m);
      expect(FeedChangeSchema.safeParse({ ...changeOf(m), seq: m.feedSeq }).success).toBe(true);
      expect(PndBatchLineSchema.safeParse(toBatchLine(m, 'pnd-1')).success).toBe(true);
    }
  });

  it('round-trips through its markers-table item, with the draft fields at the top level', async () => {
    // Prepare
    const [m] = await written();
    if (!m) throw new Error('no marker');
    const sent: StoredMarker = { ...m, pndSyncState: 'SENT', pndBatchId: 'pnd-1', pndAttempts: 1 };

    // Act
    const item = toMarkerItem(sent);

    // Assess
    expect(item).toMatchObject({
      itemType: 'MARKER',
      naturalKey: m.naturalKey,
      markerType: m.draft.markerType,
    });
    expect(item).not.toHaveProperty('draft');
    expect(fromMarkerItem(item)).toEqual(sent);
  });
});
