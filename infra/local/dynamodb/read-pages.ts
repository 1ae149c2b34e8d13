import { type Item, itemSize, validateItem } from './attribute-value.ts';
import { evaluateCondition } from './condition-evaluate.ts';
import { type Condition, parseCondition } from './condition-expression.ts';
import { project } from './document-path.ts';
import { consumedCapacity, enumOf, type Json, readUnits, response } from './emulator-context.ts';
import { validationError } from './errors.ts';
import { ExpressionAttributes } from './expression-attributes.ts';
import type { PathElement } from './expression-parser.ts';
import { parseProjection } from './projection-expression.ts';
import type { Position, StoredRow, StoredTable } from './storage.ts';
import { type IndexDefinition, indexProjection, keyAttributeNames } from './table-schema.ts';

/** DynamoDB stops a page of a Query or Scan after 1 MB of items read. */
const PAGE_BYTES = 1024 * 1024;
const BATCH_ROWS = 256;

/** The parts of a Query or Scan request that are read alike: index, filter, projection, Select, Limit. */
export type ReadRequest = {
  readonly table: StoredTable;
  readonly index: IndexDefinition | undefined;
  readonly attributes: ExpressionAttributes;
  readonly filter: Condition | undefined;
  readonly paths: (readonly PathElement[])[] | undefined;
  readonly count: boolean;
  readonly limit: number | undefined;
  readonly startKey: Item | undefined;
};

/** Reads what a Query and a Scan share; the caller parses its own expressions with the same attributes. */
export const readRequestOf = (table: StoredTable, request: Json): ReadRequest => {
  const indexName = request.IndexName;
  let index: IndexDefinition | undefined;
  if (indexName !== undefined) {
    index = table.definition.indexes.find((i) => i.name === indexName);
    if (!index) throw validationError(`The table does not have the specified index: ${String(indexName)}`);
    if (request.ConsistentRead === true)
      throw validationError('Consistent reads are not supported on global secondary indexes');
  }
  const attributes = new ExpressionAttributes(
    request.ExpressionAttributeNames,
    request.ExpressionAttributeValues,
  );
  const filter =
    request.FilterExpression === undefined
      ? undefined
      : parseCondition(String(request.FilterExpression), 'FilterExpression', attributes);
  const paths =
    request.ProjectionExpression === undefined
      ? undefined
      : parseProjection(String(request.ProjectionExpression), attributes);
  const select = enumOf(request, 'Select', [
    'ALL_ATTRIBUTES',
    'ALL_PROJECTED_ATTRIBUTES',
    'SPECIFIC_ATTRIBUTES',
    'COUNT',
  ] as const);
  if (select === 'COUNT' && paths)
    throw validationError('Cannot specify the ProjectionExpression when choosing to get only the COUNT');
  if (select === 'SPECIFIC_ATTRIBUTES' && !paths)
    throw validationError(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index)
    throw validationError(
      'One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for a table; use ALL_ATTRIBUTES',
    );
  if (select === 'ALL_ATTRIBUTES' && index && index.projection.ProjectionType !== 'ALL')
    throw validationError(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  const limit = request.Limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1))
    throw validationError(
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  let startKey: Item | undefined;
  if (request.ExclusiveStartKey !== undefined) {
    startKey = validateItem(request.ExclusiveStartKey, 'ExclusiveStartKey');
    const names = [
      ...keyAttributeNames(table.definition.keys),
      ...(index ? keyAttributeNames(index.keys) : []),
    ];
    const definitions = new Map(
      table.definition.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]),
    );
    const given = Object.keys(startKey);
    if (
      !names.every(
        (n) => startKey?.[n] !== undefined && Object.keys(startKey[n] as object)[0] === definitions.get(n),
      ) ||
      given.some((n) => !names.includes(n))
    )
      throw validationError(
        'The provided starting key is invalid: The provided key element does not match the schema',
      );
  }
  return {
    table,
    index,
    attributes,
    filter,
    paths,
    count: select === 'COUNT',
    limit: limit as number | undefined,
    startKey,
  };
};

/** The key a page ends on: the table's key and, reading an index, the index's key. */
const lastKeyOf = (read: ReadRequest, item: Item): Item => {
  const names = [
    ...keyAttributeNames(read.table.definition.keys),
    ...(read.index ? keyAttributeNames(read.index.keys) : []),
  ];
  const key: Item = {};
  for (const name of names) if (item[name] !== undefined) key[name] = item[name];
  return key;
};

/**
 * Reads one page: items in order from `fetch` until Limit items were evaluated or 1 MB was read, the
 * filter applied after (so Limit counts the items read, as in DynamoDB), then the projection.
 */
export const readPage = (
  read: ReadRequest,
  request: Json,
  start: Position | undefined,
  fetch: (after: Position | undefined, limit: number) => StoredRow[],
): Json => {
  const evaluated: Item[] = [];
  let bytes = 0;
  let after = start;
  let stopped = false;
  for (;;) {
    const want = read.limit === undefined ? BATCH_ROWS : Math.min(BATCH_ROWS, read.limit - evaluated.length);
    const rows = fetch(after, want);
    for (const row of rows) {
      const item = read.index ? indexProjection(read.table.definition, read.index, row.item) : row.item;
      evaluated.push(item);
      bytes += itemSize(item);
      after = row.position;
      if ((read.limit !== undefined && evaluated.length >= read.limit) || bytes >= PAGE_BYTES) {
        stopped = true;
        break;
      }
    }
    if (stopped || rows.length < want) break;
  }
  const filter = read.filter;
  const matching = filter ? evaluated.filter((item) => evaluateCondition(item, filter)) : evaluated;
  const last = evaluated[evaluated.length - 1];
  const paths = read.paths;
  return response({
    ...(read.count ? {} : { Items: paths ? matching.map((item) => project(item, paths)) : matching }),
    Count: matching.length,
    ScannedCount: evaluated.length,
    LastEvaluatedKey: stopped && last ? lastKeyOf(read, last) : undefined,
    ConsumedCapacity: consumedCapacity(
      request,
      read.table.definition.name,
      readUnits(bytes, request.ConsistentRead === true),
      read.index?.name,
    ),
  });
};
