import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyToMemoryIndex, type MemoryIndex, type RecordUpdate } from '../../functions/indexer/ordering.ts';
import { deliveriesArb, expectedIndex, observable, updateOf } from '../unit/indexer/fixtures.ts';

const emptyIndex = (): MemoryIndex => ({ heads: new Map(), markers: new Map() });

const view = (index: MemoryIndex) => ({
  markers: new Map([...index.markers].map(([k, m]) => [k, observable(m)])),
  heads: new Map(
    [...index.heads].map(([k, h]) => [
      k,
      { version: h.version, withdrawn: h.withdrawn, markerKeys: [...h.markerKeys] },
    ]),
  ),
});

const byVersion = (a: RecordUpdate, b: RecordUpdate): number =>
  a.version < b.version ? -1 : a.version > b.version ? 1 : 0;

describe('index ordering (pure core)', () => {
  it('ends in the in-order index for any interleaving of duplicated and reordered deliveries', () => {
    fc.assert(
      fc.property(deliveriesArb(), ({ specs, delivered }) => {
        // Prepare
        const updates = specs.map(updateOf);
        const inOrder = emptyIndex();
        for (const u of [...updates].sort(byVersion)) applyToMemoryIndex(inOrder, u);

        // Act
        const shuffled = emptyIndex();
        for (const i of delivered) applyToMemoryIndex(shuffled, updates[i] as RecordUpdate);

        // Assess
        expect(view(shuffled)).toEqual(view(inOrder));
        expect(view(shuffled)).toEqual(expectedIndex(updates));
      }),
      { numRuns: 500 },
    );
  });

  it('writes nothing for a delivery it has already applied, however late it comes', () => {
    fc.assert(
      fc.property(deliveriesArb(), ({ specs, delivered }) => {
        // Prepare
        const updates = specs.map(updateOf);
        const index = emptyIndex();
        for (const i of delivered) applyToMemoryIndex(index, updates[i] as RecordUpdate);

        // Act
        const writes = updates.map((u) => applyToMemoryIndex(index, u));

        // Assess
        expect(writes.every((n) => n === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('plans nothing right after its own plan was applied, whatever the index held (a confirmed commit needs no re-read)', () => {
    fc.assert(
      fc.property(deliveriesArb(), fc.nat(), ({ specs, delivered }, pick) => {
        // Prepare
        const updates = specs.map(updateOf);
        const index = emptyIndex();
        for (const i of delivered.slice(0, pick % (delivered.length + 1)))
          applyToMemoryIndex(index, updates[i] as RecordUpdate);
        const update = updates[pick % updates.length] as RecordUpdate;
        applyToMemoryIndex(index, update);

        // Act
        const again = applyToMemoryIndex(index, update);

        // Assess
        expect(again).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('skips an unchanged record re-sent in a later upload without writing (same as-at, same content)', () => {
    // Prepare
    const first = updateOf({
      ref: 'P-9',
      roles: ['VICTIM'],
      asAt: '2026-10-14T09:30:00.000Z',
      exploitation: 'LABOUR',
      withdrawn: false,
      upload: 1,
    });
    const again = updateOf({
      ref: 'P-9',
      roles: ['VICTIM'],
      asAt: '2026-10-14T09:30:00.000Z',
      exploitation: 'LABOUR',
      withdrawn: false,
      upload: 2,
    });
    const index = emptyIndex();
    applyToMemoryIndex(index, first);

    // Act
    const writes = applyToMemoryIndex(index, again);

    // Assess
    expect(again.version).toBe(first.version);
    expect(writes).toBe(0);
  });

  it('does not let an older intermediate update win after a newer update with the same content was skipped', () => {
    // Prepare: v1 (A) and v3 (A) have the same content; v2 (B) lies between them.
    const spec = { ref: 'P-7', roles: ['VICTIM'] as const, withdrawn: false };
    const v1 = updateOf({
      ...spec,
      roles: [...spec.roles],
      asAt: '2026-09-30T23:59:59.999Z',
      exploitation: 'LABOUR',
    });
    const v2 = updateOf({
      ...spec,
      roles: [...spec.roles],
      asAt: '2026-10-14T09:30:00.000Z',
      exploitation: 'SEXUAL',
    });
    const v3 = updateOf({
      ...spec,
      roles: [...spec.roles],
      asAt: '2026-10-31T23:59:59.999Z',
      exploitation: 'LABOUR',
    });
    const index = emptyIndex();

    // Act
    for (const u of [v1, v3, v2]) applyToMemoryIndex(index, u);

    // Assess
    const [marker] = [...index.markers.values()];
    expect(marker?.contentVersion).toBe(v3.version);
    expect(marker?.draft.exploitationTypes).toEqual(['LABOUR']);
  });

  it('supersedes a marker the newer version no longer derives, even when the older version arrives last', () => {
    // Prepare
    const older = updateOf({
      ref: 'P-5',
      roles: ['POTENTIAL_VICTIM'],
      asAt: '2026-09-30T23:59:59.999Z',
      exploitation: 'NONE',
      withdrawn: false,
    });
    const newer = updateOf({
      ref: 'P-5',
      roles: ['VICTIM'],
      asAt: '2026-10-31T23:59:59.999Z',
      exploitation: 'NONE',
      withdrawn: false,
    });
    const index = emptyIndex();

    // Act
    for (const u of [newer, older]) applyToMemoryIndex(index, u);

    // Assess
    const byType = new Map([...index.markers.values()].map((m) => [m.draft.markerType, m.lifecycle]));
    expect(byType).toEqual(
      new Map([
        ['MSHT_VICTIM', 'ACTIVE'],
        ['MSHT_POTENTIAL_VICTIM', 'SUPERSEDED'],
      ]),
    );
  });
});
