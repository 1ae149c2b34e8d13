import { stringify } from 'csv-stringify/sync';
import { renderTable } from '../table.ts';
import type { QueryResult, QueryValue } from './query-result.ts';

/** How `msht query` prints a result. */
export const QUERY_FORMATS = ['table', 'csv', 'json'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

const cellText = (value: QueryValue): string =>
  value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The result as a text table, CSV (RFC 4180, a header row) or JSON (an array of row objects). */
export const formatResult = (result: QueryResult, format: QueryFormat): string => {
  switch (format) {
    case 'csv':
      return stringify([result.columns, ...result.rows.map((row) => row.map(cellText))], {
        record_delimiter: '\r\n',
      });
    case 'json':
      return `${JSON.stringify(
        result.rows.map((row) => Object.fromEntries(result.columns.map((name, i) => [name, row[i] ?? null]))),
        null,
        2,
      )}\n`;
    default:
      return `${renderTable(
        result.columns,
        result.rows.map((row) => row.map((value) => (typeof value === 'number' ? value : cellText(value)))),
      )}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, ${result.engine}, ${Math.round(result.elapsedMs)} ms)\n`;
  }
};
