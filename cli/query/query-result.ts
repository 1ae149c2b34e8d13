/** A scalar or nested value of a query result, JSON-ready (big integers beyond 2^53 as text). */
export type QueryValue = string | number | boolean | null | QueryValue[] | { [key: string]: QueryValue };

/** What a query returns, whichever engine ran it. */
export interface QueryResult {
  readonly engine: 'duckdb' | 'athena';
  readonly columns: readonly string[];
  readonly rows: readonly (readonly QueryValue[])[];
  readonly elapsedMs: number;
}
