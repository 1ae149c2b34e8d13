import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../functions/feed/feed-log.ts';
import { sequenceFeed } from '../../../functions/feed/sequence.ts';
import type { CommitDeps } from '../../../functions/indexer/commit.ts';
import { indexRecordUpdate } from '../../../functions/indexer/commit.ts';
import { recordUpdateOf } from '../../../functions/indexer/ordering.ts';
import { expireDueMarkers } from '../../../functions/marker-expiry/expire.ts';
import type { CanonicalRecord, StoredMarker } from '../../../schemas/index.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';
import { memoryFeedLog, memoryIndexStore, RULES, subjectRecord } from '../indexer/fixtures.ts';

/** A victim record of one MoPI group, as of `asAt`. */
const record = (ref: string, mopiGroup: string, asAt: string): CanonicalRecord =>
  ({
    ...subjectRecord({ ref, roles: ['VICTIM'], asAt, exploitation: 'LABOUR', withdrawn: false }),
    mopiGroup,
  }) as CanonicalRecord;

const setup = () => {
  const memory = memoryIndexStore();
  const feed = memoryFeedLog();
  let clock = '2020-01-01T00:00:00.000Z';
  const deps: CommitDeps = { store: memory.store, now: () => clock, rules: RULES };
  const index = async (r: CanonicalRecord) => {
    const update = recordUpdateOf(r, TEST_KEY);
    if (!update) throw new Error('no update');
    await indexRecordUpdate(deps, update);
  };
  const markerOf = (ref: string): StoredMarker => {
    const found = [...memory.markers.values()].find((m) => m.draft.sourceRecordRef === ref);
    if (!found) throw new Error(`no marker for ${ref}`);
    return found;
  };
  /** What the DynamoDB scan offers: ACTIVE markers whose stored review date has come. */
  const due = async function* (today: string): AsyncGenerator<StoredMarker> {
    for (const m of [...memory.markers.values()])
      if (m.status === 'ACTIVE' && m.reviewDueOn <= today) yield m;
  };
  /** The log's changes, after the sequencer has logged every committed state. */
  const changes = async (): Promise<Extract<LogEntry, { kind: 'CHANGE' }>['change'][]> => {
    await sequenceFeed({ log: feed.log, outbox: memory.outbox, now: () => clock, maxPerRun: 1000 });
    return [...feed.entries.entries()]
      .sort(([a], [b]) => a - b)
      .flatMap(([, e]) => (e.kind === 'CHANGE' ? [e.change] : []));
  };
  return { deps, index, markerOf, due, changes, setClock: (at: string) => (clock = at) };
};

describe('the marker expiry pass', () => {
  it('expires markers past review under time-based disposal, with a feed change and a new PND sync', async () => {
    // Prepare: written in 2020, when nothing was due yet
    const t = setup();
    await t.index(record('OLD-3', '3', '2019-01-10T00:00:00.000Z')); // group 3: due 2025-01-10, EXPIRE
    await t.index(record('OLD-1', '1', '2015-01-10T00:00:00.000Z')); // group 1: due 2025-01-10, REVIEW
    await t.index(record('NEW-3', '3', '2019-12-10T00:00:00.000Z')); // group 3: due 2025-12-10
    const { status, version } = t.markerOf('OLD-3');
    expect(status).toBe('ACTIVE');
    const before = (await t.changes()).length;

    // Act: the pass on 2025-06-01
    t.setClock('2025-06-01T02:00:00.000Z');
    const result = await expireDueMarkers(t.deps, t.due('2025-06-01'), '2025-06-01');

    // Assess
    expect(result).toEqual({ examined: 2, expired: 1, retries: 0 });
    const expired = t.markerOf('OLD-3');
    expect(expired).toMatchObject({ status: 'EXPIRED', reviewDueOn: '2025-01-10', pndSyncState: 'PENDING' });
    expect(t.markerOf('OLD-1').status).toBe('ACTIVE');
    expect(t.markerOf('NEW-3').status).toBe('ACTIVE');
    const logged = (await t.changes()).slice(before);
    expect(logged).toEqual([expect.objectContaining({ naturalKey: expired.naturalKey, status: 'EXPIRED' })]);
    // Expiry is not a new version of the record: a later version still orders after it.
    expect(expired.version).toBe(version);
  });

  it('changes nothing when run again', async () => {
    const t = setup();
    await t.index(record('OLD-3', '3', '2019-01-10T00:00:00.000Z'));
    t.setClock('2025-06-01T02:00:00.000Z');
    await expireDueMarkers(t.deps, t.due('2025-06-01'), '2025-06-01');
    const logged = (await t.changes()).length;

    const again = await expireDueMarkers(t.deps, t.due('2025-06-01'), '2025-06-01');

    expect(again).toEqual({ examined: 0, expired: 0, retries: 0 });
    expect(await t.changes()).toHaveLength(logged);
  });

  it('leaves a marker alone when a newer version was written after the scan read it', async () => {
    // Prepare: the scan reads the old state, then the indexer writes a newer version (due 2031)
    const t = setup();
    await t.index(record('OLD-3', '3', '2019-01-10T00:00:00.000Z'));
    t.setClock('2025-06-01T02:00:00.000Z');
    const scanned = t.markerOf('OLD-3');
    await t.index(record('OLD-3', '3', '2025-05-01T00:00:00.000Z'));
    const logged = (await t.changes()).length;

    // Act
    const stale = async function* () {
      yield scanned;
    };
    const result = await expireDueMarkers(t.deps, stale(), '2025-06-01');

    // Assess: the conditional write lost, the re-read marker is not due, nothing was written
    expect(result).toEqual({ examined: 1, expired: 0, retries: 0 });
    expect(t.markerOf('OLD-3')).toMatchObject({ status: 'ACTIVE', reviewDueOn: '2031-05-01' });
    expect(await t.changes()).toHaveLength(logged);
  });
});
