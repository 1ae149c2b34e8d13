import {
  type AttributeValue,
  compareKeyValues,
  type Item,
  payloadOf,
  typeOf,
  valuesEqual,
} from './attribute-value.ts';
import type { Condition } from './condition-expression.ts';
import { valueAt } from './document-path.ts';
import type { Operand } from './expression-parser.ts';

/** The value of an operand against an item: undefined when a path is missing. */
export const operandValue = (item: Item, operand: Operand): AttributeValue | undefined => {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(item, operand.elements);
    case 'size': {
      const value = valueAt(item, operand.path.elements);
      if (value === undefined) return undefined;
      const payload = payloadOf(value);
      switch (typeOf(value)) {
        case 'S':
          return { N: String((payload as string).length) };
        case 'B':
          return { N: String(Buffer.byteLength(payload as string, 'base64')) };
        case 'SS':
        case 'NS':
        case 'BS':
        case 'L':
          return { N: String((payload as unknown[]).length) };
        case 'M':
          return { N: String(Object.keys(payload as object).length) };
        default:
          return undefined;
      }
    }
  }
};

const ORDERED = new Set(['N', 'S', 'B']);

/** a OP b for ordering operators: false unless both are of one orderable type. */
const ordered = (a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined => {
  if (a === undefined || b === undefined) return undefined;
  const type = typeOf(a);
  if (type !== typeOf(b) || !ORDERED.has(type)) return undefined;
  return compareKeyValues(a, b);
};

const beginsWith = (value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean => {
  if (value === undefined || prefix === undefined) return false;
  const type = typeOf(value);
  if (type !== typeOf(prefix)) return false;
  if (type === 'S') return (value as { S: string }).S.startsWith((prefix as { S: string }).S);
  if (type === 'B') {
    const v = Buffer.from((value as { B: string }).B, 'base64');
    const p = Buffer.from((prefix as { B: string }).B, 'base64');
    return v.subarray(0, p.length).equals(p);
  }
  return false;
};

const contains = (value: AttributeValue | undefined, operand: AttributeValue | undefined): boolean => {
  if (value === undefined || operand === undefined) return false;
  const type = typeOf(value);
  const operandType = typeOf(operand);
  switch (type) {
    case 'S':
      return operandType === 'S' && (value as { S: string }).S.includes((operand as { S: string }).S);
    case 'B':
      return (
        operandType === 'B' &&
        Buffer.from((value as { B: string }).B, 'base64').includes(
          Buffer.from((operand as { B: string }).B, 'base64'),
        )
      );
    case 'SS':
    case 'NS':
    case 'BS': {
      const member = type.slice(0, 1);
      if (operandType !== member) return false;
      return (payloadOf(value) as string[]).some((m) =>
        valuesEqual({ [member]: m } as AttributeValue, operand),
      );
    }
    case 'L':
      return (value as { L: AttributeValue[] }).L.some((v) => valuesEqual(v, operand));
    default:
      return false;
  }
};

/** Whether an item (an empty one when absent) satisfies a condition. */
export const evaluateCondition = (item: Item, condition: Condition): boolean => {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(item, condition.left) && evaluateCondition(item, condition.right);
    case 'or':
      return evaluateCondition(item, condition.left) || evaluateCondition(item, condition.right);
    case 'not':
      return !evaluateCondition(item, condition.operand);
    case 'exists':
      return valueAt(item, condition.path.elements) !== undefined;
    case 'not_exists':
      return valueAt(item, condition.path.elements) === undefined;
    case 'attribute_type': {
      const value = valueAt(item, condition.path.elements);
      const type = operandValue(item, condition.type);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with':
      return beginsWith(operandValue(item, condition.path), operandValue(item, condition.operand));
    case 'contains':
      return contains(operandValue(item, condition.path), operandValue(item, condition.operand));
    case 'in': {
      const value = operandValue(item, condition.operand);
      if (value === undefined) return false;
      return condition.list.some((o) => {
        const candidate = operandValue(item, o);
        return candidate !== undefined && valuesEqual(value, candidate);
      });
    }
    case 'between': {
      const value = operandValue(item, condition.operand);
      const low = ordered(value, operandValue(item, condition.low));
      const high = ordered(value, operandValue(item, condition.high));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'compare': {
      const left = operandValue(item, condition.left);
      const right = operandValue(item, condition.right);
      switch (condition.op) {
        case '=':
          return left !== undefined && right !== undefined && valuesEqual(left, right);
        case '<>':
          return left === undefined || right === undefined ? left !== right : !valuesEqual(left, right);
        default: {
          const c = ordered(left, right);
          if (c === undefined) return false;
          return condition.op === '<'
            ? c < 0
            : condition.op === '<='
              ? c <= 0
              : condition.op === '>'
                ? c > 0
                : c >= 0;
        }
      }
    }
  }
};
