import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { type AggregateMonthResult, formatCell } from '../../functions/aggregate/aggregate-month.ts';
import { outputKey } from '../../functions/aggregate/publish/output-keys.ts';
import { MonthEmptyError, MonthNotStartedError } from '../../functions/aggregate/refused.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { readObjectText } from '../../functions/shared/aws/s3.ts';
import { type StageSettings, settingsFor } from '../../infra/config.ts';
import { functionName } from '../../infra/function-registry.ts';
import { type AggregateJson, AggregateJsonSchema } from '../../schemas/cli/json-output.ts';
import type { IsoMonth } from '../../schemas/index.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json.ts';
import { currentMonth, monthOption } from '../options.ts';
import { startProgress } from '../progress.ts';
import { renderTable } from '../table.ts';
import { notesStream, QUIET_HELP } from '../verbosity.ts';

/** The headline national figures and the report locations, as lines for a terminal. */
export const describeAggregation = (
  result: AggregateMonthResult,
  downloaded?: Record<string, string>,
): string[] => {
  const figures = renderTable(
    ['Headline (internal tier, exact)', result.month, 'Previous', 'Change'],
    result.headline.map((h) => [h.label, formatCell(h.value), formatCell(h.previous), formatCell(h.change)]),
  );
  const l = result.linking;
  return [
    figures,
    '',
    `Linking: ${l.subjectRecords} subject records → ${l.persons} persons; ${l.linksMade} links ` +
      `(NRM reference ${l.byRule.nrmReference}, PNC ID ${l.byRule.pncId}, passport ${l.byRule.passport}).`,
    `Records read: ${result.recordsRead} from ${result.uploads.counted} uploads ` +
      `(superseded ${result.uploads.superseded}, failed ${result.uploads.failed}, duplicate ${result.uploads.duplicate}, ` +
      `in flight ${result.uploads.inFlight}).`,
    `Run ${result.runId}; pointer s3://${result.bucket}/${result.latestKey}`,
    `Shareable publication ${result.shareableRunId} (${result.revision === 0 ? 'first publication' : `revision ${result.revision}`}); ` +
      `pointer s3://${result.bucket}/${result.shareableLatestKey}`,
    `Report (internal):  s3://${result.bucket}/${result.reportKeys.internal}`,
    `Report (shareable): s3://${result.bucket}/${result.reportKeys.shareable}`,
    ...(downloaded === undefined
      ? []
      : [`Saved: ${downloaded.internal} (internal), ${downloaded.shareable} (shareable)`]),
  ];
};

/** The run as `msht aggregate --json` prints it. */
export const aggregationJson = (
  result: AggregateMonthResult,
  downloaded?: Record<'internal' | 'shareable', string>,
): AggregateJson => ({
  schemaVersion: 1,
  kind: 'msht.aggregate',
  month: result.month as IsoMonth,
  runId: result.runId,
  shareableRunId: result.shareableRunId,
  revision: result.revision,
  headline: [...result.headline],
  recordsRead: result.recordsRead,
  uploads: { ...result.uploads },
  reports: {
    internal: `s3://${result.bucket}/${result.reportKeys.internal}`,
    shareable: `s3://${result.bucket}/${result.reportKeys.shareable}`,
  },
  ...(downloaded ? { downloaded } : {}),
});

/**
 * Saves both tiers' report.html, national.json and national.xlsx of a run into
 * `{dir}/{month}/report-{tier}.html`, `national-{tier}.json` and `national-{tier}.xlsx`; returns the
 * reports' paths.
 */
export const downloadReports = async (
  s3: S3Client,
  result: AggregateMonthResult,
  dir: string,
): Promise<Record<'internal' | 'shareable', string>> => {
  const folder = resolve(dir, result.month);
  await mkdir(folder, { recursive: true });
  const paths = {
    internal: join(folder, 'report-internal.html'),
    shareable: join(folder, 'report-shareable.html'),
  };
  for (const tier of ['internal', 'shareable'] as const) {
    await writeFile(paths[tier], await readObjectText(s3, result.bucket, result.reportKeys[tier]));
    const runId = tier === 'internal' ? result.runId : result.shareableRunId;
    const national = outputKey(result.month, runId, tier, 'national.json');
    await writeFile(join(folder, `national-${tier}.json`), await readObjectText(s3, result.bucket, national));
    const workbook = await s3.send(
      new GetObjectCommand({
        Bucket: result.bucket,
        Key: outputKey(result.month, runId, tier, 'national.xlsx'),
      }),
    );
    if (workbook.Body !== undefined)
      await writeFile(join(folder, `national-${tier}.xlsx`), await workbook.Body.transformToByteArray());
  }
  return paths;
};

