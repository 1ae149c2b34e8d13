import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { duckdbType } from '../../schemas/query/columns.ts';
import { QUERY_TABLES, QUERY_VIEWS, type QueryTable } from '../../schemas/query/tables.ts';
import type { QueryResult, QueryValue } from './query-result.ts';

/**
 * Copies every object under `curated/` to `dir` (same keys), read as the caller with the AWS SDK: DuckDB's
 * httpfs extension is not shipped with the package and cannot be downloaded here. Returns the objects and bytes.
 */
export const fetchCuratedZone = async (
  s3: S3Client,
  bucket: string,
  dir: string,
): Promise<{ objects: number; bytes: number }> => {
  let token: string | undefined;
  let objects = 0;
  let bytes = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIXES.curated, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || key.endsWith('/') || key.includes('..')) continue;
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await res.Body?.transformToByteArray();
      if (body === undefined) continue;
      const path = join(dir, key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, body);
      objects += 1;
      bytes += body.length;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return { objects, bytes };
};

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const hasFiles = async (dir: string): Promise<boolean> => {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((entry) => String(entry).endsWith('.jsonl.gz'));
  } catch {
    return false;
  }
};

/** The DDL of one table over the files under `root` (the curated zone's copy), or an empty table. */
const tableDdl = async (root: string, table: QueryTable): Promise<string> => {
  const typed = table.columns.map((column) => `"${column.name}" ${duckdbType(column.type)}`);
  const dir = join(root, table.prefix);
  if (!(await hasFiles(dir))) {
    const partitions = table.partitions.map((name) => `"${name}" VARCHAR`);
    return `CREATE TABLE ${table.name} (${[...typed, ...partitions].join(', ')})`;
  }
  const glob = join(dir, ...table.partitions.map(() => '*'), '*.jsonl.gz');
  const columns = table.columns.map((column) => `${quote(column.name)}: ${quote(duckdbType(column.type))}`);
  const hiveTypes = table.partitions.map((name) => `${quote(name)}: 'VARCHAR'`);
  const names = [...table.columns.map((c) => c.name), ...table.partitions].map((n) => `"${n}"`).join(', ');
  return (
    `CREATE VIEW ${table.name} AS SELECT ${names} FROM read_json(${quote(glob)}, ` +
    `format = 'newline_delimited', compression = 'gzip', hive_partitioning = true, ` +
    `hive_types = {${hiveTypes.join(', ')}}, columns = {${columns.join(', ')}})`
  );
};

const toValue = (value: unknown): QueryValue => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toValue);
  if (typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toValue(v)]),
    );
  return String(value);
};

/** An embedded DuckDB database with the query tables and views over a local copy of the curated zone. */
export interface DuckDbQuerySession {
  readonly query: (sql: string) => Promise<QueryResult>;
  readonly close: () => void;
}

/** Opens DuckDB in memory over `root` (a folder holding `curated/…`), with the tables and views of docs/query.md. */
export const openDuckDbSession = async (root: string): Promise<DuckDbQuerySession> => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of QUERY_TABLES) await connection.run(await tableDdl(root, table));
  for (const view of QUERY_VIEWS) await connection.run(`CREATE VIEW ${view.name} AS ${view.sql}`);
  return {
    query: async (sql) => {
      const started = performance.now();
      const reader = await connection.runAndReadAll(sql);
      const rows = reader.getRowsJS().map((row) => row.map(toValue));
      return {
        engine: 'duckdb',
        columns: reader.columnNames(),
        rows,
        elapsedMs: performance.now() - started,
      };
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
};
