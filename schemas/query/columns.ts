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
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** Resolves `#/$defs/{name}` references against the root schema. */
type Resolve = (schema: JsonSchema) => JsonSchema;

const scalarOf = (value: unknown): ColumnType => {
  if (typeof value === 'number') return { kind: Number.isInteger(value) ? 'bigint' : 'double' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  return { kind: 'string' };
};

const typeOf = (schema: JsonSchema, resolve: Resolve): ColumnType => {
  const own = resolve(schema);
  const variants = own.oneOf ?? own.anyOf ?? own.allOf;
  if (variants !== undefined) {
    const resolved = variants.map(resolve);
    const [first] = resolved;
    if (resolved.length === 1 && first !== undefined) return typeOf(first, resolve);
    if (resolved.every((variant) => variant.type === 'object'))
      return { kind: 'struct', fields: columnsOfObject(own, resolve) };
    return { kind: 'json' };
  }
  if (own.const !== undefined) return scalarOf(own.const);
  if (own.enum !== undefined) return scalarOf(own.enum[0]);
  switch (own.type) {
    case 'string':
      return { kind: 'string' };
    case 'integer':
      return { kind: 'bigint' };
    case 'number':
      return { kind: 'double' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', of: own.items ? typeOf(own.items, resolve) : { kind: 'json' } };
    case 'object':
      return { kind: 'struct', fields: columnsOfObject(own, resolve) };
    default:
      return { kind: 'json' };
  }
};

/**
 * The columns of an object, or of a union of objects (e.g. the object record's kinds): every property of
 * any variant, in first-seen order, required only when every variant requires it.
 */
const columnsOfObject = (schema: JsonSchema, resolve: Resolve): Column[] => {
  const own = resolve(schema);
  const variants = (own.oneOf ?? own.anyOf ?? [own]).map(resolve);
  const columns = new Map<string, Column>();
  for (const variant of variants) {
    const required = new Set(variant.required ?? []);
    for (const [name, property] of Object.entries(variant.properties ?? {})) {
      if (columns.has(name)) continue;
      const description = resolve(property).description ?? property.description;
      columns.set(name, {
        name,
        type: typeOf(property, resolve),
        required: variants.every((v) => new Set(v.required ?? []).has(name)) && required.has(name),
        ...(description === undefined ? {} : { description }),
      });
    }
  }
  return [...columns.values()];
};

/** The columns of an object schema, in its field order (nested objects become structs). */
export const columnsOf = (schema: z.ZodType): Column[] => {
  const root = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const resolve: Resolve = (node) => {
    const name = node.$ref?.startsWith('#/$defs/') ? node.$ref.slice('#/$defs/'.length) : undefined;
    const target = name === undefined ? undefined : root.$defs?.[name];
    return target === undefined
      ? node
      : { ...target, ...(node.description ? { description: node.description } : {}) };
  };
  return columnsOfObject(root, resolve);
};

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
