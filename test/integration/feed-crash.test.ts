import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeOf } from '../../functions/feed/change.ts';
import { createDynamoFeedLog, type FeedLog } from '../../functions/feed/feed-log.ts';
import { createDynamoOutbox } from '../../functions/feed/outbox.ts';
import { readFeed } from '../../functions/feed/read-feed.ts';
import { sequenceFeed } from '../../functions/feed/sequence.ts';
import { fromMarkerItem } from '../../functions/shared/markers/marker-item.ts';
import { STAGES } from '../../infra/config.ts';
import { localAwsClientConfig } from '../../infra/local/clients.ts';
import { type Emulators, startEmulators } from '../../infra/local/emulators.ts';
import { createTableInput } from '../../infra/local/resources.ts';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import type { RecordsMessageV1, StoredMarker } from '../../schemas/index.ts';
import { observable, subjectRecord } from '../unit/indexer/fixtures.ts';

// Crash consistency of the marker index and the feed: real child processes run the indexer and the
// sequencer against the emulators (DynamoDB persisted under a data dir) and SIGKILL themselves at write
// k (before sending it, or after its answer); then a fresh process handles the same messages again (SQS
// redelivery) and the sequencer runs. For every kill point: every committed marker state has exactly one
// change in the log, in per-marker order; no position is left unwritten; a reader from any cursor reads
// to the head without waiting on a hole.

const NODE = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
const CHILD = fileURLToPath(new URL('./crash/crash-child.ts', import.meta.url));

let emulators: Emulators;
let dataDir: string;
let raw: DynamoDBClient;
let db: DynamoDBDocumentClient;
let files: string[];
let tableNo = 0;

/** Two uploads of three subjects: the second changes every marker (a role, a withdrawal), so states pile up. */
/** Version 1 bodies: the indexer still reads them (messages queued before a deploy). */
const messages = (): RecordsMessageV1[] => {
  const asAt1 = '2026-10-01T09:00:00.000Z';
  const asAt2 = '2026-10-20T09:00:00.000Z';
  const v1 = [
    subjectRecord({ ref: 'C-1', roles: ['VICTIM'], asAt: asAt1, exploitation: 'LABOUR', withdrawn: false }),
    subjectRecord({ ref: 'C-2', roles: ['SUSPECT'], asAt: asAt1, exploitation: 'SEXUAL', withdrawn: false }),
    subjectRecord({
      ref: 'C-3',
      roles: ['POTENTIAL_VICTIM'],
      asAt: asAt1,
      exploitation: 'LABOUR',
      withdrawn: false,
    }),
  ];
  const v2 = [
    subjectRecord({
      ref: 'C-1',
      roles: ['VICTIM', 'SUSPECT'],
      asAt: asAt2,
      exploitation: 'LABOUR',
      withdrawn: false,
      upload: 2,
    }),
    subjectRecord({
      ref: 'C-2',
      roles: ['SUSPECT'],
      asAt: asAt2,
      exploitation: 'SEXUAL',
      withdrawn: true,
      upload: 2,
    }),
    subjectRecord({
      ref: 'C-3',
      roles: ['VICTIM'],
      asAt: asAt2,
      exploitation: 'LABOUR',
      withdrawn: false,
      upload: 2,
    }),
  ];
  // One record a message: the indexer commits a round's records in one transaction, so a message of
  // three records is one write; a record a message gives a kill point between every record's commit.
  return [
    ...v1.map((record, chunk) => ({ v: 1 as const, uploadId: 'crash-1', chunk, records: [record] })),
    ...v2.map((record, chunk) => ({ v: 1 as const, uploadId: 'crash-2', chunk, records: [record] })),
  ];
};

type Exit = {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly writes?: number;
};

