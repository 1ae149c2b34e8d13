import type { AttributeValue, Item } from './attribute-value.ts';
import { validationError } from './errors.ts';
import type { PathElement } from './expression-parser.ts';

type Container = { M: Record<string, AttributeValue> } | { L: AttributeValue[] };

const child = (value: AttributeValue | undefined, element: PathElement): AttributeValue | undefined => {
  if (value === undefined) return undefined;
  if (typeof element === 'number') {
    const list = (value as { L?: AttributeValue[] }).L;
    return list ? list[element] : undefined;
  }
  const map = (value as { M?: Record<string, AttributeValue> }).M;
  return map && Object.hasOwn(map, element) ? map[element] : undefined;
};

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export const valueAt = (item: Item, elements: readonly PathElement[]): AttributeValue | undefined => {
  const [first, ...rest] = elements;
  if (typeof first !== 'string' || !Object.hasOwn(item, first)) return undefined;
  let value: AttributeValue | undefined = item[first];
  for (const element of rest) value = child(value, element);
  return value;
};

const INVALID_UPDATE = 'The document path provided in the update expression is invalid for update';

/** A deep copy of a value, so an update never changes a value it was given. */
export const cloneValue = <T extends AttributeValue | Item>(value: T): T => structuredClone(value);

/** The container holding a path's last step (created nowhere: every step before the last must exist). */
const parentOf = (item: Item, elements: readonly PathElement[]): Container | Item => {
  if (elements.length === 1) return item;
  const parent = valueAt(item, elements.slice(0, -1));
  const last = elements[elements.length - 1];
  if (parent === undefined) throw validationError(INVALID_UPDATE);
  if (typeof last === 'number' ? !('L' in parent) : !('M' in parent)) throw validationError(INVALID_UPDATE);
  return parent as Container;
};

/** Sets the value at a path in place; a list index past the end appends, as DynamoDB does. */
export const setAt = (item: Item, elements: readonly PathElement[], value: AttributeValue): void => {
  const parent = parentOf(item, elements);
  const last = elements[elements.length - 1] as PathElement;
  if (typeof last === 'number') {
    const list = (parent as { L: AttributeValue[] }).L;
    if (last >= list.length) list.push(value);
    else list[last] = value;
  } else if (parent === item) item[last] = value;
  else (parent as { M: Record<string, AttributeValue> }).M[last] = value;
};

/** Removes the value at a path in place; a missing one is no error, as in DynamoDB. */
export const removeAt = (item: Item, elements: readonly PathElement[]): void => {
  if (elements.length === 1) {
    delete item[elements[0] as string];
    return;
  }
  const parent = valueAt(item, elements.slice(0, -1));
  const last = elements[elements.length - 1] as PathElement;
  if (parent === undefined) return;
  if (typeof last === 'number') {
    const list = (parent as { L?: AttributeValue[] }).L;
    if (!list) throw validationError(INVALID_UPDATE);
    if (last < list.length) list.splice(last, 1);
  } else {
    const map = (parent as { M?: Record<string, AttributeValue> }).M;
    if (!map) throw validationError(INVALID_UPDATE);
    delete map[last];
  }
};

/**
 * The item projected onto paths (ProjectionExpression, UPDATED_* return values): each path's value
 * placed at the same path, lists compacted in index order, as DynamoDB returns them.
 */
export const project = (item: Item, paths: readonly (readonly PathElement[])[]): Item => {
  const out: Item = {};
  for (const elements of paths) {
    const value = valueAt(item, elements);
    if (value === undefined) continue;
    placeInto(out, item, elements, value);
  }
  return compactLists(out);
};

type Sparse = Record<string, unknown>;

/** Places a value in the projection, building maps and (sparse, index-keyed) lists on the way. */
const placeInto = (
  out: Item,
  source: Item,
  elements: readonly PathElement[],
  value: AttributeValue,
): void => {
  let target: Sparse = out as Sparse;
  let sourceValue: AttributeValue | undefined;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i] as PathElement;
    sourceValue = i === 0 ? source[element as string] : child(sourceValue, element);
    const key = String(element);
    if (i === elements.length - 1) {
      target[key] = cloneValue(value);
      return;
    }
    const next = child(sourceValue, elements[i + 1] as PathElement) === undefined ? undefined : sourceValue;
    if (next === undefined) return;
    const kind = typeof elements[i + 1] === 'number' ? 'L' : 'M';
    const existing = target[key] as Record<string, Sparse> | undefined;
    if (!existing || !(kind in existing)) target[key] = { [kind]: {} };
    target = (target[key] as Record<string, Sparse>)[kind] as Sparse;
  }
};

const compactLists = (item: Item): Item => {
  const fix = (value: unknown): AttributeValue => {
    const v = value as Record<string, unknown>;
    if ('L' in v && !Array.isArray(v.L)) {
      const sparse = v.L as Record<string, unknown>;
      return {
        L: Object.keys(sparse)
          .map(Number)
          .sort((a, b) => a - b)
          .map((k) => fix(sparse[k])),
      };
    }
    if ('M' in v && v.M && typeof v.M === 'object') {
      const m: Record<string, AttributeValue> = {};
      for (const [k, x] of Object.entries(v.M as Record<string, unknown>)) m[k] = fix(x);
      return { M: m };
    }
    return v as AttributeValue;
  };
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = fix(v);
  return out;
};
