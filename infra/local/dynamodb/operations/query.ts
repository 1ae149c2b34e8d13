import { type AttributeValue, compareKeyValues, sortableText } from '../attribute-value.ts';
import { conditionPaths, parseCondition } from '../condition-expression.ts';
import { type Operation, refuseLegacy, requireTable } from '../emulator-context.ts';
import { validationError } from '../errors.ts';
import { readKeyCondition, type SortKeyCondition } from '../key-condition.ts';
import { readPage, readRequestOf } from '../read-pages.ts';
import { positionOf } from '../storage.ts';
import { keyAttributeNames } from '../table-schema.ts';

type Bounds = { low?: string; lowInclusive?: boolean; high?: string; highInclusive?: boolean };

/** The least text above every text that starts with `prefix` (undefined: there is none). */
const prefixEnd = (prefix: string, hex: boolean): string | undefined => {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop() as string;
    if (hex) {
      if (last !== 'f') return points.join('') + (Number.parseInt(last, 16) + 1).toString(16);
      continue;
    }
    const code = last.codePointAt(0) as number;
    if (code < 0x10ffff) return points.join('') + String.fromCodePoint(code === 0xd7ff ? 0xe000 : code + 1);
  }
  return undefined;
};

const boundsOf = (range: SortKeyCondition | undefined): Bounds => {
  if (!range) return {};
  switch (range.op) {
    case '=': {
      const t = sortableText(range.value);
      return { low: t, lowInclusive: true, high: t, highInclusive: true };
    }
    case '<':
      return { high: sortableText(range.value), highInclusive: false };
    case '<=':
      return { high: sortableText(range.value), highInclusive: true };
    case '>':
      return { low: sortableText(range.value), lowInclusive: false };
    case '>=':
      return { low: sortableText(range.value), lowInclusive: true };
    case 'BETWEEN':
      if (compareKeyValues(range.low, range.high) > 0)
        throw validationError(
          `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${JSON.stringify(range.low).replace(/"/g, '')}, upper bound operand: AttributeValue: ${JSON.stringify(range.high).replace(/"/g, '')}`,
        );
      return {
        low: sortableText(range.low),
        lowInclusive: true,
        high: sortableText(range.high),
        highInclusive: true,
      };
    case 'begins_with': {
      const t = sortableText(range.value);
      const end = prefixEnd(t, 'B' in range.value);
      return end === undefined
        ? { low: t, lowInclusive: true }
        : { low: t, lowInclusive: true, high: end, highInclusive: false };
    }
  }
};

/** Query: a partition of the table or of a GSI, in sort key order, paged, filtered and projected. */
export const query: Operation = (context, request) => {
  refuseLegacy(request, ['KeyConditions', 'QueryFilter', 'AttributesToGet', 'ConditionalOperator']);
  const table = requireTable(context, request.TableName);
  const read = readRequestOf(table, request);
  if (request.KeyConditionExpression === undefined)
    throw validationError(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  const condition = parseCondition(
    String(request.KeyConditionExpression),
    'KeyConditionExpression',
    read.attributes,
  );
  read.attributes.checkAllUsed();
  const keys = read.index ? read.index.keys : table.definition.keys;
  const key = readKeyCondition(condition, keys);
  if (read.filter) {
    const keyNames = keyAttributeNames(keys);
    const used = conditionPaths(read.filter).find((p) => keyNames.includes(String(p.elements[0])));
    if (used)
      throw validationError(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${String(used.elements[0])}`,
      );
  }
  const forward = request.ScanIndexForward !== false;
  const bounds = boundsOf(key.range);
  const start = read.startKey ? positionOf(table.definition, read.index, read.startKey, false) : undefined;
  return readPage(read, request, start, (after, limit) =>
    context.storage.queryPartition(
      table,
      read.index,
      key.hash as AttributeValue,
      bounds,
      forward,
      after,
      limit,
    ),
  );
};
