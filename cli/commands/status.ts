import type { Command } from 'commander';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import type { OrgCode } from '../../schemas/index.ts';
import { renderEntry, renderLedger } from '../ledger-view.ts';
import { nonNegativeInt, orgOption, positiveInt } from '../options.ts';
import { issuesText } from '../report-view.ts';
import { resolveResources } from '../resources.ts';

/** `msht status [UPLOAD_ID] [--org CODE]`: shows upload ledger entries. */
export const registerStatusCommand = (program: Command): void => {
  program
    .command('status')
    .description(
      'Show upload ledger entries: one upload in full (with the first issues of its report), or the latest uploads of an organisation. ' +
        'Talks to AWS, or to the local stack when the AWS_ENDPOINT_URL_* variables printed by `msht local` are set.',
    )
    .argument('[uploadId]', 'an upload id, as printed by `msht upload`')
    .option('--org <code>', 'list the latest uploads of this organisation', orgOption)
    .option('--limit <n>', 'how many uploads to list', positiveInt, 20)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option(
      '--issues <n>',
      'with an upload id: how many issues to list from its report (0: none)',
      nonNegativeInt,
      10,
    )
    .addHelpText('after', '\nExamples:\n  npx msht status --org PF-E23000001\n  npx msht status u3f2c...')
    .action(
      async (
        uploadId: string | undefined,
        opts: { org?: OrgCode; limit: number; stage: string; issues: number },
      ) => {
        if (!uploadId && !opts.org) {
          process.stderr.write('Give an upload id or --org CODE (see msht status --help).\n');
          process.exitCode = 2;
          return;
        }
        const resources = resolveResources(opts.stage);
        const clients = createAwsClients();
        const ledger = createLedger(clients.dynamodb, resources.uploadsTable);
        if (uploadId) {
          const entry = await ledger.get(uploadId);
          if (!entry) {
            process.stderr.write(`No upload ${visibleText(uploadId)} in ${resources.uploadsTable}.\n`);
            process.exitCode = 1;
            return;
          }
          process.stdout.write(`${renderEntry(entry, resources.bucket)}\n`);
          const issues = await issuesText(clients.s3, resources.bucket, entry, opts.issues);
          if (issues) process.stdout.write(`${issues}\n`);
          return;
        }
        const entries = await ledger.listByOrg(opts.org as OrgCode, opts.limit);
        process.stdout.write(
          entries.length > 0 ? `${renderLedger(entries)}\n` : `No uploads for ${opts.org}.\n`,
        );
      },
    );
};
