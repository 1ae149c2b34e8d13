import { type Item, itemSize } from '../attribute-value.ts';
import { isObject, type Json, type Operation, readUnits } from '../emulator-context.ts';
import { validationError } from '../errors.ts';
import { partitionText, sortText } from '../storage.ts';
import { planRead, type ReadPlan } from './get-item.ts';

const MAX_KEYS = 100;

/** BatchGetItem: up to 100 keys over any tables; everything is processed (UnprocessedKeys is empty). */
export const batchGetItem: Operation = (context, request) => {
  const requestItems = request.RequestItems;
  if (!isObject(requestItems) || Object.keys(requestItems).length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    );
  const plans: [string, ReadPlan[]][] = [];
  let total = 0;
  for (const [tableName, body] of Object.entries(requestItems)) {
    if (!isObject(body) || !Array.isArray(body.Keys) || body.Keys.length === 0)
      throw validationError(
        `1 validation error detected: Value null at 'requestItems.${tableName}.member.keys' failed to satisfy constraint: Member must not be null`,
      );
    total += body.Keys.length;
    if (total > MAX_KEYS) throw validationError(`Too many items requested for the BatchGetItem call`);
    const tablePlans = body.Keys.map((key) => planRead(context, { ...body, TableName: tableName }, key));
    const seen = new Set<string>();
    for (const plan of tablePlans) {
      const keys = plan.table.definition.keys;
      const id = `${partitionText(plan.key[keys.hash.name] as never)}\u0000${sortText(keys, plan.key)}`;
      if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(id);
    }
    plans.push([tableName, tablePlans]);
  }
  const wantsCapacity =
    request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES';
  const responses: Record<string, Item[]> = {};
  const capacity: Json[] = [];
  for (const [tableName, tablePlans] of plans) {
    const items: Item[] = [];
    let units = 0;
    for (const plan of tablePlans) {
      const item = context.storage.get(plan.table, plan.key);
      // Sizing walks the whole item: only when the capacity is asked for.
      if (wantsCapacity)
        units += readUnits(
          item ? itemSize(item) : 0,
          (requestItems[tableName] as Json).ConsistentRead === true,
        );
      if (item) items.push(plan.read(item));
    }
    responses[tableName] = items;
    capacity.push({ TableName: tableName, CapacityUnits: units });
  }
  return {
    Responses: responses,
    UnprocessedKeys: {},
    ...(wantsCapacity ? { ConsumedCapacity: capacity } : {}),
  };
};