/** Runs the child; resolves with how it ended (and its write count when it finished). */
const child = (
  tables: { markers: string; feed: string },
  role: 'index' | 'sequence',
  killAt: number,
  when: 'before' | 'after',
  messageFiles: readonly string[] = [],
): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const p = spawn(
      NODE,
      [
        CHILD,
        emulators.endpoints.dynamodb,
        tables.markers,
        tables.feed,
        role,
        String(killAt),
        when,
        ...messageFiles,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ code, signal, ...(out ? { writes: Number(JSON.parse(out).writes) } : {}) });
    });
  });

const freshTables = async () => {
  tableNo++;
  const markers = { ...STAGES.dev.tables.markers, name: `crash-markers-${tableNo}` };
  const feed = { ...STAGES.dev.tables.feed, name: `crash-feed-${tableNo}` };
  await raw.send(new CreateTableCommand(createTableInput(markers)));
  await raw.send(new CreateTableCommand(createTableInput(feed)));
  return { markers: markers.name, feed: feed.name };
};

const storedMarkers = async (table: string): Promise<StoredMarker[]> =>
  ((await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [])
    .filter((i) => i.itemType === 'MARKER')
    .map(fromMarkerItem);

/** The sequencer as the feed publisher runs it after a restart (the crashed one is dead: no claim wait). */
const sequenceAll = async (tables: { markers: string; feed: string }, log: FeedLog) => {
  const now = () => new Date().toISOString();
  const outbox = createDynamoOutbox(db, tables.markers);
  while ((await sequenceFeed({ log, outbox, now, maxPerRun: 1000, claimTimeoutMs: 0 })).logged > 0);
};

/** Reads from `after` to the head; returns the changes and how long pages stood blocked on a hole. */
const readToHead = async (log: FeedLog, after: number) => {
  const changes: FeedChange[] = [];
  let cursor = after;
  let blockedMs = 0;
  let blockedSince: number | undefined;
  for (;;) {
    const page = await readFeed(log, { after: cursor, limit: 4 });
    changes.push(...page.changes);
    if (page.blockedAt !== undefined) blockedSince ??= Date.now();
    else if (blockedSince !== undefined) {
      blockedMs += Date.now() - blockedSince;
      blockedSince = undefined;
    }
    if (page.cursor === cursor && page.blockedAt === undefined) return { changes, cursor, blockedMs };
    if (page.cursor === cursor) await new Promise((r) => setTimeout(r, 50));
    cursor = page.cursor;
  }
};

/** The whole log: every position up to the head, and the counter. */
const wholeLog = async (log: FeedLog) => {
  const at = await log.getHead();
  const seqs = Array.from({ length: at.head }, (_, i) => i + 1);
  return { at, entries: await log.read(seqs) };
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'msht-crash-'));
  emulators = await startEmulators({ ports: { s3: 0, sqs: 0, dynamodb: 0 }, region: 'eu-west-2', dataDir });
  raw = new DynamoDBClient(localAwsClientConfig(emulators.endpoints.dynamodb, 'eu-west-2'));
  db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  files = [];
  for (const [i, m] of messages().entries()) {
    const file = join(dataDir, `message-${i}.json`);
    await writeFile(file, JSON.stringify(m));
    files.push(file);
  }
});

