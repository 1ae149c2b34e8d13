import { itemSize } from '../attribute-value.ts';
import { consumedCapacity, enumOf, type Operation, response, writeUnits } from '../emulator-context.ts';
import { planDelete, returnValues, runWrite } from '../write-plan.ts';

/** DeleteItem: ReturnValues NONE or ALL_OLD. */
export const deleteItem: Operation = (context, request) => {
  const mode = enumOf(request, 'ReturnValues', ['NONE', 'ALL_OLD'] as const);
  const plan = planDelete(context, request);
  const result = runWrite(context, plan);
  const attributes = returnValues(mode, plan, result);
  return response({
    Attributes: attributes && Object.keys(attributes).length > 0 ? attributes : undefined,
    ConsumedCapacity: consumedCapacity(
      request,
      plan.table.definition.name,
      writeUnits([result.old ? itemSize(result.old) : 0]),
    ),
  });
};
