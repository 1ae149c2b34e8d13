import { itemSize } from '../attribute-value.ts';
import { isObject, type Json, type Operation, writeUnits } from '../emulator-context.ts';
import { validationError } from '../errors.ts';
import { partitionText, sortText } from '../storage.ts';
import { commitWrite, planDelete, planPut, type WritePlan } from '../write-plan.ts';

const MAX_WRITES = 25;

/** BatchWriteItem: up to 25 puts and deletes (no conditions), written in one commit; none left unprocessed. */
export const batchWriteItem: Operation = (context, request) => {
  const requestItems = request.RequestItems;
  if (!isObject(requestItems) || Object.keys(requestItems).length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    );
  const plans: WritePlan[] = [];
  for (const [tableName, writes] of Object.entries(requestItems)) {
    if (!Array.isArray(writes) || writes.length === 0)
      throw validationError(
        `1 validation error detected: Value null at 'requestItems.${tableName}.member' failed to satisfy constraint: Member must not be null`,
      );
    const seen = new Set<string>();
    for (const write of writes) {
      if (!isObject(write)) throw validationError('Invalid WriteRequest');
      const put = write.PutRequest;
      const del = write.DeleteRequest;
      if ((put === undefined) === (del === undefined))
        throw validationError(
          'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
        );
      const plan = isObject(put)
        ? planPut(context, { TableName: tableName, Item: put.Item })
        : planDelete(context, { TableName: tableName, Key: (del as Json).Key });
      const keys = plan.table.definition.keys;
      const id = `${partitionText(plan.key[keys.hash.name] as never)}\u0000${sortText(keys, plan.key)}`;
      if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
      seen.add(id);
      plans.push(plan);
    }
  }
  if (plans.length > MAX_WRITES)
    throw validationError(
      `1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`,
    );
  const units = new Map<string, number>();
  context.storage.transaction(() => {
    for (const plan of plans) {
      const old = context.storage.get(plan.table, plan.key);
      const result = commitWrite(context, plan, old);
      const name = plan.table.definition.name;
      units.set(
        name,
        (units.get(name) ?? 0) +
          writeUnits([old ? itemSize(old) : 0, result.item ? itemSize(result.item) : 0]),
      );
    }
  });
  const wantsCapacity =
    request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES';
  return {
    UnprocessedItems: {},
    ...(wantsCapacity
      ? { ConsumedCapacity: [...units].map(([TableName, CapacityUnits]) => ({ TableName, CapacityUnits })) }
      : {}),
  };
};
