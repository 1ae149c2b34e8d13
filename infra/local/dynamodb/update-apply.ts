import {
  type AttributeValue,
  addNumbers,
  type Item,
  payloadOf,
  setOf,
  typeOf,
  valuesEqual,
} from './attribute-value.ts';
import { operandValue } from './condition-evaluate.ts';
import { cloneValue, removeAt, setAt, valueAt } from './document-path.ts';
import { validationError } from './errors.ts';
import type { SetValue, UpdateExpression } from './update-expression.ts';

const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';

const fail = (message: string): Error => validationError(`Invalid UpdateExpression: ${message}`);

/** The value of a SET action's right-hand side, read from the item before the update. */
const setValueOf = (item: Item, value: SetValue): AttributeValue => {
  switch (value.kind) {
    case 'if_not_exists':
      return valueAt(item, value.path.elements) ?? setValueOf(item, value.fallback);
    case 'list_append': {
      const first = setValueOf(item, value.first);
      const second = setValueOf(item, value.second);
      if (!('L' in first) || !('L' in second)) throw fail(INCORRECT_TYPE);
      return { L: [...first.L, ...second.L] };
    }
    case 'arithmetic': {
      const left = setValueOf(item, value.left);
      const right = setValueOf(item, value.right);
      if (!('N' in left) || !('N' in right)) throw fail(INCORRECT_TYPE);
      return { N: addNumbers(left.N, right.N, value.op === '-') };
    }
    default: {
      const v = operandValue(item, value);
      if (v === undefined)
        throw fail('The provided expression refers to an attribute that does not exist in the item');
      return v;
    }
  }
};

const setUnion = (type: string, a: readonly string[], b: readonly string[]): string[] => {
  const out = [...a];
  for (const m of b) {
    const member = { [type.slice(0, 1)]: m } as AttributeValue;
    if (!out.some((x) => valuesEqual({ [type.slice(0, 1)]: x } as AttributeValue, member))) out.push(m);
  }
  return out;
};

/**
 * Applies an update to a copy of an item (an empty item with just the key when it did not exist):
 * every right-hand side is read from the item as it was, as DynamoDB does.
 */
export const applyUpdate = (before: Item, update: UpdateExpression): Item => {
  const after = cloneValue(before);
  const sets = update.actions.map((action) =>
    action.kind === 'SET' ? cloneValue(setValueOf(before, action.value)) : undefined,
  );
  update.actions.forEach((action, i) => {
    const elements = action.path.elements;
    switch (action.kind) {
      case 'SET':
        setAt(after, elements, sets[i] as AttributeValue);
        return;
      case 'REMOVE':
        return; // after every SET, ADD and DELETE below (list indexes refer to the item as it was)
      case 'ADD': {
        const current = valueAt(after, elements);
        const value = action.value.value;
        if (current === undefined) {
          setAt(after, elements, cloneValue(value));
          return;
        }
        const type = typeOf(current);
        if (type !== typeOf(value)) throw fail(INCORRECT_TYPE);
        if (type === 'N')
          setAt(after, elements, { N: addNumbers((current as { N: string }).N, (value as { N: string }).N) });
        else
          setAt(
            after,
            elements,
            setOf(type, setUnion(type, payloadOf(current) as string[], payloadOf(value) as string[])),
          );
        return;
      }
      case 'DELETE': {
        const current = valueAt(after, elements);
        if (current === undefined) return;
        const value = action.value.value;
        const type = typeOf(current);
        if (type !== typeOf(value)) throw fail(INCORRECT_TYPE);
        const member = type.slice(0, 1);
        const remove = payloadOf(value) as string[];
        const left = (payloadOf(current) as string[]).filter(
          (m) =>
            !remove.some((r) =>
              valuesEqual({ [member]: m } as AttributeValue, { [member]: r } as AttributeValue),
            ),
        );
        if (left.length === 0) removeAt(after, elements);
        else setAt(after, elements, setOf(type, left));
        return;
      }
    }
  });
  // Removals last, highest list index first, so that indexes refer to the item before the update.
  const removals = update.actions.filter((a) => a.kind === 'REMOVE');
  removals
    .map((a) => a.path.elements)
    .sort((a, b) => {
      const x = a[a.length - 1];
      const y = b[b.length - 1];
      return typeof x === 'number' && typeof y === 'number' ? y - x : 0;
    })
    .forEach((elements) => {
      removeAt(after, elements);
    });
  return after;
};

/** The top-level and nested paths an update touches (for UPDATED_OLD and UPDATED_NEW). */
export const updatedPaths = (update: UpdateExpression) => update.actions.map((a) => a.path.elements);
