import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoFeedLog } from '../../functions/feed/feed-log.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { createLedger, type Ledger } from '../../functions/shared/ledger.ts';
import { fromMarkerItem } from '../../functions/shared/markers/marker-item.ts';
import { STAGES } from '../../infra/config.ts';
import type { StoredMarker, UploadLedgerEntry } from '../../schemas/index.ts';

// `msht local --data` as a child process, killed with SIGKILL while an upload is in ingest and again
// while it is being indexed, then started again on the same folder: the upload must reconcile (every
// row accepted or rejected, every accepted one indexed once, one marker per subject, one feed change
// per marker state). And Ctrl-C (SIGINT) while work is in flight: the process is gone within 5 s, and
// the abandoned work is done on the next start.

const NODE = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
const MSHT = fileURLToPath(new URL('../../bin/msht.mjs', import.meta.url));
const ORG = 'PF-E23000001';
const PERIOD = '2026-10';
/** Rows of the crash upload: enough that indexing takes several invocations, so the kill lands mid-way. */
const ROWS = 3000;
/** How long the stack may show no progress at all before a wait fails: a loaded machine is slow, not stuck. */
const STALL_MS = 60_000;
/** A restarted sequencer waits out a hole the killed one left open (settings.feed.holeTimeoutSeconds). */
const FEED_STALL_MS = STAGES.dev.feed.holeTimeoutSeconds * 1000 + STALL_MS;
const STOP_LIMIT_MS = 5_000;

type Local = {
  readonly child: ChildProcess;
  readonly env: Record<string, string>;
  readonly output: () => string;
};

const subjectsCsv = (rows: number, prefix: string): string =>
  `${[
    'source_record_ref,source_system,roles,sex',
    ...Array.from(
      { length: rows },
      (_, i) => `${prefix}-${i},NICHE,${i % 2 ? 'SUSPECT' : 'POTENTIAL_VICTIM'},F`,
    ),
  ].join('\n')}\n`;

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * Six consecutive free ports (msht local's --port-base layout), away from the defaults another run uses
 * and below Linux's ephemeral range (32768 and up), where the system hands ports to outgoing connections
 * and one could take a port between a stop and the restart.
 */
const freePortBase = async (): Promise<number> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all(Array.from({ length: 6 }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no six consecutive free ports found for msht local');
};

/** Starts `msht local --data`; resolves once it printed "Ready in", with the environment its export lines give. */
const startLocal = async (dataDir: string, portBase: number): Promise<Local> => {
  const child = spawn(
    NODE,
    [MSHT, 'local', '--data', dataDir, '--port-base', String(portBase), '--log-level', 'ERROR'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  });
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    output = `${output + line}\n`.slice(-20_000);
    const m = /^\s+export (\w+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) env[m[1]] = m[2];
    if (line.startsWith('Ready in')) break;
  }
  if (!env.AWS_ENDPOINT_URL_DYNAMODB)
    throw new Error(`msht local did not start (exit ${child.exitCode}); its output:\n${output}`);
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  });
  return { child, env, output: () => output };
};

