import { type AttributeValue, typeOf } from './attribute-value.ts';
import type { Condition } from './condition-expression.ts';
import { validationError } from './errors.ts';
import type { KeySchema } from './table-schema.ts';

/** A condition on the sort key that a Query reads as a range of the index. */
export type SortKeyCondition =
  | { readonly op: '=' | '<' | '<=' | '>' | '>='; readonly value: AttributeValue }
  | { readonly op: 'BETWEEN'; readonly low: AttributeValue; readonly high: AttributeValue }
  | { readonly op: 'begins_with'; readonly value: AttributeValue };

/** A KeyConditionExpression read against a key schema: the partition key's value and a sort key range. */
export type KeyCondition = { readonly hash: AttributeValue; readonly range?: SortKeyCondition };

const NOT_SUPPORTED = 'Query key condition not supported';

const attributeOf = (condition: Condition): string | undefined => {
  const operand =
    condition.kind === 'compare'
      ? condition.left
      : condition.kind === 'between'
        ? condition.operand
        : condition.kind === 'begins_with'
          ? condition.path
          : undefined;
  return operand?.kind === 'path' && operand.elements.length === 1 ? String(operand.elements[0]) : undefined;
};

const literal = (condition: Condition): AttributeValue[] => {
  const operands =
    condition.kind === 'compare'
      ? [condition.right]
      : condition.kind === 'between'
        ? [condition.low, condition.high]
        : condition.kind === 'begins_with'
          ? [condition.operand]
          : [];
  return operands.map((o) => {
    if (o.kind !== 'value') throw validationError(`Invalid KeyConditionExpression: ${NOT_SUPPORTED}`);
    return o.value;
  });
};

/** Reads `pk = :v [AND sk <op> :w | sk BETWEEN :a AND :b | begins_with(sk, :p)]` against a key schema. */
export const readKeyCondition = (condition: Condition, keys: KeySchema): KeyCondition => {
  const parts = condition.kind === 'and' ? [condition.left, condition.right] : [condition];
  if (parts.length > 2 || parts.some((p) => p.kind === 'and'))
    throw validationError('Conditions can be of length 1 or 2 only');
  let hash: AttributeValue | undefined;
  let range: SortKeyCondition | undefined;
  for (const part of parts) {
    const name = attributeOf(part);
    if (name === undefined) throw validationError(`Invalid KeyConditionExpression: ${NOT_SUPPORTED}`);
    const values = literal(part);
    if (name === keys.hash.name) {
      if (part.kind !== 'compare' || part.op !== '=' || hash !== undefined)
        throw validationError(NOT_SUPPORTED);
      hash = values[0];
      if (typeOf(hash as AttributeValue) !== keys.hash.type)
        throw validationError(
          'One or more parameter values were invalid: Condition parameter type does not match schema type',
        );
    } else if (keys.range && name === keys.range.name && range === undefined) {
      for (const v of values)
        if (typeOf(v) !== keys.range.type)
          throw validationError(
            'One or more parameter values were invalid: Condition parameter type does not match schema type',
          );
      if (part.kind === 'compare') {
        if (part.op === '<>') throw validationError(`Invalid KeyConditionExpression: ${NOT_SUPPORTED}`);
        range = { op: part.op, value: values[0] as AttributeValue };
      } else if (part.kind === 'between')
        range = { op: 'BETWEEN', low: values[0] as AttributeValue, high: values[1] as AttributeValue };
      else {
        if (keys.range.type === 'N')
          throw validationError(
            'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
          );
        range = { op: 'begins_with', value: values[0] as AttributeValue };
      }
    } else throw validationError(`Query condition missed key schema element: ${keys.hash.name}`);
  }
  if (hash === undefined)
    throw validationError(`Query condition missed key schema element: ${keys.hash.name}`);
  return range ? { hash, range } : { hash };
};
