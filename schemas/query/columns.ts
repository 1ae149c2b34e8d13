import { z } from 'zod';

/**
 * A column's type for both engines, derived from a zod schema's JSON Schema: scalars, lists and structs.
 * Values the engines cannot type (unions of different shapes) are `json` text.
 */
export type ColumnType =
  | { readonly kind: 'string' | 'bigint' | 'double' | 'boolean' | 'json' }
  | { readonly kind: 'array'; readonly of: ColumnType }
  | { readonly kind: 'struct'; readonly fields: readonly Column[] };

/** One column (or struct field) of a query table: its name as in the JSON, its type and meaning. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  readonly description?: string;
}

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
};

const scalarOf = (value: unknown): ColumnType => {
  if (typeof value === 'number') return { kind: Number.isInteger(value) ? 'bigint' : 'double' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  return { kind: 'string' };
};

const typeOf = (schema: JsonSchema): ColumnType => {
  const [only] = schema.allOf ?? [];
  if (schema.allOf?.length === 1 && only !== undefined) return typeOf(only);
  if (schema.const !== undefined) return scalarOf(schema.const);
  if (schema.enum !== undefined) return scalarOf(schema.enum[0]);
  switch (schema.type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'bigint' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', of: schema.items ? typeOf(schema.items) : { kind: 'json' } };
    case 'object':
      return { kind: 'struct', fields: columnsOfObject(schema) };
    default:
      return { kind: 'json' };
  }
};

const columnsOfObject = (schema: JsonSchema): Column[] => {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeOf(property),
    required: required.has(name),
    ...(property.description === undefined ? {} : { description: property.description }),
  }));
};

/** The columns of an object schema, in its field order (nested objects become structs). */
export const columnsOf = (schema: z.ZodType): Column[] =>
  columnsOfObject(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema);

/** DuckDB's name for a column type, e.g. `STRUCT("date" VARCHAR, "precision" VARCHAR)`. */
export const duckdbType = (type: ColumnType): string => {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'VARCHAR';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'array':
      return `${duckdbType(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
  }
};

/**
 * The Glue (Hive) name for a column type, e.g. `struct<date:string,precision:string>`. Hive lower-cases
 * names; the OpenX JSON SerDe matches JSON keys case-insensitively, so `asAt` reads key `asAt`.
 */
export const glueType = (type: ColumnType): string => {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'string';
    case 'bigint':
      return 'bigint';
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `array<${glueType(type.of)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name.toLowerCase()}:${glueType(f.type)}`).join(',')}>`;
  }
};

/** A short type name for the docs: `string`, `list of string`, `struct`. */
export const docType = (type: ColumnType): string =>
  type.kind === 'array' ? `list of ${docType(type.of)}` : type.kind;
