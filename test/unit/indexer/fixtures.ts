import fc from 'fast-check';
import type { FeedLog, LogEntry, LogHead, StoredCursor } from '../../../functions/feed/feed-log.ts';
import type { Outbox } from '../../../functions/feed/outbox.ts';
import type { CommitOutcome, IndexStore } from '../../../functions/indexer/marker-store.ts';
import {
  type MarkerState,
  type RecordHead,
  type RecordUpdate,
  recordUpdateOf,
} from '../../../functions/indexer/ordering.ts';
import type { RetentionRules } from '../../../functions/indexer/retention.ts';
import { STAGES } from '../../../infra/config.ts';
import type { CanonicalRecord, StoredMarker, SubjectRole } from '../../../schemas/index.ts';
import { normaliseRow } from '../../../schemas/normalise/normalise-row.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';
import { CTX, VALID_ROWS } from '../schemas/fixtures.ts';

/** The dev retention rules. */
export const RULES: RetentionRules = STAGES.dev.retention;

const baseSubject = (() => {
  const outcome = normaliseRow('subject', { ...VALID_ROWS.subject }, CTX);
  if (outcome.status === 'REJECTED' || outcome.record.recordType !== 'subject')
    throw new Error('bad fixture');
  return outcome.record;
})();

/** What a generated subject record varies: reference, roles, as-at, content, withdrawal, upload. */
export type SubjectSpec = {
  readonly ref: string;
  readonly roles: readonly SubjectRole[];
  readonly asAt: string;
  readonly exploitation: 'LABOUR' | 'SEXUAL' | 'NONE';
  readonly withdrawn: boolean;
  readonly grading?: 'P' | 'C';
  readonly upload?: number;
};

