import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoFeedLog } from '../functions/feed/feed-log.ts';
import { createDynamoOutbox } from '../functions/feed/outbox.ts';
import { sequenceFeed } from '../functions/feed/sequence.ts';
import { indexRecordsMessage } from '../functions/indexer/index-records.ts';
import { createDynamoIndexStore, newCounter } from '../functions/indexer/marker-store.ts';
import type { Ledger } from '../functions/shared/ledger.ts';
import { encodeRecordsMessage } from '../functions/shared/records-codec.ts';
import { STAGES } from '../infra/config.ts';
import { localAwsClientConfig } from '../infra/local/clients.ts';
import { startEmulators } from '../infra/local/emulators.ts';
import { createTableInput } from '../infra/local/resources.ts';
import { type CanonicalRecord, randomPseudonymKey, type SubjectRole } from '../schemas/index.ts';
import { normaliseRow } from '../schemas/normalise/normalise-row.ts';

/**
 * Benchmark of the indexer's DynamoDB cost: write units per 1,000 records for a first upload, the same
 * upload again, next month's extract with every record unchanged and `as_at` given, and the same
 * without `as_at` (as-at defaults to the end of the period). Runs on the local DynamoDB emulator; units are counted in the
 * store adapters (1 per started KiB of item, failed conditional writes included).
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1000);
const BENCH_KEY = randomPseudonymKey();
const ROLES: SubjectRole[][] = [
  ['POTENTIAL_VICTIM'],
  ['VICTIM'],
  ['SUSPECT'],
  ['OFFENDER'],
  ['WITNESS'],
  ['VICTIM', 'SUSPECT'],
];

const records = (period: string, upload: string, asAt: string | undefined): CanonicalRecord[] =>
  Array.from({ length: RECORDS }, (_, i) => {
    const outcome = normaliseRow(
      'subject',
      {
        source_record_ref: `P-${String(i).padStart(6, '0')}`,
        source_system: 'NICHE',
        roles: (ROLES[i % ROLES.length] as SubjectRole[]).join(';'),
        ...(asAt ? { as_at: asAt } : {}),
      },
      {
        org: 'PF-E23000001',
        period,
        uploadId: upload,
        fileSha256: 'a'.repeat(64),
        rowNumber: i + 1,
        ingestedAt: `${period}-28T10:00:00.000Z`,
        pseudonymKey: BENCH_KEY,
      },
    );
    if (outcome.status === 'REJECTED')
      throw new Error(`fixture row rejected: ${JSON.stringify(outcome.issues)}`);
    return outcome.record;
  });

const noLedger: Ledger = {
  get: async () => undefined,
  begin: async (entry) => ({ created: true, entry }),
  update: async () => undefined,
  findCompletedBySha256: async () => undefined,
  complete: async () => undefined,
  recordIndexed: async () => true,
  finishIfIndexed: async () => false,
  listByOrg: async () => [],
};

const emulators = await startEmulators({ ports: { s3: 0, sqs: 0, dynamodb: 0 }, region: 'eu-west-2' });
const raw = new DynamoDBClient(localAwsClientConfig(emulators.endpoints.dynamodb, 'eu-west-2'));
const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
try {
  const rows: string[][] = [];
  const run = async (tables: { markers: string; feed: string }, label: string, batch: CanonicalRecord[]) => {
    const store = newCounter();
    const log = newCounter();
    const deps = {
      store: createDynamoIndexStore(db, tables.markers, store),
      now: () => '2026-12-01T00:00:00.000Z',
      rules: STAGES.dev.retention,
      ledger: noLedger,
      pseudonymKey: async () => BENCH_KEY,
      publishStatus: async () => undefined,
    };
    const started = Date.now();
    for (let i = 0; i < batch.length; i += 500) {
      await indexRecordsMessage(
        deps,
        encodeRecordsMessage(
          label,
          i,
          batch.slice(i, i + 500).map((record) => JSON.stringify(record)),
        ),
      );
    }
    // The sequencer (in the feed publisher) logs the changes the upload committed.
    const now = () => new Date().toISOString();
    for (;;) {
      const { logged } = await sequenceFeed({
        log: createDynamoFeedLog(db, tables.feed, now, log),
        outbox: createDynamoOutbox(db, tables.markers, log),
        now,
        maxPerRun: 5000,
      });
      if (logged === 0) break;
    }
    const per1000 = (n: number) => ((n * 1000) / batch.length).toFixed(0);
    rows.push([
      label,
      per1000(store.writeUnits + log.writeUnits),
      per1000(store.writeUnits),
      per1000(log.writeUnits),
      per1000(store.reads),
      String(Date.now() - started),
    ]);
  };
  const tablesFor = async (n: number) => {
    const markers = { ...STAGES.dev.tables.markers, name: `bench-markers-${n}` };
    const feed = { ...STAGES.dev.tables.feed, name: `bench-feed-${n}` };
    await raw.send(new CreateTableCommand(createTableInput(markers)));
    await raw.send(new CreateTableCommand(createTableInput(feed)));
    return { markers: markers.name, feed: feed.name };
  };

  const explicit = await tablesFor(1);
  await run(explicit, 'first upload (as_at given)', records('2026-10', 'u1', '2026-10-14T09:30:00Z'));
  await run(explicit, 'same upload again', records('2026-10', 'u2', '2026-10-14T09:30:00Z'));
  await run(explicit, 'next month, unchanged, as_at given', records('2026-11', 'u3', '2026-10-14T09:30:00Z'));
  const defaulted = await tablesFor(2);
  await run(defaulted, 'first upload (no as_at)', records('2026-10', 'u4', undefined));
  await run(defaulted, 'same upload again (no as_at)', records('2026-10', 'u5', undefined));
  await run(defaulted, 'next month, unchanged, no as_at', records('2026-11', 'u6', undefined));

  const header = ['scenario', 'WCU/1k records', 'indexer', 'sequencer', 'items read/1k', 'ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stdout.write(
    `Indexer write cost, ${RECORDS} subject records per upload (${ROLES.length - 1}/${ROLES.length} marked)\n`,
  );
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
} finally {
  raw.destroy();
  await emulators.close();
}
