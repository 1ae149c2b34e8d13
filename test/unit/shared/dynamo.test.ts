import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  batchGetItems,
  isConditionalCheckFailed,
  queryItems,
  scanItems,
} from '../../../functions/shared/aws/dynamo.ts';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const dbMock = mockClient(DynamoDBDocumentClient);
const TABLE = 'markers';

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe('isConditionalCheckFailed', () => {
  it('is true for the SDK’s exception, and for any error of that name (another copy of the SDK)', () => {
    expect(
      isConditionalCheckFailed(new ConditionalCheckFailedException({ message: 'no', $metadata: {} })),
    ).toBe(true);
    expect(
      isConditionalCheckFailed(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' })),
    ).toBe(true);
  });

  it('is false for any other failure, or for no error at all', () => {
    expect(isConditionalCheckFailed(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(
      isConditionalCheckFailed(
        Object.assign(new Error('x'), { name: 'ProvisionedThroughputExceededException' }),
      ),
    ).toBe(false);
    expect(isConditionalCheckFailed(undefined)).toBe(false);
    expect(isConditionalCheckFailed(null)).toBe(false);
    expect(isConditionalCheckFailed('ConditionalCheckFailedException')).toBe(false);
  });
});

describe('batchGetItems', () => {
  beforeEach(() => dbMock.reset());

  it('asks again for the keys DynamoDB leaves unprocessed, and returns every item once', async () => {
    // Prepare
    const keys = [{ pk: 'a' }, { pk: 'b' }, { pk: 'c' }];
    dbMock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ pk: 'a', n: 1 }] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'b' }, { pk: 'c' }] } },
      })
      .resolves({
        Responses: {
          [TABLE]: [
            { pk: 'b', n: 2 },
            { pk: 'c', n: 3 },
          ],
        },
      });
    const requested: number[] = [];
    // Act
    const items = await batchGetItems(db, TABLE, keys, { onRequest: (n) => requested.push(n) });
    // Assess
    expect(items).toEqual([
      { pk: 'a', n: 1 },
      { pk: 'b', n: 2 },
      { pk: 'c', n: 3 },
    ]);
    const calls = dbMock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]);
    expect(calls).toEqual([
      { Keys: keys, ConsistentRead: true },
      { Keys: [{ pk: 'b' }, { pk: 'c' }], ConsistentRead: true },
    ]);
    expect(requested).toEqual([3, 2]);
  });

  it('asks for at most 100 keys a request', async () => {
    dbMock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const keys = Array.from({ length: 250 }, (_, i) => ({ pk: String(i) }));
    await batchGetItems(db, TABLE, keys, { consistentRead: false });
    const calls = dbMock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]);
    expect(calls.map((c) => c?.Keys?.length)).toEqual([100, 100, 50]);
    expect(calls.map((c) => c?.Keys?.[0])).toEqual([{ pk: '0' }, { pk: '100' }, { pk: '200' }]);
    expect(calls.every((c) => c?.ConsistentRead === false)).toBe(true);
  });
});

describe('queryItems and scanItems', () => {
  beforeEach(() => dbMock.reset());

  it('follow LastEvaluatedKey through every page', async () => {
    dbMock
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ pk: 'a' }], LastEvaluatedKey: { pk: 'a' } })
      .resolves({ Items: [{ pk: 'b' }] });
    dbMock
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ pk: 'x' }], LastEvaluatedKey: { pk: 'x' } })
      .resolvesOnce({ LastEvaluatedKey: { pk: 'y' } })
      .resolves({ Items: [{ pk: 'z' }] });
    expect(await collect(queryItems(db, { TableName: TABLE, KeyConditionExpression: 'pk = :p' }))).toEqual([
      { pk: 'a' },
      { pk: 'b' },
    ]);
    // The paginator updates one input object from page to page, so only the last request is seen as sent.
    const queries = dbMock.commandCalls(QueryCommand);
    expect(queries).toHaveLength(2);
    expect(queries[1]?.args[0].input.ExclusiveStartKey).toEqual({ pk: 'a' });
    expect(await collect(scanItems(db, { TableName: TABLE }))).toEqual([{ pk: 'x' }, { pk: 'z' }]);
    expect(dbMock.commandCalls(ScanCommand)).toHaveLength(3);
  });
});
