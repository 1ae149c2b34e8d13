import { type AttributeValue, type Item, typeOf } from './attribute-value.ts';
import { unsupported, validationError } from './errors.ts';

export type KeyType = 'S' | 'N' | 'B';
export type KeyAttribute = { readonly name: string; readonly type: KeyType };
/** A table's or an index's key: the partition (hash) key and the optional sort (range) key. */
export type KeySchema = { readonly hash: KeyAttribute; readonly range?: KeyAttribute };

export type Projection = {
  readonly ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  readonly NonKeyAttributes?: string[];
};

export type IndexDefinition = {
  readonly name: string;
  readonly keys: KeySchema;
  readonly keySchema: readonly { AttributeName: string; KeyType: string }[];
  readonly projection: Projection;
};

/** What the emulator keeps of a table (stored as JSON beside its items). */
export type TableDefinition = {
  readonly name: string;
  readonly id: string;
  readonly keys: KeySchema;
  readonly keySchema: readonly { AttributeName: string; KeyType: string }[];
  readonly attributeDefinitions: readonly { AttributeName: string; AttributeType: string }[];
  readonly indexes: readonly IndexDefinition[];
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly provisioned?: { readonly ReadCapacityUnits: number; readonly WriteCapacityUnits: number };
  /** Seconds since the epoch, as DescribeTable gives CreationDateTime. */
  readonly createdAt: number;
  readonly ttl?: { readonly attributeName: string; readonly enabled: boolean };
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** Checks a TableName parameter as DynamoDB does. */
export const checkTableName = (name: unknown, parameter = 'tableName'): string => {
  if (typeof name !== 'string')
    throw validationError(
      `1 validation error detected: Value null at '${parameter}' failed to satisfy constraint: Member must not be null`,
    );
  if (name.startsWith('arn:')) {
    const m = /:table\/([^/]+)$/.exec(name);
    if (m?.[1]) return m[1];
  }
  if (!TABLE_NAME.test(name))
    throw validationError(
      `1 validation error detected: Value '${name}' at '${parameter}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  return name;
};

const readKeySchema = (
  schema: unknown,
  types: ReadonlyMap<string, KeyType>,
  where: string,
): { keys: KeySchema; raw: { AttributeName: string; KeyType: string }[] } => {
  if (!Array.isArray(schema) || schema.length < 1 || schema.length > 2)
    throw validationError(`${where}: KeySchema must have one or two elements`);
  const raw = schema.map((k: unknown) => {
    if (
      !isObject(k) ||
      typeof k.AttributeName !== 'string' ||
      (k.KeyType !== 'HASH' && k.KeyType !== 'RANGE')
    )
      throw validationError(`${where}: Invalid KeySchema element`);
    return { AttributeName: k.AttributeName, KeyType: k.KeyType };
  });
  if (raw[0]?.KeyType !== 'HASH' || (raw[1] && raw[1].KeyType !== 'RANGE'))
    throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  const attribute = (name: string): KeyAttribute => {
    const type = types.get(name);
    if (!type)
      throw validationError(
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' +
          raw.map((r) => r.AttributeName).join(', ') +
          '], AttributeDefinitions: [' +
          [...types.keys()].join(', ') +
          ']',
      );
    return { name, type };
  };
  const hash = attribute((raw[0] as { AttributeName: string }).AttributeName);
  const range = raw[1] ? attribute(raw[1].AttributeName) : undefined;
  return { keys: range ? { hash, range } : { hash }, raw };
};

/** Reads and checks a CreateTable request into a table definition. */
export const tableDefinitionOf = (request: Json, id: string, now: number): TableDefinition => {
  const name = checkTableName(request.TableName);
  if (request.LocalSecondaryIndexes !== undefined) throw unsupported('LocalSecondaryIndexes');
  if (isObject(request.StreamSpecification) && request.StreamSpecification.StreamEnabled === true)
    throw unsupported('StreamSpecification (DynamoDB Streams)');
  if (!Array.isArray(request.AttributeDefinitions) || request.AttributeDefinitions.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
    );
  const types = new Map<string, KeyType>();
  const attributeDefinitions = request.AttributeDefinitions.map((d: unknown) => {
    if (
      !isObject(d) ||
      typeof d.AttributeName !== 'string' ||
      !['S', 'N', 'B'].includes(String(d.AttributeType))
    )
      throw validationError(
        'Invalid AttributeDefinitions: each needs an AttributeName and an AttributeType of S, N or B',
      );
    if (types.has(d.AttributeName)) throw validationError('Cannot have two attributes with the same name');
    types.set(d.AttributeName, d.AttributeType as KeyType);
    return { AttributeName: d.AttributeName, AttributeType: String(d.AttributeType) };
  });
  const table = readKeySchema(request.KeySchema, types, 'Table');
  const billingMode = request.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  if (
    request.BillingMode !== undefined &&
    request.BillingMode !== 'PAY_PER_REQUEST' &&
    request.BillingMode !== 'PROVISIONED'
  )
    throw validationError(
      `1 validation error detected: Value '${String(request.BillingMode)}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`,
    );
  const throughput = isObject(request.ProvisionedThroughput) ? request.ProvisionedThroughput : undefined;
  if (billingMode === 'PROVISIONED' && !throughput)
    throw validationError(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  if (billingMode === 'PAY_PER_REQUEST' && throughput)
    throw validationError(
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  const indexes = (Array.isArray(request.GlobalSecondaryIndexes) ? request.GlobalSecondaryIndexes : []).map(
    (i: unknown): IndexDefinition => {
      if (!isObject(i) || typeof i.IndexName !== 'string')
        throw validationError('Invalid GlobalSecondaryIndexes');
      const { keys, raw } = readKeySchema(i.KeySchema, types, `Index ${i.IndexName}`);
      const p = isObject(i.Projection) ? i.Projection : {};
      const type = p.ProjectionType ?? 'ALL';
      if (type !== 'ALL' && type !== 'KEYS_ONLY' && type !== 'INCLUDE')
        throw validationError(`Unknown ProjectionType: ${String(type)}`);
      const projection: Projection =
        type === 'INCLUDE'
          ? { ProjectionType: type, NonKeyAttributes: (p.NonKeyAttributes as string[] | undefined) ?? [] }
          : { ProjectionType: type };
      return { name: i.IndexName, keys, keySchema: raw, projection };
    },
  );
  if (new Set(indexes.map((i) => i.name)).size !== indexes.length)
    throw validationError('One or more parameter values were invalid: Duplicate index name');
  const used = new Set<string>([table.keys.hash.name]);
  if (table.keys.range) used.add(table.keys.range.name);
  for (const index of indexes) {
    used.add(index.keys.hash.name);
    if (index.keys.range) used.add(index.keys.range.name);
  }
  if (used.size !== types.size)
    throw validationError(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  return {
    name,
    id: id,
    keys: table.keys,
    keySchema: table.raw,
    attributeDefinitions,
    indexes,
    billingMode,
    ...(throughput
      ? {
          provisioned: {
            ReadCapacityUnits: Number(throughput.ReadCapacityUnits),
            WriteCapacityUnits: Number(throughput.WriteCapacityUnits),
          },
        }
      : {}),
    createdAt: now,
  };
};

const keyAttributeNames = (keys: KeySchema): string[] =>
  keys.range ? [keys.hash.name, keys.range.name] : [keys.hash.name];

/** The primary key attributes of an item (its `Key`). */
export const keyOf = (table: TableDefinition, item: Item): Item => {
  const key: Item = {};
  for (const name of keyAttributeNames(table.keys)) key[name] = item[name] as AttributeValue;
  return key;
};

/** Checks an item's key attributes on a write (PutItem, BatchWrite PutRequest). */
export const checkItemKey = (table: TableDefinition, item: Item): void => {
  for (const attribute of [table.keys.hash, table.keys.range]) {
    if (!attribute) continue;
    const value = item[attribute.name];
    if (value === undefined)
      throw validationError(
        `One or more parameter values were invalid: Missing the key ${attribute.name} in the item`,
      );
    const type = typeOf(value);
    if (type !== attribute.type)
      throw validationError(
        `One or more parameter values were invalid: Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${type}`,
      );
    checkKeyValue(value, attribute.name);
  }
  for (const index of table.indexes)
    for (const attribute of [index.keys.hash, index.keys.range]) {
      if (!attribute) continue;
      const value = item[attribute.name];
      if (value === undefined) continue;
      const type = typeOf(value);
      if (type !== attribute.type)
        throw validationError(
          `One or more parameter values were invalid: Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${type} IndexName: ${index.name}`,
        );
      if (isEmptyKeyValue(value))
        throw validationError(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index.name}, IndexKey: ${attribute.name}`,
        );
    }
};

const isEmptyKeyValue = (value: AttributeValue): boolean =>
  ('S' in value && value.S === '') || ('B' in value && value.B === '');

const checkKeyValue = (value: AttributeValue, name: string): void => {
  if (isEmptyKeyValue(value))
    throw validationError(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`,
    );
  const size =
    'S' in value ? Buffer.byteLength(value.S) : 'B' in value ? Buffer.byteLength(value.B, 'base64') : 0;
  if (size > 2048 && name !== '')
    throw validationError(
      `One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes`,
    );
};

/** Checks a `Key` parameter (GetItem, UpdateItem, DeleteItem...): exactly the key attributes, of their types. */
export const checkKey = (table: TableDefinition, key: Item): void => {
  const names = keyAttributeNames(table.keys);
  const given = Object.keys(key);
  if (given.length !== names.length || !names.every((n) => key[n] !== undefined))
    throw validationError('The provided key element does not match the schema');
  for (const attribute of [table.keys.hash, table.keys.range]) {
    if (!attribute) continue;
    const value = key[attribute.name] as AttributeValue;
    if (typeOf(value) !== attribute.type)
      throw validationError('The provided key element does not match the schema');
    checkKeyValue(value, attribute.name);
  }
};

/** The table's description, as DescribeTable and CreateTable answer it. */
export const describeTable = (
  table: TableDefinition,
  region: string,
  account: string,
  counts: { items: number; bytes: number; indexItems: (name: string) => { items: number; bytes: number } },
  status = 'ACTIVE',
): Json => {
  const arn = `arn:aws:dynamodb:${region}:${account}:table/${table.name}`;
  const throughput = {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: table.provisioned?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: table.provisioned?.WriteCapacityUnits ?? 0,
  };
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: status,
    CreationDateTime: table.createdAt,
    ProvisionedThroughput: throughput,
    TableSizeBytes: counts.bytes,
    ItemCount: counts.items,
    TableArn: arn,
    TableId: table.id,
    ...(table.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: table.createdAt,
          },
        }
      : {}),
    ...(table.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => {
            const c = counts.indexItems(index.name);
            return {
              IndexName: index.name,
              KeySchema: index.keySchema,
              Projection: index.projection,
              IndexStatus: status === 'DELETING' ? 'DELETING' : 'ACTIVE',
              ProvisionedThroughput: throughput,
              IndexSizeBytes: c.bytes,
              ItemCount: c.items,
              IndexArn: `${arn}/index/${index.name}`,
            };
          }),
        }
      : {}),
  };
};

/** Which attributes of an item an index holds (its keys, the table's keys and its projection). */
export const indexProjection = (table: TableDefinition, index: IndexDefinition, item: Item): Item => {
  if (index.projection.ProjectionType === 'ALL') return item;
  const keep = new Set([...keyAttributeNames(table.keys), ...keyAttributeNames(index.keys)]);
  for (const name of index.projection.NonKeyAttributes ?? []) keep.add(name);
  const out: Item = {};
  for (const name of Object.keys(item)) if (keep.has(name)) out[name] = item[name] as AttributeValue;
  return out;
};

export { keyAttributeNames };
