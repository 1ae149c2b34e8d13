import type { Operation } from './emulator-context.ts';
import { batchGetItem } from './operations/batch-get-item.ts';
import { batchWriteItem } from './operations/batch-write-item.ts';
import { createTable } from './operations/create-table.ts';
import { deleteItem } from './operations/delete-item.ts';
import { deleteTable } from './operations/delete-table.ts';
import { describeTableOperation } from './operations/describe-table.ts';
import { getItem } from './operations/get-item.ts';
import { listTables } from './operations/list-tables.ts';
import { putItem } from './operations/put-item.ts';
import { query } from './operations/query.ts';
import { scan } from './operations/scan.ts';
import { describeTimeToLive, updateTimeToLive } from './operations/time-to-live.ts';
import { transactGetItems } from './operations/transact-get-items.ts';
import { transactWriteItems } from './operations/transact-write-items.ts';
import { updateItem } from './operations/update-item.ts';

/** The operations the emulator answers, by their `X-Amz-Target` name; any other is refused by name. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateTable: createTable,
  DescribeTable: describeTableOperation,
  DeleteTable: deleteTable,
  ListTables: listTables,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  PutItem: putItem,
  GetItem: getItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};

/** Operations of the DynamoDB API the emulator knows of but does not implement. */
export const KNOWN_UNSUPPORTED: ReadonlySet<string> = new Set([
  'UpdateTable',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'CreateBackup',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'DescribeEndpoints',
  'DescribeLimits',
  'CreateGlobalTable',
  'ExportTableToPointInTime',
  'ImportTable',
]);
