import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { settingsFor } from '../../infra/config.ts';
import { queryDatabaseName, queryWorkgroupName } from '../../schemas/query/athena-names.ts';
import { CliError } from '../errors.ts';
import { formatResult, QUERY_FORMATS, type QueryFormat } from '../query/format-result.ts';
import type { QueryResult } from '../query/query-result.ts';
import { resolveResources } from '../resources.ts';

/** Whether the CLI talks to the local stack (its S3 endpoint exported, as `msht local` prints it). */
const isLocal = (env: NodeJS.ProcessEnv): boolean => Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);

/** Runs `sql` in DuckDB, embedded, over a copy of the curated zone read with the caller's credentials. */
const runLocally = async (sql: string, stage: string): Promise<QueryResult> => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { fetchCuratedZone, openDuckDbSession } = await import('../query/duckdb-engine.ts');
  const { bucket } = resolveResources(stage);
  const dir = await mkdtemp(join(tmpdir(), 'msht-query-'));
  try {
    await fetchCuratedZone(new S3Client({ forcePathStyle: true }), bucket, dir);
    const session = await openDuckDbSession(dir);
    try {
      return await session.query(sql);
    } catch (error) {
      throw new CliError(`The query failed in DuckDB: ${(error as Error).message}`, { exitCode: 1 });
    } finally {
      session.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** Runs `sql` in the stage's Athena workgroup, over the Glue tables and views of the curated zone. */
const runOnAthena = async (sql: string, stage: string): Promise<QueryResult> => {
  const { AthenaClient } = await import('@aws-sdk/client-athena');
  const { runAthenaQuery } = await import('../query/athena-engine.ts');
  const settings = settingsFor(stage);
  return runAthenaQuery(new AthenaClient({}), {
    sql,
    workgroup: queryWorkgroupName(settings),
    database: queryDatabaseName(settings),
  });
};

/** `msht query "SQL"` or `msht query --file F`: SQL over the whole data set (docs/query.md). */
export const registerQueryCommand = (program: Command): void => {
  program
    .command('query')
    .description(
      'Run SQL over the whole curated data set (OFFICIAL-SENSITIVE: the national team only), with the ' +
        'tables and views of docs/query.md (subjects, operations, objects, locations, uploads, counted_uploads, ' +
        'current_subjects, ...). Against the local stack (AWS_ENDPOINT_URL_S3 set, as `msht local` prints) it ' +
        'copies curated/ with your credentials and runs DuckDB embedded; against AWS it runs in the national ' +
        "team's Athena workgroup.",
    )
    .argument('[sql]', 'the SQL statement')
    .option('--file <path>', 'read the SQL from a file')
    .addOption(new Option('--format <format>', 'output format').choices(QUERY_FORMATS).default('table'))
    .option(
      '--json',
      'print one JSON document (schemas/json/cli-query.schema.json); the same as --format json',
    )
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  the result was printed\n' +
        '  1  the query failed (SQL error, or Athena failed or cancelled it)\n' +
        '  2  no SQL, or both SQL and --file\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, curated/ not readable with these credentials)\n' +
        '\nExamples:\n' +
        `  npx msht query "SELECT month, count(*) AS victims FROM current_subjects WHERE contains(roles, 'POTENTIAL_VICTIM') GROUP BY 1 ORDER BY 1"\n` +
        '  npx msht query --file victims-by-type.sql --format csv > victims.csv',
    )
    .action(
      async (
        sqlArgument: string | undefined,
        opts: { file?: string; format: QueryFormat; json?: boolean; stage: string },
      ) => {
        if ((sqlArgument === undefined) === (opts.file === undefined))
          throw new CliError('Give the SQL either as the argument or with --file, not both', { exitCode: 2 });
        const sql = opts.file === undefined ? (sqlArgument ?? '') : await readFile(opts.file, 'utf-8');
        const result = isLocal(process.env)
          ? await runLocally(sql, opts.stage)
          : await runOnAthena(sql, opts.stage);
        process.stdout.write(formatResult(result, opts.json ? 'json' : opts.format));
      },
    );
};
