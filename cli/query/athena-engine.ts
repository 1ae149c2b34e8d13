import {
  type AthenaClient,
  GetQueryExecutionCommand,
  paginateGetQueryResults,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CliError } from '../errors.ts';
import type { QueryResult, QueryValue } from './query-result.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Athena gives every value as text; numbers and booleans are typed back by the column's type. */
const typed = (value: string | undefined, type: string | undefined): QueryValue => {
  if (value === undefined) return null;
  if (type === 'boolean') return value === 'true';
  if (
    type !== undefined &&
    ['tinyint', 'smallint', 'integer', 'bigint', 'double', 'float', 'real'].includes(type)
  ) {
    const n = Number(value);
    return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : value;
  }
  return value;
};

/**
 * Runs one statement in the national team's Athena workgroup (its enforced settings choose the results
 * location and encryption): StartQueryExecution, GetQueryExecution until it ends, GetQueryResults paged.
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 */
export const runAthenaQuery = async (
  athena: AthenaClient,
  input: { sql: string; workgroup: string; database: string; pollMs?: number; timeoutMs?: number },
): Promise<QueryResult> => {
  const started = performance.now();
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: input.sql,
      WorkGroup: input.workgroup,
      QueryExecutionContext: { Database: input.database, Catalog: 'AwsDataCatalog' },
    }),
  );
  if (id === undefined) throw new CliError('Athena started no query execution');
  const deadline = Date.now() + (input.timeoutMs ?? 600_000);
  let statementType: string | undefined;
  for (;;) {
    const { QueryExecution: execution } = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
    );
    const state = execution?.Status?.State;
    statementType = execution?.StatementType;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED')
      throw new CliError(
        `Athena query ${id} ${state}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`,
        {
          exitCode: 1,
        },
      );
    if (Date.now() > deadline) throw new CliError(`Athena query ${id} did not finish in time`);
    await sleep(input.pollMs ?? 500);
  }
  let columns: string[] = [];
  let types: (string | undefined)[] = [];
  const rows: QueryValue[][] = [];
  // A SELECT's (DML) first row of its first page is its header; DDL and utility results have none.
  let first = statementType === 'DML';
  for await (const page of paginateGetQueryResults({ client: athena }, { QueryExecutionId: id })) {
    const info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    if (columns.length === 0) {
      columns = info.map((column) => column.Name ?? '');
      types = info.map((column) => column.Type);
    }
    for (const row of page.ResultSet?.Rows ?? []) {
      if (first) {
        first = false;
        continue;
      }
      rows.push((row.Data ?? []).map((datum, i) => typed(datum.VarCharValue, types[i])));
    }
  }
  return { engine: 'athena', columns, rows, elapsedMs: performance.now() - started };
};
