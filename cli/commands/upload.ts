import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Upload } from '@aws-sdk/lib-storage';
import type { Command } from 'commander';
import { uploadIdFor } from '../../functions/ingest/ingest-object.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { createLedger } from '../../functions/shared/ledger.ts';
import { type IsoMonth, incomingKey, type OrgCode, recordTypeFromFileName } from '../../schemas/index.ts';
import { isFinished, renderEntry } from '../ledger-view.ts';
import { currentMonth, monthOption, orgOption, positiveInt } from '../options.ts';
import { startProgress } from '../progress.ts';
import { resolveResources } from '../resources.ts';

/** `msht upload FILE --org CODE`: uploads an extract, waits for it to be processed, prints its ledger entry. */
export const registerUploadCommand = (program: Command): void => {
  program
    .command('upload')
    .description(
      'Upload an extract to incoming/{org}/{YYYY-MM}/ with a progress bar, wait until the pipeline has\n' +
        'processed it, and print its ledger entry. Talks to AWS, or to the local stack when the\n' +
        'AWS_ENDPOINT_URL_* variables printed by `msht local` are set.',
    )
    .argument('<file>', 'a .csv or .jsonl extract (optionally .gz), named as docs/extract-spec.md says')
    .requiredOption('--org <code>', 'your organisation code, e.g. PF-E23000001', orgOption)
    .option('--period <YYYY-MM>', 'month the extract covers (default: this month)', monthOption)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option('--no-wait', 'return once uploaded, without waiting for processing')
    .option('--timeout <seconds>', 'how long to wait for processing', positiveInt, 900)
    .addHelpText('after', '\nExample:\n  npx msht upload subjects.csv --org PF-E23000001 --period 2026-10')
    .action(
      async (
        file: string,
        opts: { org: OrgCode; period?: IsoMonth; stage: string; wait: boolean; timeout: number },
      ) => {
        const fileName = basename(file);
        if (!recordTypeFromFileName(fileName)) {
          process.stderr.write(
            `${fileName}: the name must start with operations, subjects, objects or locations and end .csv or .jsonl (optionally .gz).\n`,
          );
          process.exitCode = 2;
          return;
        }
        const resources = resolveResources(opts.stage);
        const clients = createAwsClients();
        const key = incomingKey(opts.org, opts.period ?? currentMonth(), fileName);
        const { size } = await stat(file);
        const progress = startProgress(`Uploading ${fileName}`, size);
        const upload = new Upload({
          client: clients.s3,
          params: { Bucket: resources.bucket, Key: key, Body: createReadStream(file) },
        });
        upload.on('httpUploadProgress', (p) => progress.update(p.loaded ?? 0));
        const result = await upload.done();
        progress.stop(`s3://${resources.bucket}/${key}`);
        if (!opts.wait) return;

        const uploadId = uploadIdFor({
          bucket: resources.bucket,
          key,
          ...(result.ETag ? { eTag: result.ETag.replaceAll('"', '') } : {}),
          ...(result.VersionId ? { versionId: result.VersionId } : {}),
        });
        const ledger = createLedger(clients.dynamodb, resources.uploadsTable);
        const waiting = startProgress('Waiting for the pipeline', 1);
        const deadline = Date.now() + opts.timeout * 1000;
        for (;;) {
          const entry = await ledger.get(uploadId);
          if (entry && isFinished(entry)) {
            waiting.stop(entry.status);
            process.stdout.write(`${renderEntry(entry, resources.bucket)}\n`);
            process.exitCode = entry.status === 'INDEXED' ? (entry.counts.rejected > 0 ? 1 : 0) : 2;
            return;
          }
          if (Date.now() > deadline) {
            waiting.stop('timed out');
            process.stderr.write(
              `Not processed after ${opts.timeout} s; check later with: npx msht status ${uploadId}\n`,
            );
            process.exitCode = 3;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      },
    );
};
