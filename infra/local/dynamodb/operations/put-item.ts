import { itemSize } from '../attribute-value.ts';
import { consumedCapacity, enumOf, type Operation, response, writeUnits } from '../emulator-context.ts';
import { planPut, returnValues, runWrite } from '../write-plan.ts';

/** PutItem: ReturnValues NONE or ALL_OLD. */
export const putItem: Operation = (context, request) => {
  const mode = enumOf(request, 'ReturnValues', ['NONE', 'ALL_OLD'] as const);
  const plan = planPut(context, request);
  const result = runWrite(context, plan);
  const attributes = returnValues(mode, plan, result);
  return response({
    Attributes: attributes && Object.keys(attributes).length > 0 ? attributes : undefined,
    ConsumedCapacity: consumedCapacity(
      request,
      plan.table.definition.name,
      writeUnits([result.old ? itemSize(result.old) : 0, result.item ? itemSize(result.item) : 0]),
    ),
  });
};
