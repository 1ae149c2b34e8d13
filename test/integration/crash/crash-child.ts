// A child process for test/integration/feed-crash.test.ts: runs the real indexer (indexRecordsMessage)
// or the feed sequencer against the DynamoDB emulator, and SIGKILLs itself at its k-th write request,
// before sending it or after its answer. Without a kill point it prints how many writes it made.
// Usage: node crash-child.ts <endpoint> <markersTable> <feedTable> index|sequence <k|0> before|after [message.json…]
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoFeedLog } from '../../../functions/feed/feed-log.ts';
import { createDynamoOutbox } from '../../../functions/feed/outbox.ts';
import { sequenceFeed } from '../../../functions/feed/sequence.ts';
import { indexRecordsMessage } from '../../../functions/indexer/index-records.ts';
import { createDynamoIndexStore } from '../../../functions/indexer/marker-store.ts';
import type { Ledger } from '../../../functions/shared/ledger.ts';
import { STAGES } from '../../../infra/config.ts';
import { localAwsClientConfig } from '../../../infra/local/clients.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

const [endpoint, markers, feed, role, killAtArg, when, ...messages] = process.argv.slice(2);
const killAt = Number(killAtArg);
const raw = new DynamoDBClient(localAwsClientConfig(String(endpoint), 'eu-west-2'));
const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

const WRITES = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
]);
let writes = 0;
const send = db.send.bind(db) as (command: object) => Promise<unknown>;
const die = () => process.kill(process.pid, 'SIGKILL');
(db as unknown as { send: (command: object) => Promise<unknown> }).send = async (command) => {
  if (!WRITES.has(command.constructor.name)) return send(command);
  const k = ++writes;
  if (k === killAt && when === 'before') die();
  try {
    return await send(command);
  } finally {
    if (k === killAt) die();
  }
};

const noLedger = {
  recordIndexed: async () => true,
  finishIfIndexed: async () => false,
} as unknown as Ledger;
const now = () => new Date().toISOString();

if (role === 'index') {
  const deps = {
    store: createDynamoIndexStore(db, String(markers)),
    now,
    rules: STAGES.dev.retention,
    ledger: noLedger,
    publishStatus: async () => undefined,
    pseudonymKey: async () => TEST_KEY,
  };
  for (const file of messages) await indexRecordsMessage(deps, readFileSync(file, 'utf8'));
} else {
  const deps = {
    log: createDynamoFeedLog(db, String(feed), now),
    outbox: createDynamoOutbox(db, String(markers)),
    now,
    maxPerRun: 1000,
    blockSize: 2,
    claimTimeoutMs: 0,
  };
  while ((await sequenceFeed(deps)).logged > 0);
}
process.stdout.write(JSON.stringify({ writes }));
raw.destroy();
