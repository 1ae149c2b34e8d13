import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import {
  type AggregateMonthResult,
  aggregateMonth,
  formatCell,
} from '../../functions/aggregate/aggregate-month.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { readObjectText } from '../../functions/shared/aws/s3.ts';
import { settingsFor } from '../../infra/config.ts';
import type { IsoMonth } from '../../schemas/index.ts';
import { monthOption, nonNegativeInt } from '../options.ts';
import { type Progress, startProgress } from '../progress.ts';
import { resolveResources } from '../resources.ts';
import { renderTable } from '../table.ts';

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
    `Report (internal):  s3://${result.bucket}/${result.reportKeys.internal}`,
    `Report (shareable): s3://${result.bucket}/${result.reportKeys.shareable}`,
    ...(downloaded === undefined
      ? []
      : [`Saved: ${downloaded.internal} (internal), ${downloaded.shareable} (shareable)`]),
  ];
};

/** Saves both tiers' report.html of a run into `{dir}/{month}/report-{tier}.html`; returns the paths. */
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
  }
  return paths;
};

/** `msht aggregate --month YYYY-MM`: builds the month's national picture in both tiers. */
export const registerAggregateCommand = (program: Command): void => {
  program
    .command('aggregate')
    .description(
      "Aggregate a month's curated records into the national picture: national.json, a CSV per table and " +
        'report.html, in the internal (exact) and shareable (suppressed, rounded) tiers, under ' +
        'aggregates/{YYYY-MM}/. Re-running a month replaces its outputs atomically. Talks to AWS, or to the ' +
        'local stack when the AWS_ENDPOINT_URL_* variables printed by `msht local` are set.',
    )
    .requiredOption('--month <YYYY-MM>', 'the month to aggregate', monthOption)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option(
      '--submission-days <n>',
      "days after the month end by which submissions are due (default: the stage's setting, 5)",
      nonNegativeInt,
    )
    .option('--download <dir>', 'also save both report.html files into this folder')
    .addHelpText(
      'after',
      '\nExamples:\n  npx msht aggregate --month 2026-10\n  npx msht aggregate --month 2026-10 --download ./reports',
    )
    .action(async (opts: { month: IsoMonth; stage: string; submissionDays?: number; download?: string }) => {
      const resources = resolveResources(opts.stage);
      const clients = createAwsClients();
      let bar: Progress | undefined;
      const result = await aggregateMonth({
        month: opts.month,
        deps: {
          s3: clients.s3,
          dynamodb: clients.dynamodb,
          bucket: resources.bucket,
          uploadsTable: resources.uploadsTable,
          markersTable: resources.markersTable,
          submissionDays: opts.submissionDays ?? settingsFor(opts.stage).aggregation.submissionDays,
          disclosure: settingsFor(opts.stage).disclosure,
          now: () => new Date(),
          onProgress: (step, done, total) => {
            if (step === 'records') {
              bar ??= startProgress(`Aggregating ${opts.month}`, total ?? 0);
              bar.update(done, total);
            } else if (step === 'write') {
              bar?.stop();
              bar = undefined;
              process.stderr.write('Writing outputs...\n');
            }
          },
        },
      });
      const downloaded =
        opts.download === undefined ? undefined : await downloadReports(clients.s3, result, opts.download);
      process.stdout.write(`${describeAggregation(result, downloaded).join('\n')}\n`);
    });
};
