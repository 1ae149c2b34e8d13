import { type Item, itemSize, MAX_ITEM_SIZE, validateItem } from './attribute-value.ts';
import { evaluateCondition } from './condition-evaluate.ts';
import { type Condition, parseCondition } from './condition-expression.ts';
import { project } from './document-path.ts';
import { type EmulatorContext, enumOf, type Json, refuseLegacy, requireTable } from './emulator-context.ts';
import { conditionalCheckFailed, validationError } from './errors.ts';
import { ExpressionAttributes } from './expression-attributes.ts';
import type { StoredTable } from './storage.ts';
import { checkItemKey, checkKey, keyAttributeNames, keyOf } from './table-schema.ts';
import { applyUpdate } from './update-apply.ts';
import { parseUpdate, type UpdateExpression } from './update-expression.ts';

export type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/** A checked write, ready to run against the item it finds: what a request means, before it runs. */
export type WritePlan = {
  readonly kind: WriteKind;
  readonly table: StoredTable;
  readonly key: Item;
  readonly condition?: Condition;
  readonly returnOldOnFailure: boolean;
  /** The item after the write (undefined: no item), from the item before it. */
  readonly apply: (old: Item | undefined) => Item | undefined;
  readonly update?: UpdateExpression;
};

/** What a write did: the item before and after it. */
export type WriteResult = { readonly old: Item | undefined; readonly item: Item | undefined };

const checkSize = (item: Item): void => {
  if (itemSize(item) > MAX_ITEM_SIZE)
    throw validationError('Item size has exceeded the maximum allowed size');
};

const conditionOf = (request: Json, attributes: ExpressionAttributes): Condition | undefined =>
  request.ConditionExpression === undefined
    ? undefined
    : parseCondition(String(request.ConditionExpression), 'ConditionExpression', attributes);

const returnOnFailure = (request: Json): boolean =>
  enumOf(request, 'ReturnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE'] as const) === 'ALL_OLD';

/** Plans a Put (PutItem, a transaction's Put, a batch's PutRequest without a condition). */
export const planPut = (context: EmulatorContext, request: Json): WritePlan => {
  refuseLegacy(request, ['Expected', 'ConditionalOperator']);
  const table = requireTable(context, request.TableName);
  const item = validateItem(request.Item);
  checkItemKey(table.definition, item);
  checkSize(item);
  const attributes = new ExpressionAttributes(
    request.ExpressionAttributeNames,
    request.ExpressionAttributeValues,
  );
  const condition = conditionOf(request, attributes);
  attributes.checkAllUsed();
  return {
    kind: 'Put',
    table,
    key: keyOf(table.definition, item),
    ...(condition ? { condition } : {}),
    returnOldOnFailure: returnOnFailure(request),
    apply: () => item,
  };
};

const keyFrom = (table: StoredTable, request: Json): Item => {
  const key = validateItem(request.Key, 'Key');
  checkKey(table.definition, key);
  return key;
};

/** Plans a Delete (DeleteItem, a transaction's Delete). */
export const planDelete = (context: EmulatorContext, request: Json): WritePlan => {
  refuseLegacy(request, ['Expected', 'ConditionalOperator']);
  const table = requireTable(context, request.TableName);
  const key = keyFrom(table, request);
  const attributes = new ExpressionAttributes(
    request.ExpressionAttributeNames,
    request.ExpressionAttributeValues,
  );
  const condition = conditionOf(request, attributes);
  attributes.checkAllUsed();
  return {
    kind: 'Delete',
    table,
    key,
    ...(condition ? { condition } : {}),
    returnOldOnFailure: returnOnFailure(request),
    apply: () => undefined,
  };
};

/** Plans an Update (UpdateItem, a transaction's Update). */
export const planUpdate = (context: EmulatorContext, request: Json): WritePlan => {
  refuseLegacy(request, ['AttributeUpdates', 'Expected', 'ConditionalOperator']);
  const table = requireTable(context, request.TableName);
  const key = keyFrom(table, request);
  const attributes = new ExpressionAttributes(
    request.ExpressionAttributeNames,
    request.ExpressionAttributeValues,
  );
  const update =
    request.UpdateExpression === undefined
      ? undefined
      : parseUpdate(String(request.UpdateExpression), attributes);
  const condition = conditionOf(request, attributes);
  attributes.checkAllUsed();
  const keyNames = keyAttributeNames(table.definition.keys);
  for (const action of update?.actions ?? []) {
    const root = String(action.path.elements[0]);
    if (keyNames.includes(root))
      throw validationError(
        `One or more parameter values were invalid: Cannot update attribute ${root}. This attribute is part of the key`,
      );
  }
  return {
    kind: 'Update',
    table,
    key,
    ...(condition ? { condition } : {}),
    ...(update ? { update } : {}),
    returnOldOnFailure: returnOnFailure(request),
    apply: (old) => {
      const item = update ? applyUpdate(old ?? key, update) : { ...(old ?? key) };
      checkItemKey(table.definition, item);
      checkSize(item);
      return item;
    },
  };
};

/** Plans a transaction's ConditionCheck: a condition and no write. */
export const planConditionCheck = (context: EmulatorContext, request: Json): WritePlan => {
  const table = requireTable(context, request.TableName);
  const key = keyFrom(table, request);
  const attributes = new ExpressionAttributes(
    request.ExpressionAttributeNames,
    request.ExpressionAttributeValues,
  );
  if (request.ConditionExpression === undefined)
    throw validationError('The ConditionExpression parameter is required for ConditionCheck');
  const condition = conditionOf(request, attributes);
  attributes.checkAllUsed();
  return {
    kind: 'ConditionCheck',
    table,
    key,
    ...(condition ? { condition } : {}),
    returnOldOnFailure: returnOnFailure(request),
    apply: (old) => old,
  };
};

/** Whether a plan's condition holds against the item it finds. */
export const conditionHolds = (plan: WritePlan, old: Item | undefined): boolean =>
  plan.condition === undefined || evaluateCondition(old ?? {}, plan.condition);

/** Runs one write: reads the item, checks the condition (ConditionalCheckFailedException), writes. */
export const runWrite = (context: EmulatorContext, plan: WritePlan): WriteResult => {
  const old = context.storage.get(plan.table, plan.key);
  if (!conditionHolds(plan, old)) throw conditionalCheckFailed(plan.returnOldOnFailure ? old : undefined);
  return commitWrite(context, plan, old);
};

/** Writes what a plan makes of the item it found (its condition already checked). */
export const commitWrite = (
  context: EmulatorContext,
  plan: WritePlan,
  old: Item | undefined,
): WriteResult => {
  if (plan.kind === 'ConditionCheck') return { old, item: old };
  const item = plan.apply(old);
  if (item === undefined) {
    if (old) context.storage.delete(plan.table, old);
  } else context.storage.put(plan.table, item, old);
  return { old, item };
};

/** The `Attributes` a write returns for its ReturnValues. */
export const returnValues = (
  mode: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW' | undefined,
  plan: WritePlan,
  result: WriteResult,
): Item | undefined => {
  const paths = plan.update?.actions.map((a) => a.path.elements) ?? [];
  switch (mode) {
    case 'ALL_OLD':
      return result.old;
    case 'ALL_NEW':
      return result.item;
    case 'UPDATED_OLD':
      return result.old ? project(result.old, paths) : undefined;
    case 'UPDATED_NEW':
      return result.item ? project(result.item, paths) : undefined;
    default:
      return undefined;
  }
};