/**
 * Invokes the stage's aggregation function for a month and returns its result; a function error becomes
 * a CliError with the error's type and message.
 */
/** Exit status when the month has no counted upload and `--allow-empty` was not given. */
export const EXIT_MONTH_EMPTY = 3;

export const invokeAggregation = async (
  lambda: LambdaClient,
  settings: StageSettings,
  month: IsoMonth,
  options: { readonly allowEmpty?: boolean } = {},
): Promise<AggregateMonthResult> => {
  const answer: InvokeCommandOutput = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName('aggregate', settings),
      Payload: JSON.stringify({ month, ...(options.allowEmpty ? { allowEmpty: true } : {}) }),
    }),
  );
  const payload = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : 'null';
  if (answer.FunctionError) {
    const error = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    if (error.errorType === MonthEmptyError.name)
      throw new CliError(`${error.errorMessage ?? 'The month has no counted upload'}`, {
        exitCode: EXIT_MONTH_EMPTY,
      });
    if (error.errorType === MonthNotStartedError.name)
      throw new CliError(`${error.errorMessage ?? 'The month has not started'}`, { exitCode: 2 });
    throw new CliError(
      `The aggregation function failed: ${error.errorType ?? 'Error'}: ${error.errorMessage ?? payload}`,
    );
  }
  return JSON.parse(payload) as AggregateMonthResult;
};

/** `msht aggregate --month YYYY-MM`: runs the aggregation function for a month and prints its headline. */
export const registerAggregateCommand = (program: Command): void => {
  program
    .command('aggregate')
    .summary("build a month's national picture")
    .description(
      "Aggregate a month's curated records into the national picture: national.json, a CSV per table and " +
        'report.html, in the internal (exact) and shareable (suppressed, rounded) tiers, under ' +
        "aggregates/{YYYY-MM}/ (and national.xlsx, the tables as a spreadsheet). Invokes the stage's aggregation function (lambda:InvokeFunction, which the " +
        "national team's role has), so it runs with the function's own permissions and settings; re-running " +
        'a month replaces its outputs atomically. Talks to AWS, or to the local stack when the ' +
        'AWS_ENDPOINT_URL_* variables printed by `msht local` are set.',
    )
    .requiredOption('--month <YYYY-MM>', 'the month to aggregate', monthOption)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option(
      '--download <dir>',
      "also save both tiers' report.html, national.json and national.xlsx into this folder",
    )
    .option('--allow-empty', 'publish the month even when no upload of it is counted (all "not submitted")')
    .option('--json', 'print the run as one JSON document (schemas/json/cli-aggregate.schema.json)')
    .option('--quiet', QUIET_HELP)
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  aggregated and published\n' +
        '  2  the month has not started yet (nothing published), or the arguments are wrong\n' +
        '  3  no upload of the month is counted: nothing published (--allow-empty publishes it anyway)\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, the function failed)\n' +
        '\nExamples:\n  npx msht aggregate --month 2026-10\n  npx msht aggregate --month 2026-10 --download ./reports',
    )
    .action(
      async (opts: {
        month: IsoMonth;
        stage: string;
        download?: string;
        allowEmpty?: boolean;
        json?: boolean;
        quiet?: boolean;
      }) => {
        const thisMonth = currentMonth();
        if (opts.month > thisMonth)
          throw new CliError(
            `${opts.month} has not started yet (this month is ${thisMonth}): nothing to aggregate`,
            {
              exitCode: 2,
            },
          );
        const settings = settingsFor(opts.stage);
        const lambda = new LambdaClient({});
        const progress = startProgress(
          `Aggregating ${opts.month} (${functionName('aggregate', settings)})`,
          1,
          notesStream(opts.quiet),
        );
        let result: AggregateMonthResult;
        try {
          result = await invokeAggregation(lambda, settings, opts.month, {
            allowEmpty: opts.allowEmpty === true,
          });
          progress.stop('done');
        } catch (err) {
          progress.stop('failed');
          throw err;
        } finally {
          lambda.destroy();
        }
        const clients = createAwsClients();
        const downloaded =
          opts.download === undefined ? undefined : await downloadReports(clients.s3, result, opts.download);
        if (opts.json) printJson(AggregateJsonSchema, aggregationJson(result, downloaded));
        else process.stdout.write(`${describeAggregation(result, downloaded).join('\n')}\n`);
      },
    );
};