/** A canonical subject record built from a spec (a valid record, plus `recordStatus` when withdrawn). */
export const subjectRecord = (spec: SubjectSpec): CanonicalRecord => {
  const upload = spec.upload ?? 1;
  return {
    ...baseSubject,
    sourceRecordRef: spec.ref,
    roles: [...spec.roles],
    asAt: spec.asAt,
    period: spec.asAt.slice(0, 7),
    exploitationTypes: spec.exploitation === 'NONE' ? [] : [spec.exploitation],
    ...(spec.grading
      ? {
          businessArea: 'INTELLIGENCE',
          intelGrading:
            spec.grading === 'P'
              ? { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' }
              : {
                  scheme: '3x5x2',
                  source: '2',
                  intelligence: 'B',
                  handling: 'C',
                  handlingConditions: 'Do not disseminate',
                },
        }
      : {}),
    provenance: {
      ...baseSubject.provenance,
      uploadId: `upload-${upload}`,
      ingestedAt: `2026-11-0${(upload % 9) + 1}T10:00:00.000Z`,
    },
    ...(spec.withdrawn ? { recordStatus: 'WITHDRAWN' } : {}),
  } as CanonicalRecord;
};

/** The update of a spec (subjects always derive one). */
export const updateOf = (spec: SubjectSpec): RecordUpdate => {
  const u = recordUpdateOf(subjectRecord(spec), TEST_KEY);
  if (!u) throw new Error('no update');
  return u;
};

const ROLES: readonly SubjectRole[] = ['POTENTIAL_VICTIM', 'VICTIM', 'SUSPECT', 'WITNESS'];

/** Arbitrary subject specs over few references and as-at times, so updates collide and tie. */
export const subjectSpecArb = (refs = ['P-1', 'P-2']): fc.Arbitrary<SubjectSpec> =>
  fc.record({
    ref: fc.constantFrom(...refs),
    roles: fc.subarray([...ROLES], { minLength: 1 }),
    asAt: fc.constantFrom('2026-09-30T23:59:59.999Z', '2026-10-14T09:30:00.000Z', '2026-10-31T23:59:59.999Z'),
    exploitation: fc.constantFrom('LABOUR' as const, 'SEXUAL' as const, 'NONE' as const),
    withdrawn: fc.boolean(),
    upload: fc.integer({ min: 1, max: 4 }),
  });

/** A set of updates and a delivery order: every update at least once, some twice or more, in any order. */
export const deliveriesArb = (refs?: string[]) =>
  fc.array(subjectSpecArb(refs), { minLength: 1, maxLength: 8 }).chain((specs) =>
    fc
      .array(fc.nat({ max: specs.length - 1 }), { maxLength: specs.length })
      .chain((extra) => {
        const all = [...specs.keys(), ...extra];
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      })
      .map((delivered) => ({ specs, delivered })),
  );

/** The observable state of a marker: what the index shows, independent of delivery order. */
export const observable = (m: MarkerState) => ({
  lifecycle: m.lifecycle,
  contentVersion: m.contentVersion,
  contentHash: m.draft.contentHash,
  asAt: m.draft.asAt,
});

/**
 * The index the specification asks for, computed from the set of updates directly: per source record
 * the latest version is the head; a marker exists if any version derives it, holds the content of the
 * latest version that does, and is ACTIVE/WITHDRAWN if the head derives it, SUPERSEDED otherwise.
 */
export const expectedIndex = (updates: readonly RecordUpdate[]) => {
  const heads = new Map<string, RecordUpdate>();
  for (const u of updates) {
    const h = heads.get(u.recordKey);
    if (!h || u.version > h.version) heads.set(u.recordKey, u);
  }
  const markers = new Map<string, ReturnType<typeof observable>>();
  const content = new Map<string, RecordUpdate>();
  for (const u of updates)
    for (const key of u.drafts.keys()) {
      const c = content.get(key);
      if (!c || u.version > c.version) content.set(key, u);
    }
  for (const [key, u] of content) {
    const head = heads.get(u.recordKey) as RecordUpdate;
    const draft = u.drafts.get(key);
    if (!draft) continue;
    markers.set(key, {
      lifecycle: head.drafts.has(key) ? (head.withdrawn ? 'WITHDRAWN' : 'ACTIVE') : 'SUPERSEDED',
      contentVersion: u.version,
      contentHash: draft.contentHash,
      asAt: draft.asAt,
    });
  }
  const headView = new Map(
    [...heads].map(([k, h]) => [
      k,
      { version: h.version, withdrawn: h.withdrawn, markerKeys: [...h.drafts.keys()].sort() },
    ]),
  );
  return { markers, heads: headView };
};

/** A yield point: tests pass one that lets fast-check's scheduler interleave concurrent writers. */
export type Yield = () => Promise<void>;

/** The markers table in memory, with the same conditional semantics as the DynamoDB adapter. */
export const memoryIndexStore = (yieldPoint: Yield = async () => undefined) => {
  const markers = new Map<string, StoredMarker>();
  const heads = new Map<string, RecordHead>();
  let writes = 0;
  const markerHolds = (item: StoredMarker, observed: StoredMarker | undefined): boolean => {
    const current = markers.get(item.naturalKey);
    return observed === undefined
      ? current === undefined
      : current?.feedSeq === observed.feedSeq && current.loggedFeedSeq === observed.loggedFeedSeq;
  };
  const headHolds = (head: RecordHead, expected: number | undefined): boolean => {
    const current = heads.get(head.recordKey);
    return expected === undefined ? current === undefined : current?.rev === expected;
  };
  const store: IndexStore = {
    getHead: async (recordKey) => {
      await yieldPoint();
      return heads.get(recordKey);
    },
    getHeads: async (keys) => {
      await yieldPoint();
      return new Map(keys.flatMap((k) => (heads.has(k) ? [[k, heads.get(k) as RecordHead] as const] : [])));
    },
    getMarkers: async (keys) => {
      await yieldPoint();
      return new Map(
        keys.flatMap((k) => (markers.has(k) ? [[k, markers.get(k) as StoredMarker] as const] : [])),
      );
    },
    putMarker: async (item, observed) => {
      await yieldPoint();
      writes++;
      if (!markerHolds(item, observed)) return false;
      markers.set(item.naturalKey, item);
      return true;
    },
    putHead: async (head, expected) => {
      await yieldPoint();
      writes++;
      if (!headHolds(head, expected)) return false;
      heads.set(head.recordKey, head);
      return true;
    },
    // As TransactWriteItems: every condition and check of a record's writes checked, then all of them
    // made, with no other writer in between; a record whose conditions do not all hold writes nothing.
    commit: async (batch) => {
      const out: CommitOutcome[] = [];
      for (const write of batch) {
        await yieldPoint();
        writes += write.markers.length + (write.head ? 1 : 0);
        const holds =
          write.markers.every((m) => markerHolds(m.item, m.observed)) &&
          (!write.head || headHolds(write.head.head, write.head.expectedRev)) &&
          (write.checks ?? []).every((c) =>
            c.kind === 'marker'
              ? markers.get(c.naturalKey)?.feedSeq === c.feedSeq
              : heads.get(c.recordKey)?.rev === c.rev,
          );
        if (holds) {
          for (const m of write.markers) markers.set(m.item.naturalKey, m.item);
          if (write.head) heads.set(write.head.head.recordKey, write.head.head);
        }
        out.push(holds ? 'confirmed' : 'lost');
      }
      return out;
    },
  };
  /** The sequencer's view, with the DynamoDB adapter's semantics (functions/feed/outbox.ts). */
  const outbox: Outbox = {
    pendingKeys: async (limit) => {
      await yieldPoint();
      return [...markers.values()]
        .filter((m) => m.feedSeq > m.loggedFeedSeq)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
        .slice(0, limit)
        .map((m) => m.naturalKey);
    },
    read: async (keys) => {
      await yieldPoint();
      return new Map(
        keys.flatMap((k) => (markers.has(k) ? [[k, markers.get(k) as StoredMarker] as const] : [])),
      );
    },
    markLogged: async (key, feedSeq) => {
      await yieldPoint();
      writes++;
      const m = markers.get(key);
      if (!m || m.loggedFeedSeq >= feedSeq) return;
      if (m.feedSeq === feedSeq) {
        const { unlogged: _done, ...rest } = m;
        markers.set(key, { ...rest, loggedFeedSeq: feedSeq });
      } else markers.set(key, { ...m, loggedFeedSeq: feedSeq });
    },
    markAllLogged: async (states) => {
      for (const { naturalKey, feedSeq } of states) await outbox.markLogged(naturalKey, feedSeq);
    },
  };
  return { store, outbox, markers, heads, writes: () => writes };
};

/** The change log in memory, with the same conditional semantics as the DynamoDB adapter. */
export const memoryFeedLog = (
  yieldPoint: Yield = async () => undefined,
  now: () => string = () => '2026-11-20T00:00:00.000Z',
) => {
  const entries = new Map<number, LogEntry>();
  const cursors = new Map<string, StoredCursor>();
  let at: LogHead = { head: 0, claimed: 0 };
  const log: FeedLog = {
    head: async () => {
      await yieldPoint();
      return at.head;
    },
    getHead: async () => {
      await yieldPoint();
      return at;
    },
    claim: async (expected, upto) => {
      await yieldPoint();
      if (expected.claimed !== expected.head || JSON.stringify(at) !== JSON.stringify(expected)) return false;
      at = { head: at.head, claimed: upto, claimedAt: now() };
      return true;
    },
    advance: async (expected) => {
      await yieldPoint();
      if (at.head !== expected.head || at.claimed !== expected.claimed) return false;
      at = { head: at.claimed, claimed: at.claimed };
      return true;
    },
    put: async (seq, entry) => {
      await yieldPoint();
      if (entries.has(seq)) return false;
      entries.set(seq, entry);
      return true;
    },
    putBlock: async (block) => {
      const out: boolean[] = [];
      for (const { seq, entry } of block) out.push(await log.put(seq, entry));
      return out;
    },
    read: async (seqs) => {
      await yieldPoint();
      return new Map(seqs.flatMap((s) => (entries.has(s) ? [[s, entries.get(s) as LogEntry] as const] : [])));
    },
    getCursor: async (name) => {
      await yieldPoint();
      return cursors.get(name);
    },
    setCursor: async (name, next, expected) => {
      await yieldPoint();
      const current = cursors.get(name);
      if (JSON.stringify(current) !== JSON.stringify(expected)) return false;
      cursors.set(name, next);
      return true;
    },
  };
  /** Moves the head over `n` positions without writing them: what a writer of the old protocol left. */
  const reserveUnwritten = (n: number): number[] => {
    const first = at.head + 1;
    at = { head: at.head + n, claimed: at.head + n };
    return Array.from({ length: n }, (_, i) => first + i);
  };
  return { log, entries, head: () => at.head, claim: () => at, reserveUnwritten };
};
