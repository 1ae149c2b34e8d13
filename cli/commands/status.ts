import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import { type StatusJson, StatusJsonSchema } from '../../schemas/cli/json-output.ts';
import { type IsoMonth, type OrgCode, PREFIXES, type UploadStatusObject } from '../../schemas/index.ts';
import { printJson } from '../json.ts';
import { renderEntry, renderLedger } from '../ledger-view.ts';
import { monthOption, nonNegativeInt, orgOption, positiveInt } from '../options.ts';
import { digestFor, issuesText } from '../report-view.ts';
import { type PipelineResources, resolveResources } from '../resources.ts';
import { latestStatuses, readStatus } from '../upload-statuses.ts';

/** What to do when only the national team may look across organisations. */
const NATIONAL_ONLY =
  "Only the national team's role may read every organisation's reports: use its profile, or pass " +
  "--org CODE for your own organisation's uploads.";

/** Finds one upload among every organisation's status objects (each one's prefix listed). */
const findAnywhere = async (
  s3: S3Client,
  resources: PipelineResources,
  uploadId: string,
): Promise<UploadStatusObject | undefined> => {
  const found = await Promise.all(
    resources.organisations.map((org) => readStatus(s3, resources.bucket, org, uploadId, NATIONAL_ONLY)),
  );
  return found.find((s) => s !== undefined);
};

/** `msht status [UPLOAD_ID] [--org CODE]`: shows uploads from their status objects (never the ledger). */
export const registerStatusCommand = (program: Command): void => {
  program
    .command('status')
    .summary('show an upload, or list uploads')
    .description(
      'Show uploads from their status objects (reports/{org}/uploads/{uploadId}.json, which your ' +
        "organisation's upload role may read): one upload in full, with the first issues of its report; " +
        'the latest uploads of an organisation (--org); or, for the national team, the latest uploads of ' +
        'every organisation. Talks to AWS, or to the local stack when the AWS_ENDPOINT_URL_* variables ' +
        'printed by `msht local` are set.',
    )
    .argument('[uploadId]', 'an upload id, as printed by `msht upload`')
    .option(
      '--org <org>',
      'your organisation (code or name): the organisation whose uploads to show',
      orgOption,
    )
    .option('--limit <n>', 'how many uploads to list', positiveInt, 20)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option(
      '--issues <n>',
      'with an upload id: how many issues to list from its report (0: none)',
      nonNegativeInt,
      10,
    )
    .option('--period <YYYY-MM>', 'only uploads of this month', monthOption)
    .option('--json', 'print the uploads as one JSON document (schemas/json/cli-status.schema.json)')
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  shown\n' +
        '  1  no such upload\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, reports not readable with these credentials)\n' +
        '\nExamples:\n' +
        '  npx msht status --org PF-E23000001\n' +
        '  npx msht status --org MET --period 2026-10\n' +
        '  npx msht status u3f2c... --org PF-E23000001\n' +
        '  npx msht status --json          (national team: every organisation)',
    )
    .action(
      async (
        uploadId: string | undefined,
        opts: {
          org?: OrgCode;
          period?: IsoMonth;
          limit: number;
          stage: string;
          issues: number;
          json?: boolean;
        },
      ) => {
        const resources = resolveResources(opts.stage);
        const { s3 } = createAwsClients();
        const json = (value: Omit<StatusJson, 'schemaVersion' | 'kind'>) =>
          printJson(StatusJsonSchema, { schemaVersion: 1, kind: 'msht.status', ...value });
        if (uploadId) {
          const entry = opts.org
            ? await readStatus(s3, resources.bucket, opts.org, uploadId)
            : await findAnywhere(s3, resources, uploadId);
          if (!entry) {
            const where = opts.org ? `${PREFIXES.reports}${opts.org}/uploads/` : 'any organisation';
            process.stderr.write(`No upload ${visibleText(uploadId)} in ${where}.\n`);
            process.exitCode = 1;
            return;
          }
          if (opts.json) {
            const digest = await digestFor(s3, resources.bucket, entry, opts.issues);
            json({
              uploads: [entry],
              ...(digest ? { issues: { ...digest, first: [...digest.first] } } : {}),
            });
            return;
          }
          process.stdout.write(`${renderEntry(entry, resources.bucket)}\n`);
          const issues = await issuesText(s3, resources.bucket, entry, opts.issues);
          if (issues) process.stdout.write(`${issues}\n`);
          return;
        }
        const orgs = opts.org ? [opts.org] : resources.organisations;
        const entries = await latestStatuses(
          s3,
          resources.bucket,
          orgs,
          opts.limit,
          opts.org ? '' : NATIONAL_ONLY,
          opts.period ? (entry) => entry.period === opts.period : undefined,
        );
        const whose = `${opts.org ?? 'any organisation'}${opts.period ? ` for ${opts.period}` : ''}`;
        if (opts.json) json({ uploads: entries });
        else
          process.stdout.write(
            entries.length > 0 ? `${renderLedger(entries)}\n` : `No uploads of ${whose}.\n`,
          );
      },
    );
};
