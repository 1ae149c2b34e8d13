import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamodbAuthorizationRequests } from '../../../../infra/local/iam/dynamodb-requests.ts';
import { cannedServer, clientOptions } from './aws-sdk-server.ts';

const TARGET = { account: '111122223333', region: 'eu-west-2' };
const table = (name: string) => `arn:aws:dynamodb:eu-west-2:111122223333:table/${name}`;
const KEY = { pk: { S: 'a' } };

let server: Awaited<ReturnType<typeof cannedServer>>;
let dynamodb: DynamoDBClient;
beforeAll(async () => {
  server = await cannedServer({
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: '{}',
  });
  dynamodb = new DynamoDBClient(clientOptions(server.endpoint));
});
afterAll(() => server.close());

/** Sends through the real DynamoDB client and maps what it sent. */
const mapped = async (command: object) => {
  const before = server.seen.length;
  await dynamodb.send(command as never).catch(() => undefined);
  const seen = server.seen[before];
  if (!seen) throw new Error('the SDK sent nothing');
  return dynamodbAuthorizationRequests(
    { method: seen.method, path: seen.url, query: '', headers: seen.headers as Record<string, string> },
    Buffer.from(seen.body),
    TARGET,
  );
};

describe('dynamodbAuthorizationRequests, over what the DynamoDB client sends', () => {
  it('asks dynamodb:<Operation> on the table', async () => {
    expect(await mapped(new GetItemCommand({ TableName: 'markers', Key: KEY }))).toEqual([
      { action: 'dynamodb:GetItem', resource: table('markers') },
    ]);
    expect(await mapped(new DescribeTableCommand({ TableName: 'markers' }))).toEqual([
      { action: 'dynamodb:DescribeTable', resource: table('markers') },
    ]);
    expect(
      await mapped(
        new UpdateTimeToLiveCommand({
          TableName: 'markers',
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      ),
    ).toEqual([{ action: 'dynamodb:UpdateTimeToLive', resource: table('markers') }]);
    expect(await mapped(new ListTablesCommand({}))).toEqual([
      { action: 'dynamodb:ListTables', resource: '*' },
    ]);
  });

  it('accepts a table ARN in TableName and names an index for Query', async () => {
    expect(await mapped(new GetItemCommand({ TableName: table('markers'), Key: KEY }))).toEqual([
      { action: 'dynamodb:GetItem', resource: table('markers') },
    ]);
    expect(
      await mapped(
        new QueryCommand({
          TableName: 'markers',
          IndexName: 'by-org',
          KeyConditionExpression: 'org = :o',
          ExpressionAttributeValues: { ':o': { S: 'x' } },
        }),
      ),
    ).toEqual([{ action: 'dynamodb:Query', resource: `${table('markers')}/index/by-org` }]);
  });

  it('asks a batch once per table', async () => {
    expect(
      await mapped(
        new BatchGetItemCommand({ RequestItems: { markers: { Keys: [KEY] }, ledger: { Keys: [KEY] } } }),
      ),
    ).toEqual([
      { action: 'dynamodb:BatchGetItem', resource: table('markers') },
      { action: 'dynamodb:BatchGetItem', resource: table('ledger') },
    ]);
    expect(
      await mapped(new BatchWriteItemCommand({ RequestItems: { markers: [{ PutRequest: { Item: KEY } }] } })),
    ).toEqual([{ action: 'dynamodb:BatchWriteItem', resource: table('markers') }]);
  });

  it('asks a transaction once per item, with the item’s own action', async () => {
    expect(
      await mapped(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'markers', Item: KEY } },
            {
              Update: {
                TableName: 'ledger',
                Key: KEY,
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': { N: '1' } },
              },
            },
            { Delete: { TableName: 'markers', Key: KEY } },
            { ConditionCheck: { TableName: 'feed', Key: KEY, ConditionExpression: 'attribute_exists(pk)' } },
          ],
        }),
      ),
    ).toEqual([
      { action: 'dynamodb:PutItem', resource: table('markers') },
      { action: 'dynamodb:UpdateItem', resource: table('ledger') },
      { action: 'dynamodb:DeleteItem', resource: table('markers') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('feed') },
    ]);
    expect(
      await mapped(
        new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'markers', Key: KEY } }] }),
      ),
    ).toEqual([{ action: 'dynamodb:GetItem', resource: table('markers') }]);
  });

  it('asks a body that is not JSON against *', () => {
    expect(
      dynamodbAuthorizationRequests(
        { method: 'POST', path: '/', query: '', headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' } },
        Buffer.from('not json'),
        TARGET,
      ),
    ).toEqual([{ action: 'dynamodb:GetItem', resource: '*' }]);
  });
});
