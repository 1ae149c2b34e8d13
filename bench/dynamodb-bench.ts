// Micro benchmark of the local DynamoDB: requests/s for a conditional PutItem, UpdateItem (ADD), Query
// (a 50-item partition), BatchWriteItem (25 items) and TransactWriteItems (25 items), on dynalite (in
// this thread, in memory, as the local stack ran it before) and on the emulator of infra/local/dynamodb/
// (its worker thread, SQLite in a temporary file), and the process's RSS after each.
// Usage: npm run bench:dynamodb [-- N]   (N requests per single-item measure, default 2000)
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDbEmulator } from '../infra/local/dynamodb/dynamodb-emulator.ts';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = 8;
const BATCHES = Math.max(10, Math.round(N / 25));

type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

const client = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** Runs `count` requests, `CONCURRENCY` at a time, and gives requests per second. */
const rate = async (count: number, request: (i: number) => Promise<unknown>): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await request(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
};

const item = (pk: string, sk: number) => ({
  pk: { S: pk },
  sk: { S: String(sk).padStart(8, '0') },
  org: { S: 'PF-E23000001' },
  status: { S: 'ACTIVE' },
  payload: { S: 'x'.repeat(400) },
  n: { N: String(sk) },
});

const run = async (name: string, endpoint: string, transactions: boolean) => {
  const db = client(endpoint);
  await db.send(
    new CreateTableCommand({
      TableName: 'bench',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'org', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOrg',
          KeySchema: [{ AttributeName: 'org', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const results: Record<string, string> = { emulator: name };
  results['PutItem (conditional) /s'] = (
    await rate(N, (i) =>
      db.send(
        new PutItemCommand({
          TableName: 'bench',
          Item: item(`p${i}`, i),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    )
  ).toFixed(0);
  results['UpdateItem (ADD) /s'] = (
    await rate(N, (i) =>
      db.send(
        new UpdateItemCommand({
          TableName: 'bench',
          Key: { pk: { S: `p${i % 100}` }, sk: { S: String(i % 100).padStart(8, '0') } },
          UpdateExpression: 'ADD n :one SET #s = :s',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':s': { S: 'SENT' } },
        }),
      ),
    )
  ).toFixed(0);
  await rate(BATCHES, (b) =>
    db.send(
      new BatchWriteItemCommand({
        RequestItems: {
          bench: Array.from({ length: 25 }, (_, k) => ({
            PutRequest: { Item: item(`q${b % 4}`, b * 25 + k) },
          })),
        },
      }),
    ),
  );
  results['Query (50 items) /s'] = (
    await rate(Math.round(N / 4), (i) =>
      db.send(
        new QueryCommand({
          TableName: 'bench',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: `q${i % 4}` } },
          Limit: 50,
        }),
      ),
    )
  ).toFixed(0);
  results['BatchWriteItem (25) /s'] = (
    await rate(BATCHES, (b) =>
      db.send(
        new BatchWriteItemCommand({
          RequestItems: {
            bench: Array.from({ length: 25 }, (_, k) => ({ PutRequest: { Item: item(`b${b}`, k) } })),
          },
        }),
      ),
    )
  ).toFixed(0);
  results['TransactWriteItems (25) /s'] = transactions
    ? (
        await rate(BATCHES, (b) =>
          db.send(
            new TransactWriteItemsCommand({
              TransactItems: Array.from({ length: 25 }, (_, k) => ({
                Put: {
                  TableName: 'bench',
                  Item: item(`t${b}`, k),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            }),
          ),
        )
      ).toFixed(0)
    : 'not supported';
  results['process RSS MB'] = (process.memoryUsage().rss / 1024 / 1024).toFixed(0);
  db.destroy();
  return results;
};

const main = async () => {
  const rows: Record<string, string>[] = [];
  const emulator = await startDynamoDbEmulator({
    host: '127.0.0.1',
    port: 0,
    region: 'eu-west-2',
    account: '000000000000',
  });
  rows.push(await run('infra/local/dynamodb (worker, SQLite)', emulator.endpoint, true));
  await emulator.close();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rows.push(
    await run(
      'dynalite (main thread, in memory)',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      false,
    ),
  );
  server.close();
  console.log(`${N} requests per single-item measure, ${BATCHES} batches, ${CONCURRENCY} in flight`);
  console.table(rows);
};

await main();
