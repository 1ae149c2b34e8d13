// The local DynamoDB emulator (infra/local/dynamodb/) against dynalite: the same generated request
// sequences through the AWS SDK give the same answers. TransactWriteItems, which dynalite lacks, is
// checked against its meaning: each condition evaluated alone on dynalite, then all or nothing.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbEmulator,
  startDynamoDbEmulator,
} from '../../infra/local/dynamodb/dynamodb-emulator.ts';

type Item = Record<string, AttributeValue>;
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

let dynaliteServer: Server;
let emulator: DynamoDbEmulator;
let reference: DynamoDBClient;
let subject: DynamoDBClient;
let tableNo = 0;

const client = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

beforeAll(async () => {
  dynaliteServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynaliteServer.listen(0, '127.0.0.1', resolve));
  reference = client(`http://127.0.0.1:${(dynaliteServer.address() as AddressInfo).port}`);
  emulator = await startDynamoDbEmulator({
    host: '127.0.0.1',
    port: 0,
    region: 'eu-west-2',
    account: '000000000000',
  });
  subject = client(emulator.endpoint);
});

afterAll(async () => {
  reference.destroy();
  subject.destroy();
  await emulator.close();
  await new Promise((resolve) => dynaliteServer.close(resolve));
});

/** A table like the project's: string partition key, numeric sort key, a GSI with a sort key, one without. */
const freshTable = async (): Promise<string> => {
  const name = `table-${++tableNo}`;
  const input = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'N' as const },
      { AttributeName: 'g', AttributeType: 'S' as const },
      { AttributeName: 'tag', AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
      {
        IndexName: 'byTag',
        KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' as const }],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
  await reference.send(new CreateTableCommand(input));
  await subject.send(new CreateTableCommand(input));
  return name;
};

// ---- generated requests ----------------------------------------------------------------------------

const PKS = ['a', 'b', 'c'];
const SKS = ['-2', '-1.5', '0', '1', '2.5', '10'];
const pkArb = fc.constantFrom(...PKS);
const skArb = fc.constantFrom(...SKS);
const keyArb = fc.record({ pk: pkArb, sk: skArb });
const numberArb = fc.constantFrom('-3', '0', '1', '2', '7.25', '100');
const tagArb = fc.constantFrom('red', 'reed', 'blue', '');
const gArb = fc.constantFrom('x', 'y');

const keyOf = (k: { pk: string; sk: string }): Item => ({ pk: { S: k.pk }, sk: { N: k.sk } });

const itemArb = fc
  .record(
    {
      key: keyArb,
      g: gArb,
      tag: tagArb.filter((t) => t !== ''),
      n: numberArb,
      s: fc.uniqueArray(fc.constantFrom('p', 'q', 'r'), { minLength: 1, maxLength: 3 }),
      note: fc.constantFrom('', 'hello', 'héllo ✓'),
      flag: fc.boolean(),
    },
    { requiredKeys: ['key'] },
  )
  .map(({ key, ...rest }) => {
    const item: Item = keyOf(key);
    if (rest.g !== undefined) item.g = { S: rest.g };
    if (rest.tag !== undefined) item.tag = { S: rest.tag };
    if (rest.n !== undefined) item.n = { N: rest.n };
    if (rest.s !== undefined) item.s = { SS: rest.s };
    if (rest.note !== undefined) item.note = { S: rest.note };
    if (rest.flag !== undefined) item.flag = { BOOL: rest.flag };
    return item;
  });

type Expr = { expression: string; names?: Record<string, string>; values?: Item };

const conditionArb: fc.Arbitrary<Expr> = fc.oneof(
  fc.constant<Expr>({ expression: 'attribute_not_exists(pk)' }),
  fc.constant<Expr>({ expression: 'attribute_exists(n)' }),
  numberArb.map((v): Expr => ({ expression: 'n = :v', values: { ':v': { N: v } } })),
  numberArb.map(
    (v): Expr => ({ expression: 'n < :v OR attribute_not_exists(n)', values: { ':v': { N: v } } }),
  ),
  numberArb.map((v): Expr => ({ expression: 'NOT (n >= :v)', values: { ':v': { N: v } } })),
  fc.constant<Expr>({
    expression: 'n BETWEEN :lo AND :hi',
    values: { ':lo': { N: '0' }, ':hi': { N: '7.25' } },
  }),
  tagArb.map((t): Expr => ({ expression: 'begins_with(tag, :p)', values: { ':p': { S: t.slice(0, 2) } } })),
  fc.constant<Expr>({ expression: 'tag IN (:a, :b)', values: { ':a': { S: 'red' }, ':b': { S: 'blue' } } }),
  fc.constantFrom('p', 'q').map((m): Expr => ({ expression: 'contains(s, :m)', values: { ':m': { S: m } } })),
  fc.constant<Expr>({ expression: 'size(s) > :one', values: { ':one': { N: '1' } } }),
  fc.constant<Expr>({ expression: 'attribute_type(n, :t)', values: { ':t': { S: 'N' } } }),
  fc.constant<Expr>({
    expression: '#s <> :x AND (flag = :t OR note = :e)',
    names: { '#s': 'tag' },
    values: { ':x': { S: 'red' }, ':t': { BOOL: true }, ':e': { S: '' } },
  }),
);

const updateArb: fc.Arbitrary<Expr> = fc.oneof(
  numberArb.map((d): Expr => ({ expression: 'SET n = n + :d', values: { ':d': { N: d } } })),
  numberArb.map(
    (d): Expr => ({
      expression: 'SET n = if_not_exists(n, :z) - :d',
      values: { ':z': { N: '0' }, ':d': { N: d } },
    }),
  ),
  numberArb.map((d): Expr => ({ expression: 'ADD n :d', values: { ':d': { N: d } } })),
  fc.constantFrom('p', 'z').map((m): Expr => ({ expression: 'ADD s :m', values: { ':m': { SS: [m] } } })),
  fc.constantFrom('p', 'q').map((m): Expr => ({ expression: 'DELETE s :m', values: { ':m': { SS: [m] } } })),
  // Not '': DynamoDB refuses an empty GSI key (dynalite takes it; asserted on its own below).
  tagArb
    .filter((t) => t !== '')
    .map((t): Expr => ({ expression: 'SET tag = :t', values: { ':t': { S: t } } })),
  gArb.map((g): Expr => ({ expression: 'SET g = :g REMOVE note', values: { ':g': { S: g } } })),
  fc.constant<Expr>({ expression: 'REMOVE tag, g' }),
  fc.constant<Expr>({
    expression: 'SET #m.#k = :v',
    names: { '#m': 'm', '#k': 'k' },
    values: { ':v': { N: '1' } },
  }),
  fc.constant<Expr>({
    expression: 'SET m = :m',
    values: { ':m': { M: { k: { N: '5' }, l: { L: [{ S: 'x' }] } } } },
  }),
  fc.constant<Expr>({
    expression: 'SET m.l = list_append(m.l, :more)',
    values: { ':more': { L: [{ S: 'y' }] } },
  }),
  fc.constant<Expr>({ expression: 'SET sk = :v', values: { ':v': { N: '1' } } }),
);

const returnValuesArb = fc.constantFrom(
  'NONE',
  'ALL_OLD',
  'UPDATED_OLD',
  'ALL_NEW',
  'UPDATED_NEW',
) as fc.Arbitrary<'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'>;

const merge = (...exprs: (Expr | undefined)[]) => {
  const names = Object.assign({}, ...exprs.map((e) => e?.names ?? {}));
  const values = Object.assign({}, ...exprs.map((e) => e?.values ?? {}));
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
};

/** A condition's values renamed (`:v` -> `:cv`) so it can sit beside an update's. */
const renamed = (e: Expr, suffix: string): Expr => {
  const rename = (s: string) => s.replace(/:(\w+)/g, `:$1${suffix}`).replace(/#(\w+)/g, `#$1${suffix}`);
  return {
    expression: rename(e.expression),
    ...(e.names
      ? { names: Object.fromEntries(Object.entries(e.names).map(([k, v]) => [rename(k), v])) }
      : {}),
    ...(e.values
      ? { values: Object.fromEntries(Object.entries(e.values).map(([k, v]) => [rename(k), v])) }
      : {}),
  };
};

type Step =
  | { kind: 'put'; item: Item; condition?: Expr; returnOld: boolean }
  | {
      kind: 'update';
      key: Item;
      update: Expr;
      condition?: Expr;
      returnValues: string;
      returnOnFailure: boolean;
    }
  | { kind: 'delete'; key: Item; condition?: Expr; returnOld: boolean }
  | { kind: 'get'; key: Item; projection: boolean }
  | {
      kind: 'query';
      pk: string;
      range?: Expr;
      forward: boolean;
      limit?: number;
      filter?: Expr;
      index?: 'byG';
      count: boolean;
    }
  | { kind: 'batch'; puts: Item[]; deletes: Item[] }
  | { kind: 'batchGet'; keys: Item[] }
  | {
      kind: 'transact';
      actions: {
        kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
        key: Item;
        item?: Item;
        update?: Expr;
        condition?: Expr;
      }[];
    };

const rangeArb: fc.Arbitrary<Expr | undefined> = fc.option(
  fc.oneof(
    fc
      .tuple(fc.constantFrom('=', '<', '<=', '>', '>='), skArb)
      .map(([op, v]): Expr => ({ expression: `sk ${op} :r`, values: { ':r': { N: v } } })),
    fc.tuple(skArb, skArb).map(
      ([a, b]): Expr => ({
        expression: 'sk BETWEEN :lo AND :hi',
        values: { ':lo': { N: a }, ':hi': { N: b } },
      }),
    ),
  ),
  { nil: undefined },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      item: itemArb,
      condition: fc.option(conditionArb, { nil: undefined }),
      returnOld: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      key: keyArb.map(keyOf),
      update: updateArb,
      condition: fc.option(conditionArb, { nil: undefined }),
      returnValues: returnValuesArb,
      returnOnFailure: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      key: keyArb.map(keyOf),
      condition: fc.option(conditionArb, { nil: undefined }),
      returnOld: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('get' as const),
      key: keyArb.map(keyOf),
      projection: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('query' as const),
      pk: fc.oneof(pkArb, gArb),
      range: rangeArb,
      forward: fc.boolean(),
      limit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      filter: fc.option(
        conditionArb.filter((c) => !c.expression.includes('pk')),
        { nil: undefined },
      ),
      index: fc.option(fc.constant('byG' as const), { nil: undefined }),
      count: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      puts: fc.uniqueArray(itemArb, { maxLength: 4, selector: (i) => `${i.pk?.S}/${i.sk?.N}` }),
      deletes: fc.uniqueArray(keyArb.map(keyOf), { maxLength: 2, selector: (i) => `${i.pk?.S}/${i.sk?.N}` }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('batchGet' as const),
      keys: fc.uniqueArray(keyArb.map(keyOf), {
        minLength: 1,
        maxLength: 5,
        selector: (i) => `${i.pk?.S}/${i.sk?.N}`,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('transact' as const),
      actions: fc.array(
        fc.oneof(
          fc
            .record({
              kind: fc.constant('Put' as const),
              item: itemArb,
              condition: fc.option(conditionArb, { nil: undefined }),
            })
            .map((a) => ({ ...a, key: { pk: a.item.pk, sk: a.item.sk } as Item })),
          fc.record({
            kind: fc.constant('Update' as const),
            key: keyArb.map(keyOf), // Updates that cannot fail on an item whose conditions held (the reference runs them one by one).
            update: updateArb.filter((u) => !/sk|m|n \+|tag =/.test(u.expression)),
            condition: fc.option(conditionArb, { nil: undefined }),
          }),
          fc.record({
            kind: fc.constant('Delete' as const),
            key: keyArb.map(keyOf),
            condition: fc.option(conditionArb, { nil: undefined }),
          }),
          fc.record({
            kind: fc.constant('ConditionCheck' as const),
            key: keyArb.map(keyOf),
            condition: conditionArb,
          }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
);

// ---- running a step on one endpoint ----------------------------------------------------------------

type Outcome = { ok: unknown } | { error: string; message?: string; item?: unknown };

const outcomeOf = async (run: () => Promise<unknown>): Promise<Outcome> => {
  try {
    const res = (await run()) as Record<string, unknown>;
    const { $metadata: _, ConsumedCapacity: __, ...rest } = res;
    return { ok: rest };
  } catch (err) {
    const e = err as { name: string; message: string; Item?: unknown };
    return { error: e.name, ...(e.Item ? { item: e.Item } : {}) };
  }
};

const queryAll = async (db: DynamoDBClient, input: QueryCommandInput | ScanCommandInput, scan = false) => {
  const pages: unknown[] = [];
  let start: Item | undefined;
  for (let i = 0; i < 50; i++) {
    const res = await db.send(
      scan
        ? new ScanCommand({ ...input, ExclusiveStartKey: start })
        : new QueryCommand({ ...(input as QueryCommandInput), ExclusiveStartKey: start }),
    );
    const { $metadata: _, ConsumedCapacity: __, ...rest } = res;
    pages.push(rest);
    start = res.LastEvaluatedKey;
    if (!start) break;
  }
  return pages;
};

const runStep = (db: DynamoDBClient, table: string, step: Step): Promise<Outcome> => {
  switch (step.kind) {
    case 'put':
      return outcomeOf(() =>
        db.send(
          new PutItemCommand({
            TableName: table,
            Item: step.item,
            ...(step.condition
              ? { ConditionExpression: step.condition.expression, ...merge(step.condition) }
              : {}),
            ReturnValues: step.returnOld ? 'ALL_OLD' : 'NONE',
          }),
        ),
      );
    case 'update': {
      const condition = step.condition ? renamed(step.condition, 'c') : undefined;
      return outcomeOf(() =>
        db.send(
          new UpdateItemCommand({
            TableName: table,
            Key: step.key,
            UpdateExpression: step.update.expression,
            ...(condition ? { ConditionExpression: condition.expression } : {}),
            ...merge(step.update, condition),
            ReturnValues: step.returnValues as 'NONE',
            ...(step.returnOnFailure ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
          }),
        ),
      );
    }
    case 'delete':
      return outcomeOf(() =>
        db.send(
          new DeleteItemCommand({
            TableName: table,
            Key: step.key,
            ...(step.condition
              ? { ConditionExpression: step.condition.expression, ...merge(step.condition) }
              : {}),
            ReturnValues: step.returnOld ? 'ALL_OLD' : 'NONE',
          }),
        ),
      );
    case 'get':
      return outcomeOf(() =>
        db.send(
          new GetItemCommand({
            TableName: table,
            Key: step.key,
            ConsistentRead: true,
            ...(step.projection
              ? { ProjectionExpression: 'n, #s, m.l[0], tag', ExpressionAttributeNames: { '#s': 's' } }
              : {}),
          }),
        ),
      );
    case 'query': {
      const hashName = step.index ? 'g' : 'pk';
      const range = step.range;
      const filter = step.filter ? renamed(step.filter, 'f') : undefined;
      const input: QueryCommandInput = {
        TableName: table,
        ...(step.index ? { IndexName: step.index } : {}),
        KeyConditionExpression: `${hashName} = :h${range ? ` AND ${range.expression}` : ''}`,
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ...merge({ expression: '', values: { ':h': { S: step.pk } } }, range, filter),
        ScanIndexForward: step.forward,
        ...(step.limit ? { Limit: step.limit } : {}),
        ...(step.count ? { Select: 'COUNT' as const } : {}),
      };
      if (!step.index) return outcomeOf(async () => ({ pages: await queryAll(db, input) }));
      // An index may hold several items with the same index key, and DynamoDB returns those in no
      // defined order (dynalite and the emulator break the tie differently), so pages are compared by
      // what they hold in all: the items, the counts and the number of pages, not which page has which.
      return outcomeOf(async () => {
        const pages = (await queryAll(db, input)) as {
          Items?: Item[];
          Count?: number;
          ScannedCount?: number;
        }[];
        return {
          pages: pages.length,
          items: pages
            .flatMap((p) => (p.Items ?? []).map((i) => JSON.stringify(Object.entries(i).sort())))
            .sort(),
          count: pages.reduce((n, p) => n + (p.Count ?? 0), 0),
          scanned: pages.reduce((n, p) => n + (p.ScannedCount ?? 0), 0),
        };
      });
    }
    case 'batch':
      if (step.puts.length + step.deletes.length === 0) return Promise.resolve({ ok: 'nothing' });
      return outcomeOf(() =>
        db.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [table]: [
                ...step.puts.map((Item) => ({ PutRequest: { Item } })),
                ...step.deletes
                  .filter((k) => !step.puts.some((p) => p.pk?.S === k.pk?.S && p.sk?.N === k.sk?.N))
                  .map((Key) => ({ DeleteRequest: { Key } })),
              ],
            },
          }),
        ),
      );
    case 'batchGet':
      return outcomeOf(async () => {
        const res = await db.send(
          new BatchGetItemCommand({ RequestItems: { [table]: { Keys: step.keys, ConsistentRead: true } } }),
        );
        const items = (res.Responses?.[table] ?? []).map((i) => JSON.stringify(i)).sort();
        return { items, unprocessed: res.UnprocessedKeys };
      });
    case 'transact':
      throw new Error('transactions are run by runTransaction');
  }
};

const sameItem = (a: Item, b: Item) => a.pk?.S === b.pk?.S && a.sk?.N === b.sk?.N;

/** A transaction on the subject, and its meaning on dynalite: each condition alone, then all or nothing. */
const runTransaction = async (table: string, step: Extract<Step, { kind: 'transact' }>): Promise<void> => {
  const items: TransactWriteItem[] = step.actions.map((a) => {
    const condition = a.condition ? renamed(a.condition, 'c') : undefined;
    const common = { TableName: table, ...(condition ? { ConditionExpression: condition.expression } : {}) };
    switch (a.kind) {
      case 'Put':
        return { Put: { ...common, Item: a.item as Item, ...merge(condition) } };
      case 'Update':
        return {
          Update: {
            ...common,
            Key: a.key,
            UpdateExpression: (a.update as Expr).expression,
            ...merge(a.update, condition),
          },
        };
      case 'Delete':
        return { Delete: { ...common, Key: a.key, ...merge(condition) } };
      default:
        return {
          ConditionCheck: {
            ...common,
            Key: a.key,
            ConditionExpression: (condition as Expr).expression,
            ...merge(condition),
          },
        };
    }
  });
  const duplicate = step.actions.some((a, i) => step.actions.some((b, j) => j < i && sameItem(a.key, b.key)));
  const got = await outcomeOf(() => subject.send(new TransactWriteItemsCommand({ TransactItems: items })));
  if (duplicate) {
    expect(got).toMatchObject({ error: 'ValidationException' });
    return;
  }
  // Each condition on its own, on dynalite, without changing anything there.
  const codes: string[] = [];
  for (const a of step.actions) {
    if (!a.condition) {
      codes.push('None');
      continue;
    }
    const condition = renamed(a.condition, 'c');
    const current = (
      await reference.send(new GetItemCommand({ TableName: table, Key: a.key, ConsistentRead: true }))
    ).Item;
    const check = await outcomeOf(() =>
      current
        ? reference.send(
            new PutItemCommand({
              TableName: table,
              Item: current,
              ConditionExpression: condition.expression,
              ...merge(condition),
            }),
          )
        : reference.send(
            new DeleteItemCommand({
              TableName: table,
              Key: a.key,
              ConditionExpression: condition.expression,
              ...merge(condition),
            }),
          ),
    );
    codes.push('error' in check ? 'ConditionalCheckFailed' : 'None');
  }
  if (codes.some((c) => c !== 'None')) {
    const error = await subject
      .send(new TransactWriteItemsCommand({ TransactItems: items }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransactionCanceledException' });
    expect(
      (error as { CancellationReasons: { Code: string }[] }).CancellationReasons.map((r) => r.Code),
    ).toEqual(codes);
    expect(got).toMatchObject({ error: 'TransactionCanceledException' });
    return;
  }
  // All conditions held: the writes, each alone, on dynalite; the subject must have done the same.
  for (const a of step.actions) {
    if (a.kind === 'Put')
      await reference.send(new PutItemCommand({ TableName: table, Item: a.item as Item }));
    if (a.kind === 'Delete') await reference.send(new DeleteItemCommand({ TableName: table, Key: a.key }));
    if (a.kind === 'Update')
      await reference.send(
        new UpdateItemCommand({
          TableName: table,
          Key: a.key,
          UpdateExpression: (a.update as Expr).expression,
          ...merge(a.update),
        }),
      );
  }
  expect(got).toEqual({ ok: {} });
};

const fullScan = async (db: DynamoDBClient, table: string): Promise<string[]> =>
  (await queryAll(db, { TableName: table, Limit: 3 }, true))
    .flatMap((p) =>
      ((p as { Items?: Item[] }).Items ?? []).map((i) => JSON.stringify(Object.entries(i).sort())),
    )
    .sort();

describe('the local DynamoDB emulator answers as dynalite does', () => {
  it('for generated sequences of writes, conditional writes, reads, queries, batches and transactions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        const table = await freshTable();
        for (const step of steps) {
          if (step.kind === 'transact') {
            await runTransaction(table, step);
            expect(await fullScan(subject, table), JSON.stringify(step)).toEqual(
              await fullScan(reference, table),
            );
            continue;
          }
          const [want, got] = [await runStep(reference, table, step), await runStep(subject, table, step)];
          // dynalite has no ReturnValuesOnConditionCheckFailure: the item must be the one the condition saw.
          if ('item' in got && step.kind === 'update') {
            const { item, ...rest } = got;
            const current = await reference.send(
              new GetItemCommand({ TableName: table, Key: step.key, ConsistentRead: true }),
            );
            expect(item).toEqual(current.Item);
            expect(rest, JSON.stringify(step)).toEqual(want);
          } else expect(got, JSON.stringify(step)).toEqual(want);
        }
        expect(await fullScan(subject, table)).toEqual(await fullScan(reference, table));
        const scanIndex = (db: DynamoDBClient) =>
          queryAll(db, { TableName: table, IndexName: 'byTag', Limit: 2 }, true).then((pages) =>
            pages
              .flatMap((p) =>
                ((p as { Items?: Item[] }).Items ?? []).map((i) => JSON.stringify(Object.entries(i).sort())),
              )
              .sort(),
          );
        expect(await scanIndex(subject)).toEqual(await scanIndex(reference));
      }),
      { numRuns: Number(process.env.DYNAMODB_DIFF_RUNS ?? 60) },
    );
  }, 240_000);

  it('pages a Scan in dynalite order, by Segment and TotalSegments', async () => {
    const table = await freshTable();
    const items = PKS.flatMap((pk) => SKS.map((sk) => ({ ...keyOf({ pk, sk }), g: { S: 'x' } })));
    for (const db of [reference, subject])
      for (const Item of [...items, ...['d', 'e', 'f', 'gg', 'h'].map((pk) => keyOf({ pk, sk: '1' }))])
        await db.send(new PutItemCommand({ TableName: table, Item }));
    for (const segments of [undefined, 2, 3]) {
      const segmentList = segments === undefined ? [undefined] : [...Array(segments).keys()];
      for (const segment of segmentList) {
        const input: ScanCommandInput = {
          TableName: table,
          Limit: 4,
          ...(segment === undefined ? {} : { Segment: segment, TotalSegments: segments }),
        };
        expect(await queryAll(subject, input, true)).toEqual(await queryAll(reference, input, true));
      }
    }
  });
});

describe('the local DynamoDB emulator where dynalite differs from DynamoDB', () => {
  it('refuses an empty string for a GSI key', async () => {
    const table = await freshTable();
    await expect(
      subject.send(
        new PutItemCommand({ TableName: table, Item: { ...keyOf({ pk: 'a', sk: '1' }), tag: { S: '' } } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('IndexName: byTag'),
    });
  });
});

describe('TransactWriteItems on the local DynamoDB emulator', () => {
  it('refuses two actions on one item, and more than 100 actions', async () => {
    const table = await freshTable();
    const key = keyOf({ pk: 'a', sk: '1' });
    await expect(
      subject.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: key } },
            { Delete: { TableName: table, Key: key } },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    await expect(
      subject.send(
        new TransactWriteItemsCommand({
          TransactItems: [...Array(101).keys()].map((i) => ({
            Put: { TableName: table, Item: keyOf({ pk: `p${i}`, sk: '1' }) },
          })),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('writes nothing when one condition fails, and names the reasons in request order with the item if asked', async () => {
    const table = await freshTable();
    const existing = { ...keyOf({ pk: 'a', sk: '1' }), n: { N: '1' } };
    await subject.send(new PutItemCommand({ TableName: table, Item: existing }));
    const error = await subject
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: keyOf({ pk: 'b', sk: '1' }) } },
            {
              Update: {
                TableName: table,
                Key: keyOf({ pk: 'a', sk: '1' }),
                UpdateExpression: 'ADD n :one',
                ConditionExpression: 'n > :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: existing }],
    });
    expect(
      (await subject.send(new GetItemCommand({ TableName: table, Key: keyOf({ pk: 'b', sk: '1' }) }))).Item,
    ).toBeUndefined();
    // A repeated call with the same token is answered once, as DynamoDB does within 10 minutes.
    const put = (n: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: `token-${table}`,
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: keyOf({ pk: 'a', sk: '1' }),
              UpdateExpression: 'ADD n :d',
              ExpressionAttributeValues: { ':d': { N: n } },
            },
          },
        ],
      });
    await subject.send(put('5'));
    await subject.send(put('5'));
    expect(
      (await subject.send(new GetItemCommand({ TableName: table, Key: keyOf({ pk: 'a', sk: '1' }) }))).Item
        ?.n,
    ).toEqual({ N: '6' });
    await expect(subject.send(put('7'))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatchException',
    });
  });
});

describe('the local DynamoDB emulator with a data folder', () => {
  const EMULATOR = new URL('../../infra/local/dynamodb/dynamodb-emulator.ts', import.meta.url).href;
  /** Starts the emulator in a child process (so it can be killed) and resolves with its endpoint. */
  const startChild = async (directory: string) => {
    const script = join(directory, '..', `${directory.split('/').pop()}-start.mjs`);
    await writeFile(
      script,
      `const { startDynamoDbEmulator } = await import(${JSON.stringify(EMULATOR)});
const e = await startDynamoDbEmulator({ host: '127.0.0.1', port: 0, directory: ${JSON.stringify(directory)}, region: 'eu-west-2', account: '000000000000' });
console.log(e.endpoint);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    return { child, db: client(line) };
  };

  it('keeps every answered write through a kill -9 of its process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msht-dynamodb-crash-'));
    try {
      const first = await startChild(dir);
      const table = 'crash-table';
      await first.db.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      const keys = [...Array(100).keys()].map((i) => `k${i}`);
      await Promise.all(
        keys.map((k) => first.db.send(new PutItemCommand({ TableName: table, Item: { pk: { S: k } } }))),
      );
      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      first.db.destroy();
      const second = await startChild(dir);
      try {
        const found = await queryAll(second.db, { TableName: table }, true);
        const items = found.flatMap((p) => (p as { Items?: Item[] }).Items ?? []).map((i) => i.pk?.S);
        expect(items.sort()).toEqual([...keys].sort());
      } finally {
        second.child.kill('SIGKILL');
        second.db.destroy();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}-start.mjs`, { force: true });
    }
  });

  it('refuses a folder holding a dynalite LevelDB, saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msht-dynamodb-leveldb-'));
    try {
      await writeFile(join(dir, 'CURRENT'), 'MANIFEST-000001\n');
      await expect(
        startDynamoDbEmulator({
          host: '127.0.0.1',
          port: 0,
          directory: dir,
          region: 'eu-west-2',
          account: '000000000000',
        }),
      ).rejects.toThrow(/dynalite \(LevelDB\).*move that folder away/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
