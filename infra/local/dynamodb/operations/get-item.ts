import { type Item, itemSize, validateItem } from '../attribute-value.ts';
import { project } from '../document-path.ts';
import {
  consumedCapacity,
  type EmulatorContext,
  type Json,
  type Operation,
  readUnits,
  refuseLegacy,
  requireTable,
  response,
} from '../emulator-context.ts';
import { ExpressionAttributes } from '../expression-attributes.ts';
import { parseProjection } from '../projection-expression.ts';
import type { StoredTable } from '../storage.ts';
import { checkKey } from '../table-schema.ts';

/** A checked read of one item by its key (GetItem, a BatchGetItem key, a TransactGetItems Get). */
export type ReadPlan = {
  readonly table: StoredTable;
  readonly key: Item;
  readonly read: (item: Item) => Item;
};

/** Checks a read: the table, the key and the ProjectionExpression. */
export const planRead = (context: EmulatorContext, request: Json, key: unknown): ReadPlan => {
  refuseLegacy(request, ['AttributesToGet']);
  const table = requireTable(context, request.TableName);
  const checked = validateItem(key, 'Key');
  checkKey(table.definition, checked);
  const attributes = new ExpressionAttributes(request.ExpressionAttributeNames, undefined);
  const paths =
    request.ProjectionExpression === undefined
      ? undefined
      : parseProjection(String(request.ProjectionExpression), attributes);
  attributes.checkAllUsed();
  return { table, key: checked, read: (item) => (paths ? project(item, paths) : item) };
};

/** GetItem. */
export const getItem: Operation = (context, request) => {
  const plan = planRead(context, request, request.Key);
  const item = context.storage.get(plan.table, plan.key);
  return response({
    Item: item ? plan.read(item) : undefined,
    ConsumedCapacity: consumedCapacity(
      request,
      plan.table.definition.name,
      readUnits(item ? itemSize(item) : 0, request.ConsistentRead === true),
    ),
  });
};
