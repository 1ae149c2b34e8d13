import type { Item } from './attribute-value.ts';
import { resourceNotFound, validationError } from './errors.ts';
import type { Storage, StoredTable } from './storage.ts';
import { checkTableName } from './table-schema.ts';

/** What every operation works on: the storage, and the region and account its ARNs name. */
export type EmulatorContext = {
  readonly storage: Storage;
  readonly region: string;
  readonly account: string;
  /** Seconds since the epoch. */
  readonly now: () => number;
};

export type Json = Record<string, unknown>;

/** An operation: a request body in, a response body out (or a thrown DynamoDbError). */
export type Operation = (context: EmulatorContext, request: Json) => Json;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The table a request names; ResourceNotFoundException when there is none. */
export const requireTable = (context: EmulatorContext, name: unknown): StoredTable => {
  const table = context.storage.table(checkTableName(name));
  if (!table) throw resourceNotFound();
  return table;
};

/** Refuses the legacy (pre-expression) parameters, which the emulator does not implement. */
export const refuseLegacy = (request: Json, names: readonly string[]): void => {
  for (const name of names)
    if (request[name] !== undefined)
      throw validationError(
        `${name} (a legacy parameter) is not supported by the local DynamoDB emulator; use expressions`,
      );
};

/** Checks an enum parameter; undefined when absent. */
export const enumOf = <T extends string>(
  request: Json,
  name: string,
  values: readonly T[],
): T | undefined => {
  const value = request[name];
  if (value === undefined) return undefined;
  if (!values.includes(value as T))
    throw validationError(
      `1 validation error detected: Value '${String(value)}' at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  return value as T;
};

/** `ConsumedCapacity` for a request that asked for it (TOTAL or INDEXES), else nothing. */
export const consumedCapacity = (
  request: Json,
  tableName: string,
  units: number,
  index?: string,
): Json | undefined => {
  const mode = enumOf(request, 'ReturnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE'] as const);
  if (mode === undefined || mode === 'NONE') return undefined;
  const total = { TableName: tableName, CapacityUnits: units };
  if (mode === 'TOTAL') return total;
  return index
    ? { ...total, Table: { CapacityUnits: 0 }, GlobalSecondaryIndexes: { [index]: { CapacityUnits: units } } }
    : { ...total, Table: { CapacityUnits: units } };
};

/** Write units: 1 per KB of the larger of the item before and after. */
export const writeUnits = (sizes: readonly number[]): number =>
  Math.max(1, Math.ceil(Math.max(0, ...sizes) / 1024));

/** Read units: 1 per 4 KB, half for an eventually consistent read. */
export const readUnits = (bytes: number, consistent: boolean): number =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Puts the optional fields in a response only when they have a value. */
export const response = (fields: Record<string, unknown>): Json =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

export type { Item };