afterAll(async () => {
  raw?.destroy();
  await emulators?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('crash consistency of the marker index and the feed (SIGKILL at every write)', () => {
  it('logs every committed state exactly once, in order, and leaves no hole, whatever write the crash hit', async () => {
    // Prepare: a clean run gives the expected index and the number of writes of each process.
    const clean = await freshTables();
    const indexRun = await child(clean, 'index', 0, 'before', files);
    const sequenceRun = await child(clean, 'sequence', 0, 'before');
    const expected = new Map((await storedMarkers(clean.markers)).map((m) => [m.naturalKey, observable(m)]));
    const indexWrites = indexRun.writes ?? 0;
    const sequenceWrites = sequenceRun.writes ?? 0;
    expect(indexWrites).toBeGreaterThan(4);
    expect(sequenceWrites).toBeGreaterThan(4);

    // Every kill point of the indexer (before and after each of its writes), each paired with a kill of
    // the sequencer at one of its writes, so that every sequencer write is a kill point too.
    const points = Array.from({ length: Math.max(indexWrites * 2, sequenceWrites) }, (_, i) => ({
      k: Math.floor(i / 2) + 1,
      when: i % 2 === 0 ? ('before' as const) : ('after' as const),
      sequencerK: (i % sequenceWrites) + 1,
      sequencerWhen: Math.floor(i / sequenceWrites) % 2 === 0 ? ('after' as const) : ('before' as const),
    }));
    let worstBlockedMs = 0;
    let worstRecoveryMs = 0;
    for (const { k, when, sequencerK, sequencerWhen } of points) {
      const tables = await freshTables();
      const log = createDynamoFeedLog(db, tables.feed, () => new Date().toISOString());
      const label = `indexer killed at write ${k} (${when}), sequencer at ${sequencerK} (${sequencerWhen})`;

      // Act: the indexer dies at write k; a sequencer runs meanwhile and dies at its write k; then the
      // redelivered messages are indexed by a fresh process while a reader follows the feed, and the
      // sequencer runs again.
      if (k <= indexWrites)
        expect((await child(tables, 'index', k, when, files)).signal, label).toBe('SIGKILL');
      await child(tables, 'sequence', sequencerK, sequencerWhen);
      const started = Date.now();
      const following = readToHead(log, 0);
      expect((await child(tables, 'index', 0, when, files)).code, label).toBe(0);
      await sequenceAll(tables, log);
      const followed = await following;
      worstRecoveryMs = Math.max(worstRecoveryMs, Date.now() - started);

      // Assess: the index is the clean run's; nothing is left unlogged.
      const markers = await storedMarkers(tables.markers);
      expect(new Map(markers.map((m) => [m.naturalKey, observable(m)])), label).toEqual(expected);
      for (const m of markers) expect([m.loggedFeedSeq, m.unlogged], label).toEqual([m.feedSeq, undefined]);
      // Every position up to the head is written (no claim open), each committed state once, in order.
      const { at, entries } = await wholeLog(log);
      expect([entries.size, at.claimed], label).toEqual([at.head, at.head]);
      const states = [...entries]
        .sort(([a], [b]) => a - b)
        .flatMap(([, e]) => (e.kind === 'CHANGE' ? [[e.change.naturalKey, e.markerSeq] as const] : []));
      for (const m of markers) {
        const mine = states.filter(([key]) => key === m.naturalKey).map(([, s]) => s);
        expect(mine, `${label}: states of a marker`).toEqual(
          Array.from({ length: m.feedSeq }, (_, i) => i + 1),
        );
      }
      expect(states).toHaveLength(markers.reduce((n, m) => n + m.feedSeq, 0));
      // A reader from any cursor reads to the head without waiting, and sees the rest of the log.
      const all = (await readToHead(log, 0)).changes;
      for (const m of markers)
        expect(all.filter((c) => c.naturalKey === m.naturalKey).at(-1), label).toEqual({
          ...changeOf(m),
          seq: expect.any(Number),
        });
      for (let cursor = 0; cursor <= at.head; cursor++) {
        const read = await readToHead(log, cursor);
        expect([read.cursor, read.blockedMs], `${label}: from ${cursor}`).toEqual([at.head, 0]);
        expect(read.changes).toEqual(all.filter((c) => c.seq > cursor));
      }
      // The reader that followed the feed during recovery saw a prefix of the log, in order.
      expect(followed.changes).toEqual(all.slice(0, followed.changes.length));
      worstBlockedMs = Math.max(worstBlockedMs, followed.blockedMs);
    }
    process.stdout.write(
      `feed crash test: ${points.length} kill points (indexer ${indexWrites} writes, sequencer ${sequenceWrites}); ` +
        `worst reader wait on a hole ${worstBlockedMs} ms; worst restart-to-logged ${worstRecoveryMs} ms\n`,
    );
    expect(worstBlockedMs).toBe(0);
  }, 300_000);
});
