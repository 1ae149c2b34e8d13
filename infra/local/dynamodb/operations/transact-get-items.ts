import { type Item, itemSize } from '../attribute-value.ts';
import { isObject, type Operation, readUnits } from '../emulator-context.ts';
import { validationError } from '../errors.ts';
import { planRead } from './get-item.ts';

const MAX_ACTIONS = 100;

/** TransactGetItems: up to 100 Gets, read at one point in time (requests are served one at a time). */
export const transactGetItems: Operation = (context, request) => {
  const actions = request.TransactItems;
  if (!Array.isArray(actions) || actions.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
    );
  if (actions.length > MAX_ACTIONS)
    throw validationError(
      `1 validation error detected: Value '[${actions.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  const plans = actions.map((action) => {
    if (!isObject(action) || !isObject(action.Get))
      throw validationError('Each TransactGetItem must contain a Get');
    return planRead(context, action.Get, action.Get.Key);
  });
  const units = new Map<string, number>();
  const responses = plans.map((plan) => {
    const item: Item | undefined = context.storage.get(plan.table, plan.key);
    const name = plan.table.definition.name;
    units.set(name, (units.get(name) ?? 0) + 2 * readUnits(item ? itemSize(item) : 0, true));
    return item ? { Item: plan.read(item) } : {};
  });
  const wantsCapacity =
    request.ReturnConsumedCapacity === 'TOTAL' || request.ReturnConsumedCapacity === 'INDEXES';
  return {
    Responses: responses,
    ...(wantsCapacity
      ? { ConsumedCapacity: [...units].map(([TableName, CapacityUnits]) => ({ TableName, CapacityUnits })) }
      : {}),
  };
};
