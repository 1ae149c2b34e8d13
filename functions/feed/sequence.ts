import type { StoredMarker } from '../../schemas/index.ts';
import { changeOf } from './change.ts';
import type { FeedLog, LoggedChange, LogHead } from './feed-log.ts';
import type { Outbox } from './outbox.ts';

/** What the sequencer needs: the log, the markers' outbox, a clock and its limits. */
export type SequenceDeps = {
  readonly log: FeedLog;
  readonly outbox: Outbox;
  readonly now: () => string;
  /** Changes per block (positions claimed at once); default 100. */
  readonly blockSize?: number;
  /** Stop after logging this many changes in one run. */
  readonly maxPerRun: number;
  /** An open claim younger than this belongs to a live sequencer and is left alone; default 5 s. */
  readonly claimTimeoutMs?: number;
  /** Markers to look at first (the indexer's own writes: the sparse index may not list them yet). */
  readonly hints?: readonly string[];
};

export type SequenceResult = {
  /** Changes written to the log by this run. */
  readonly logged: number;
  /** Open claims of sequencers that died, finished by this run (their unwritten positions voided). */
  readonly recovered: number;
  /** Where the log's head is now. */
  readonly head: number;
};

/** A change waiting for the log: a marker state (`naturalKey`, `feedSeq`) and its payload. */
type Pending = { readonly naturalKey: string; readonly feedSeq: number; readonly change: LoggedChange };

/** The oldest state of a marker whose change is not in the log, or undefined when all are. */
const nextUnlogged = (m: StoredMarker): Pending | undefined => {
  const older = (m.unlogged ?? [])
    .filter((u) => u.feedSeq > m.loggedFeedSeq && u.feedSeq < m.feedSeq)
    .sort((a, b) => a.feedSeq - b.feedSeq)[0];
  if (older)
    return {
      naturalKey: m.naturalKey,
      feedSeq: older.feedSeq,
      change: JSON.parse(older.change) as LoggedChange,
    };
  return m.feedSeq > m.loggedFeedSeq
    ? { naturalKey: m.naturalKey, feedSeq: m.feedSeq, change: changeOf(m) }
    : undefined;
};

/**
 * Finishes an open claim: every position in it becomes final (a VOID where its sequencer never wrote),
 * every change in it is marked logged on its marker, then the head moves over it. Idempotent: a
 * sequencer that dies here leaves the claim open, and the next run does it again.
 */
const recover = async (deps: SequenceDeps, at: LogHead): Promise<boolean> => {
  const seqs = Array.from({ length: at.claimed - at.head }, (_, i) => at.head + 1 + i);
  let entries = await deps.log.read(seqs);
  const missing = seqs.filter((s) => !entries.has(s));
  if (missing.length > 0) {
    await deps.log.putBlock(missing.map((seq) => ({ seq, entry: { kind: 'VOID' } })));
    entries = await deps.log.read(seqs);
  }
  // A block holds at most one change per marker, so these writes are independent.
  await deps.outbox.markAllLogged(
    [...entries.values()].flatMap((e) =>
      e.kind === 'CHANGE' && e.markerSeq !== undefined
        ? [{ naturalKey: e.change.naturalKey, feedSeq: e.markerSeq }]
        : [],
    ),
  );
  return deps.log.advance(at);
};

/** The next block: at most one change per marker (its oldest unlogged state), oldest markers first. */
const nextBlock = async (deps: SequenceDeps, hints: readonly string[], size: number): Promise<Pending[]> => {
  const listed = await deps.outbox.pendingKeys(size);
  const keys = [...new Set([...hints, ...listed])];
  if (keys.length === 0) return [];
  const markers = await deps.outbox.read(keys);
  return keys
    .flatMap((k) => {
      const m = markers.get(k);
      const p = m && nextUnlogged(m);
      return p ? [p] : [];
    })
    .slice(0, size);
};

/**
 * The feed's single sequencer: gives each committed marker state not yet in the log the next position.
 * For each block it claims positions after the head (one conditional write of the counter), writes one
 * change per position (conditional puts, at most one change per marker per block), marks each marker's
 * state logged, and only then moves the head over the block. Readers read only up to the head, so they
 * never meet a position that is not final. A claim left open by a sequencer that died is finished
 * first by the next run (`recover`), so nothing is logged twice and no position stays empty.
 */
export const sequenceFeed = async (deps: SequenceDeps): Promise<SequenceResult> => {
  const size = deps.blockSize ?? 100;
  const claimTimeoutMs = deps.claimTimeoutMs ?? 5_000;
  let hints = deps.hints ?? [];
  let logged = 0;
  let recovered = 0;
  for (;;) {
    const at = await deps.log.getHead();
    if (at.claimed > at.head) {
      const age = Date.parse(deps.now()) - Date.parse(at.claimedAt ?? '1970-01-01T00:00:00Z');
      if (age < claimTimeoutMs || !(await recover(deps, at))) return { logged, recovered, head: at.head };
      recovered++;
      continue;
    }
    if (logged >= deps.maxPerRun) return { logged, recovered, head: at.head };
    const room = Math.min(size, deps.maxPerRun - logged);
    const block = await nextBlock(deps, hints.slice(0, room), room);
    hints = hints.slice(room);
    if (block.length === 0) {
      if (hints.length > 0) continue;
      return { logged, recovered, head: at.head };
    }
    if (!(await deps.log.claim(at, at.head + block.length))) return { logged, recovered, head: at.head };
    const claimed = { head: at.head, claimed: at.head + block.length };
    const written = await deps.log.putBlock(
      block.map((p, i) => ({
        seq: at.head + 1 + i,
        entry: { kind: 'CHANGE', change: p.change, markerSeq: p.feedSeq },
      })),
    );
    // A put that failed was voided by a run that took this claim over: it finishes the block.
    if (!written.every(Boolean)) return { logged, recovered, head: at.head };
    await deps.outbox.markAllLogged(block.map((p) => ({ naturalKey: p.naturalKey, feedSeq: p.feedSeq })));
    if (!(await deps.log.advance(claimed))) return { logged, recovered, head: at.head };
    logged += block.length;
  }
};
