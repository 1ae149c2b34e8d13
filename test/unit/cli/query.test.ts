import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAthenaQuery } from '../../../cli/query/athena-engine.ts';
import { formatResult } from '../../../cli/query/format-result.ts';
import type { QueryResult } from '../../../cli/query/query-result.ts';

const athenaMock = mockClient(AthenaClient);
const athena = new AthenaClient({ region: 'eu-west-2' });
const columns = [
  { Name: 'type', Type: 'varchar' },
  { Name: 'victims', Type: 'bigint' },
];

describe('runAthenaQuery', () => {
  beforeEach(() => athenaMock.reset());

  it('starts the query in the workgroup, waits for it and reads every page, skipping the header row', async () => {
    // Prepare
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
    athenaMock
      .on(GetQueryResultsCommand)
      .resolvesOnce({
        NextToken: 'next',
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [
            { Data: [{ VarCharValue: 'type' }, { VarCharValue: 'victims' }] },
            { Data: [{ VarCharValue: 'SEXUAL' }, { VarCharValue: '12' }] },
          ],
        },
      })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [{ Data: [{ VarCharValue: 'LABOUR' }, {}] }],
        },
      });
    // Act
    const result = await runAthenaQuery(athena, {
      sql: 'SELECT 1',
      workgroup: 'wg',
      database: 'db',
      pollMs: 1,
    });
    // Assess
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      QueryString: 'SELECT 1',
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'db' },
    });
    expect(result.columns).toEqual(['type', 'victims']);
    expect(result.rows).toEqual([
      ['SEXUAL', 12],
      ['LABOUR', null],
    ]);
  });

  it('fails with the reason Athena gives', async () => {
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } } });
    await expect(
      runAthenaQuery(athena, { sql: 'SELECT 1', workgroup: 'wg', database: 'db', pollMs: 1 }),
    ).rejects.toThrow(/FAILED: TABLE_NOT_FOUND/);
  });
});

describe('formatResult', () => {
  const result: QueryResult = {
    engine: 'duckdb',
    columns: ['type', 'victims', 'ids'],
    rows: [
      ['SEXUAL', 12, ['a', 'b']],
      ['LABOUR, forced', 3, null],
    ],
    elapsedMs: 5,
  };

  it('prints a table, CSV with a header row, or the versioned JSON document of row objects', () => {
    expect(formatResult(result, 'table')).toMatch(/^SEXUAL +12 {2}\["a","b"\]$/m);
    expect(formatResult(result, 'csv')).toBe(
      'type,victims,ids\r\nSEXUAL,12,"[""a"",""b""]"\r\n"LABOUR, forced",3,\r\n',
    );
    expect(JSON.parse(formatResult(result, 'json'))).toEqual({
      schemaVersion: 1,
      kind: 'msht.query',
      engine: 'duckdb',
      columns: ['type', 'victims', 'ids'],
      rows: [
        { type: 'SEXUAL', victims: 12, ids: ['a', 'b'] },
        { type: 'LABOUR, forced', victims: 3, ids: null },
      ],
      rowCount: 2,
      elapsedMs: 5,
    });
  });
});
