import { stringify } from 'csv-stringify/sync';
import { type QueryJson, QueryJsonSchema } from '../../schemas/cli/json-output.ts';
import { renderTable } from '../table.ts';
import type { QueryResult, QueryValue } from './query-result.ts';

/** How `msht query` prints a result. */
export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

const cellText = (value: QueryValue): string =>
  value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The `--json` document of a result (schemas/json/cli-query.schema.json): one object per row. */
export const queryJson = (result: QueryResult): QueryJson =>
  QueryJsonSchema.parse({
    schemaVersion: 1,
    kind: 'msht.query',
    engine: result.engine,
    columns: result.columns,
    rows: result.rows.map((row) =>
      Object.fromEntries(result.columns.map((name, i) => [name, row[i] ?? null])),
    ),
    rowCount: result.rows.length,
    elapsedMs: Math.round(result.elapsedMs),
  });

/** The result as a text table, CSV (RFC 4180, a header row) or the `--json` document. */
export const formatResult = (result: QueryResult, format: QueryFormat): string => {
  switch (format) {
    case 'csv':
      return stringify([result.columns, ...result.rows.map((row) => row.map(cellText))], {
        record_delimiter: '\r\n',
      });
    case 'json':
      return `${JSON.stringify(queryJson(result), null, 2)}\n`;
    default:
      return `${renderTable(
        result.columns,
        result.rows.map((row) => row.map((value) => (typeof value === 'number' ? value : cellText(value)))),
      )}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, ${result.engine}, ${Math.round(result.elapsedMs)} ms)\n`;
  }
};
