import { itemSize } from '../attribute-value.ts';
import { consumedCapacity, enumOf, type Operation, response, writeUnits } from '../emulator-context.ts';
import { planUpdate, returnValues, runWrite } from '../write-plan.ts';

/** UpdateItem: SET, REMOVE, ADD, DELETE; ReturnValues of every kind. */
export const updateItem: Operation = (context, request) => {
  const mode = enumOf(request, 'ReturnValues', [
    'NONE',
    'ALL_OLD',
    'UPDATED_OLD',
    'ALL_NEW',
    'UPDATED_NEW',
  ] as const);
  const plan = planUpdate(context, request);
  const result = runWrite(context, plan);
  const attributes = returnValues(mode, plan, result);
  return response({
    // As dynalite: an UPDATED_* projection that names nothing present is still returned (empty).
    Attributes: attributes,
    ConsumedCapacity: consumedCapacity(
      request,
      plan.table.definition.name,
      writeUnits([result.old ? itemSize(result.old) : 0, result.item ? itemSize(result.item) : 0]),
    ),
  });
};