/** The admin persona's keys from the credentials file msht local wrote. */
const adminKeys = async (env: Record<string, string>) => {
  const text = await readFile(env.AWS_SHARED_CREDENTIALS_FILE ?? '', 'utf8');
  const section = text.split(/^\[/m).find((s) => s.startsWith('admin]')) ?? '';
  const value = (name: string): string => new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm').exec(section)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
};

const clientsFor = async (local: Local) => {
  const raw = new DynamoDBClient({
    endpoint: local.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: local.env.AWS_REGION ?? 'eu-west-2',
    credentials: await adminKeys(local.env),
  });
  const db = DynamoDBDocumentClient.from(raw);
  return {
    raw,
    db,
    ledger: createLedger(db, local.env[ENV.uploadsTable] ?? ''),
    tables: {
      markers: local.env[ENV.markersTable] ?? '',
      feed: local.env[ENV.feedTable] ?? '',
    },
  };
};

/** `msht upload --no-wait` as the organisation's own persona. */
const upload = async (local: Local, file: string): Promise<void> => {
  const child = spawn(NODE, [MSHT, 'upload', file, '--org', ORG, '--period', PERIOD, '--no-wait'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...local.env,
      AWS_PROFILE: `org-${ORG}`,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`msht upload exited ${code}: ${stderr}`);
};

/**
 * Polls `check` until it returns done. Fails only when what it reports has not changed for `stallMs`
 * (no progress), saying what it waited for and where it stood, with the tail of msht local's output.
 */
const waitFor = async (
  what: string,
  local: Local,
  check: () => Promise<{ done: boolean; state: string }>,
  stallMs = STALL_MS,
): Promise<string> => {
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    if (local.child.exitCode !== null || local.child.signalCode !== null)
      throw new Error(`msht local ended while waiting for ${what}; its output:\n${local.output()}`);
    const { done, state } = await check().catch((err: unknown) => ({
      done: false,
      state: `(check failed: ${err instanceof Error ? err.message : String(err)})`,
    }));
    if (done) return state;
    if (state !== last) {
      last = state;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      throw new Error(
        `No progress towards ${what} for ${stallMs} ms; last state: ${state}; msht local's output ends:\n` +
          local.output().slice(-4000),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const entryOf = async (ledger: Ledger, key: string): Promise<UploadLedgerEntry | undefined> =>
  (await ledger.listByOrg(ORG, 100)).find((e) => e.key === key);
const describeEntry = (e: UploadLedgerEntry | undefined): string =>
  e ? `${e.status} ${JSON.stringify(e.counts)} attempts ${e.attempts ?? 0}` : 'no ledger entry yet';

const kill9 = async (local: Local): Promise<void> => {
  local.child.kill('SIGKILL');
  if (local.child.exitCode === null && local.child.signalCode === null) await once(local.child, 'exit');
};

/** SIGINT, and how long the process took to exit. */
const interrupt = async (local: Local): Promise<{ ms: number; code: number | null }> => {
  const started = Date.now();
  local.child.kill('SIGINT');
  const exited = once(local.child, 'exit') as Promise<[number | null]>;
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 20_000));
  const result = await Promise.race([exited, timer]);
  if (result === 'late') {
    local.child.kill('SIGKILL');
    throw new Error(
      `msht local had not exited 20 s after SIGINT; its output ends:\n${local.output().slice(-4000)}`,
    );
  }
  return { ms: Date.now() - started, code: result[0] };
};

const markersOf = async (
  db: DynamoDBDocumentClient,
  table: string,
  prefix: string,
): Promise<StoredMarker[]> => {
  const markers: StoredMarker[] = [];
  for await (const page of paginateScan(
    { client: db },
    {
      TableName: table,
      ConsistentRead: true,
      FilterExpression: 'itemType = :marker AND begins_with(sourceRecordRef, :prefix)',
      ExpressionAttributeValues: { ':marker': 'MARKER', ':prefix': `${prefix}-` },
    },
  ))
    markers.push(...(page.Items ?? []).map(fromMarkerItem));
  return markers;
};

/** Waits until the upload is INDEXED and every marker's states are in the feed log, then checks it all adds up. */
const expectReconciled = async (local: Local, key: string, rows: number, prefix: string): Promise<void> => {
  const { raw, db, ledger, tables } = await clientsFor(local);
  try {
    await waitFor(`upload ${key} INDEXED`, local, async () => {
      const e = await entryOf(ledger, key);
      return { done: e?.status === 'INDEXED', state: describeEntry(e) };
    });
    const entry = (await entryOf(ledger, key)) as UploadLedgerEntry;
    expect(entry.counts.rows, describeEntry(entry)).toBe(rows);
    expect(entry.counts.accepted + entry.counts.rejected, describeEntry(entry)).toBe(entry.counts.rows);
    expect(entry.counts.indexed, describeEntry(entry)).toBe(entry.counts.accepted);
    expect(entry.counts.accepted, describeEntry(entry)).toBe(rows);

    // One marker per subject (each row is one subject with one role), none doubled.
    const markers = await markersOf(db, tables.markers, prefix);
    expect(markers).toHaveLength(rows);
    expect(new Set(markers.map((m) => m.naturalKey)).size).toBe(rows);

    // The feed publisher (every second) logs every marker state once: wait until none is unlogged.
    await waitFor(
      'every marker state in the feed log',
      local,
      async () => {
        const now = await markersOf(db, tables.markers, prefix);
        const unlogged = now.filter((m) => m.loggedFeedSeq !== m.feedSeq).length;
        return { done: unlogged === 0, state: `${unlogged} of ${now.length} markers not yet logged` };
      },
      FEED_STALL_MS,
    );
    const log = createDynamoFeedLog(db, tables.feed, () => new Date().toISOString());
    const head = await log.getHead();
    const entries = await log.read(Array.from({ length: head.head }, (_, i) => i + 1));
    const ours = new Set(markers.map((m) => m.naturalKey));
    const states = [...entries.values()].flatMap((e) =>
      e.kind === 'CHANGE' && ours.has(e.change.naturalKey) ? [`${e.change.naturalKey}#${e.markerSeq}`] : [],
    );
    // Every committed state of every marker exactly once: no change doubled, none missing.
    expect(new Set(states).size, 'distinct marker states in the feed log').toBe(states.length);
    const final = await markersOf(db, tables.markers, prefix);
    expect(states).toHaveLength(final.reduce((n, m) => n + (m.feedSeq ?? 0), 0));
  } finally {
    raw.destroy();
  }
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msht-restart-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('msht local --data through kill -9 and Ctrl-C', () => {
  it('an upload killed in ingest and again mid-indexing reconciles after restart, nothing lost or doubled', async () => {
    const dataDir = join(dir, 'crash-data');
    const file = join(dir, 'subjects.csv');
    const key = `incoming/${ORG}/${PERIOD}/subjects.csv`;
    await writeFile(file, subjectsCsv(ROWS, 'K'));
    const portBase = await freePortBase();

    // Act 1: upload, and kill -9 as soon as ingest has begun (the upload's ledger entry exists).
    let local = await startLocal(dataDir, portBase);
    let clients = await clientsFor(local);
    await upload(local, file);
    const atFirstKill = await waitFor('ingest to begin', local, async () => {
      const e = await entryOf(clients.ledger, key);
      return { done: e !== undefined, state: describeEntry(e) };
    });
    await kill9(local);
    clients.raw.destroy();

    // Act 2: restart; kill -9 again once some, not all, of the records are indexed.
    local = await startLocal(dataDir, portBase);
    clients = await clientsFor(local);
    const atSecondKill = await waitFor('indexing to be under way', local, async () => {
      const e = await entryOf(clients.ledger, key);
      if (e?.status === 'INDEXED')
        throw new Error(
          `the upload was INDEXED before the kill could land mid-indexing (${describeEntry(e)})`,
        );
      return { done: (e?.counts.indexed ?? 0) > 0, state: describeEntry(e) };
    });
    await kill9(local);
    clients.raw.destroy();

    // Act 3: restart on the same folder and let it finish.
    local = await startLocal(dataDir, portBase);
    try {
      expect(local.output()).toMatch(/Restored \d+ message/);
      await expectReconciled(local, key, ROWS, 'K');
    } finally {
      const stopped = await interrupt(local);
      process.stdout.write(
        `restart test: killed at "${atFirstKill}" and at "${atSecondKill}"; reconciled; stop took ${stopped.ms} ms\n`,
      );
    }
  }, 900_000);

  it('Ctrl-C while work is in flight exits within 5 s; the abandoned work is done on the next start', async () => {
    const dataDir = join(dir, 'sigint-data');
    const file = join(dir, 'subjects-sigint.csv');
    const key = `incoming/${ORG}/${PERIOD}/subjects-sigint.csv`;
    await writeFile(file, subjectsCsv(ROWS, 'I'));
    const portBase = await freePortBase();
    let local = await startLocal(dataDir, portBase);
    const clients = await clientsFor(local);
    await upload(local, file);
    // Indexing under way: an indexer invocation (10 messages, about 1,000 records) is almost surely running.
    await waitFor('work in flight', local, async () => {
      const e = await entryOf(clients.ledger, key);
      if (e?.status === 'INDEXED')
        throw new Error(`the upload was INDEXED before SIGINT could land mid-indexing (${describeEntry(e)})`);
      return { done: (e?.counts.indexed ?? 0) > 0, state: describeEntry(e) };
    });
    clients.raw.destroy();

    // Act
    const stopped = await interrupt(local);

    // Assess
    expect(
      stopped.ms,
      `msht local took ${stopped.ms} ms to exit after SIGINT:\n${local.output().slice(-3000)}`,
    ).toBeLessThan(STOP_LIMIT_MS);
    expect(stopped.code).toBe(0);
    expect(local.output()).toMatch(/Local stack stopped in [\d.]+ s/);
    const said = /Local stack stopped in .*/.exec(local.output())?.[0] ?? '';
    local = await startLocal(dataDir, portBase);
    try {
      await expectReconciled(local, key, ROWS, 'I');
    } finally {
      await interrupt(local);
    }
    process.stdout.write(`sigint test: exited ${stopped.ms} ms after SIGINT ("${said}")\n`);
  }, 600_000);
});
