import type { z } from 'zod';
import { LocationSchema } from '../canonical/location.ts';
import { ObjectRecordSchema } from '../canonical/object.ts';
import { OperationSchema } from '../canonical/operation.ts';
import { SubjectSchema } from '../canonical/subject.ts';
import { CURATED_UPLOADS_PREFIX, curatedRecordsPrefix } from '../object-keys.ts';
import type { RecordType } from '../record-types.ts';
import { type Column, columnsOf } from './columns.ts';
import { UploadManifestLineSchema } from './upload-manifest.ts';

/** A query table over the curated zone: the same name, columns and files in DuckDB and in Athena. */
export interface QueryTable {
  readonly name: string;
  readonly title: string;
  /** Where its files are in the data bucket (a prefix of `curated/`). */
  readonly prefix: string;
  /** Columns of the JSON lines, from the zod schema. */
  readonly columns: readonly Column[];
  /** Hive partition keys in the path, all strings, in path order. */
  readonly partitions: readonly string[];
  /** The record type and the field identifying one record of it, for record tables. */
  readonly record?: { readonly type: RecordType; readonly idField: string };
}

const recordTable = (
  name: string,
  type: RecordType,
  idField: string,
  schema: z.ZodType,
  title: string,
): QueryTable => ({
  name,
  title,
  prefix: curatedRecordsPrefix(type),
  columns: columnsOf(schema),
  partitions: ['month', 'org'],
  record: { type, idField },
});

/** The tables: every curated record of each type (all uploads, all versions), and the uploads manifests. */
export const QUERY_TABLES: readonly QueryTable[] = [
  recordTable('subjects', 'subject', 'subjectId', SubjectSchema, 'People: victims, suspects, offenders'),
  recordTable('operations', 'operation', 'operationKey', OperationSchema, 'Operations (monthly snapshots)'),
  recordTable('objects', 'object', 'objectId', ObjectRecordSchema, 'Objects: vehicles, phones, accounts'),
  recordTable('locations', 'location', 'locationId', LocationSchema, 'Locations'),
  {
    name: 'uploads',
    title: 'Uploads of each aggregated month, as its last aggregation selected them',
    prefix: CURATED_UPLOADS_PREFIX,
    columns: columnsOf(UploadManifestLineSchema),
    partitions: ['month'],
  },
];

/**
 * A view, defined once in SQL that DuckDB and Athena (Trino) both run: identifiers in lower case, as Glue
 * stores them (DuckDB matches names case-insensitively).
 */
export interface QueryView {
  readonly name: string;
  readonly title: string;
  /** The table it selects from; its columns are that table's. */
  readonly from: string;
  readonly sql: string;
}

/** All column names of a table, partitions last. */
export const columnNames = (table: QueryTable): string[] => [
  ...table.columns.map((column) => column.name),
  ...table.partitions,
];

const currentView = (table: QueryTable & { record: NonNullable<QueryTable['record']> }): QueryView => {
  const columns = columnNames(table)
    .map((name) => `"${name.toLowerCase()}"`)
    .join(', ');
  return {
    name: `current_${table.name}`,
    title: `The current version of each ${table.record.type} of the counted uploads, month by month`,
    from: table.name,
    // As the aggregation (functions/aggregate/read/accumulate.ts): per month, one version of each record
    // (type, submitting organisation, pseudonymous id), the newest asAt winning.
    sql:
      `SELECT ${columns} FROM (SELECT r.*, row_number() OVER (` +
      `PARTITION BY r."month", r."sourceorg", r."${table.record.idField.toLowerCase()}" ` +
      `ORDER BY r."asat" DESC, r."provenance"."uploadid" DESC) AS version_rank ` +
      `FROM ${table.name} r JOIN counted_uploads u ON u."uploadid" = r."provenance"."uploadid") t ` +
      'WHERE version_rank = 1',
  };
};

/** The views, in creation order: `counted_uploads`, then `current_{table}` for each record table. */
export const QUERY_VIEWS: readonly QueryView[] = [
  {
    name: 'counted_uploads',
    title: 'The uploads the aggregation counted (superseded, failed, duplicate and in-flight ones left out)',
    from: 'uploads',
    sql: `SELECT * FROM uploads WHERE "selection" = 'COUNTED'`,
  },
  ...QUERY_TABLES.flatMap((table) =>
    table.record === undefined ? [] : [currentView(table as Parameters<typeof currentView>[0])],
  ),
];
