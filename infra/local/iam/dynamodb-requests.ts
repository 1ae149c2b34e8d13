import { jsonBodyOf } from './query.ts';
import type { AuthorizationRequest, IncomingRequest, Target } from './request-types.ts';

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** The IAM action each item of a transaction needs: the single-item operation it performs. */
const TRANSACT_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const stringField = (json: Json, name: string): string | undefined =>
  typeof json[name] === 'string' ? json[name] : undefined;

/**
 * What DynamoDB asks IAM before serving a request (JSON 1.0: `x-amz-target: DynamoDB_20120810.<Op>`):
 * `dynamodb:<Op>` on the table (or its index, for Query and Scan with IndexName); batches once per table
 * they touch, transactions once per item with the item's own action. A request that names no table
 * (ListTables, or a body that is not JSON) is asked against `*`. PartiQL (ExecuteStatement and friends) is
 * not read: it is asked as itself against `*`, which only a policy granting every table allows.
 */
export const dynamodbAuthorizationRequests = (
  request: IncomingRequest,
  body: Buffer,
  target: Target,
): AuthorizationRequest[] => {
  const header = request.headers['x-amz-target'] ?? '';
  const operation = header.startsWith(TARGET_PREFIX) ? header.slice(TARGET_PREFIX.length) : 'Unknown';
  const action = `dynamodb:${operation}`;
  // A body that names no table is asked against `*` below.
  const json: Json = jsonBodyOf(body);
  // TableName may also be the table's ARN, which DynamoDB accepts in its place.
  const tableArn = (name: string | undefined): string =>
    name === undefined
      ? '*'
      : name.startsWith('arn:')
        ? name
        : `arn:aws:dynamodb:${target.region}:${target.account}:table/${name}`;

  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem': {
      const tables = isObject(json.RequestItems) ? Object.keys(json.RequestItems) : [];
      return tables.length > 0
        ? tables.map((table) => ({ action, resource: tableArn(table) }))
        : [{ action, resource: '*' }];
    }
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const items = Array.isArray(json.TransactItems) ? json.TransactItems : [];
      const requests = items.flatMap((item): AuthorizationRequest[] => {
        if (!isObject(item)) return [];
        return Object.entries(item).flatMap(([kind, operationBody]) => {
          const itemAction = TRANSACT_ACTIONS[kind];
          if (!itemAction) return [];
          const table = isObject(operationBody) ? stringField(operationBody, 'TableName') : undefined;
          return [{ action: itemAction, resource: tableArn(table) }];
        });
      });
      // One decision per action and table: a transaction of 100 puts to one table asks once.
      const unique = [...new Map(requests.map((r) => [`${r.action} ${r.resource}`, r])).values()];
      return unique.length > 0 ? unique : [{ action, resource: '*' }];
    }
    case 'Query':
    case 'Scan': {
      const table = tableArn(stringField(json, 'TableName'));
      const index = stringField(json, 'IndexName');
      return [{ action, resource: index !== undefined && table !== '*' ? `${table}/index/${index}` : table }];
    }
    default: {
      // Most operations name a table; tagging names any resource by its ARN; ListTables names none.
      const table = stringField(json, 'TableName');
      const resourceArn = stringField(json, 'ResourceArn');
      return [{ action, resource: table !== undefined ? tableArn(table) : (resourceArn ?? '*') }];
    }
  }
};
