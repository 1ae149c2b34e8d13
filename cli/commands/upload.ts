import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Command } from 'commander';
import { uploadIdFor } from '../../functions/ingest/ingest-object.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { sleep } from '../../functions/shared/retry.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import {
  fileNameProblem,
  type IsoMonth,
  incomingKey,
  type OrgCode,
  PREFIXES,
  type UploadStatusObject,
} from '../../schemas/index.ts';
import { readable } from '../errors.ts';
import { isFinished, renderEntry } from '../ledger-view.ts';
import { currentMonth, monthOption, nonNegativeInt, orgOption, positiveInt } from '../options.ts';
import { startProgress } from '../progress.ts';
import { issuesText } from '../report-view.ts';
import { resolveResources } from '../resources.ts';
import { readStatus, statusesOfKeySince, withS3Access } from '../upload-statuses.ts';

/**
 * The status object of the upload just made: by the id ingest derives from the S3 event (when the
 * event carries the same ETag and version id as the upload response), else the newest of the
 * organisation's status objects for the same key written and received since the upload started, which
 * works whatever the event carries (a versioned bucket's version id, a multipart ETag). Uploads that
 * existed before the upload (`earlier`) are never taken for it.
 */
export const findUpload = async (
  s3: S3Client,
  bucket: string,
  upload: { uploadId: string; org: OrgCode; key: string; since: string; earlier: ReadonlySet<string> },
): Promise<UploadStatusObject | undefined> => {
  const direct = await readStatus(s3, bucket, upload.org, upload.uploadId);
  if (direct) return direct;
  const recent = await statusesOfKeySince(s3, bucket, upload.org, upload.key, upload.since);
  return recent.find((status) => !upload.earlier.has(status.uploadId));
};

/** `msht upload FILE --org CODE`: uploads an extract, waits for it to be processed, prints its status. */
export const registerUploadCommand = (program: Command): void => {
  program
    .command('upload')
    .description(
      'Upload an extract to incoming/{org}/{YYYY-MM}/ with a progress bar, wait until the pipeline has ' +
        'processed it (polling its status object under reports/{org}/uploads/), and print its status. ' +
        'Talks to AWS, or to the local stack when the AWS_ENDPOINT_URL_* variables printed by ' +
        '`msht local` are set.',
    )
    .argument('<file>', 'a .csv or .jsonl extract (optionally .gz), named as docs/extract-spec.md says')
    .requiredOption('--org <org>', 'your organisation: code or name, e.g. PF-E23000001 or MET', orgOption)
    .option('--period <YYYY-MM>', 'month the extract covers (default: this month)', monthOption)
    .option('--stage <stage>', 'deployment stage whose resources to use', 'dev')
    .option('--no-wait', 'return once uploaded, without waiting for processing')
    .option('--timeout <seconds>', 'how long to wait for processing', positiveInt, 900)
    .option(
      '--issues <n>',
      'how many rejected rows and warnings to list from the report (0: none)',
      nonNegativeInt,
      10,
    )
    .addHelpText(
      'after',
      '\nExit status:\n' +
        '  0  indexed, every row accepted\n' +
        '  1  indexed, some rows rejected (listed, and all in the report)\n' +
        '  2  the upload FAILED, was QUARANTINED, or is a DUPLICATE of an earlier one\n' +
        '  3  not processed within --timeout (check later with msht status)\n' +
        '  4  could not run (no AWS region or credentials, endpoint not answering, file unreadable,\n' +
        '     the credentials may not write incoming/{org}/ or read reports/{org}/)\n' +
        '\nExample:\n  npx msht upload subjects.csv --org PF-E23000001 --period 2026-10',
    )
    .action(
      async (
        file: string,
        opts: {
          org: OrgCode;
          period?: IsoMonth;
          stage: string;
          wait: boolean;
          timeout: number;
          issues: number;
        },
      ) => {
        await readable(file);
        const fileName = basename(file);
        const nameProblem = fileNameProblem(fileName);
        if (nameProblem) {
          process.stderr.write(`${visibleText(nameProblem)}.\n`);
          process.exitCode = 2;
          return;
        }
        const resources = resolveResources(opts.stage);
        const clients = createAwsClients();
        const key = incomingKey(opts.org, opts.period ?? currentMonth(), fileName);
        const { size } = await stat(file);
        const startedAt = new Date().toISOString();
        const earlier = new Set(
          opts.wait
            ? (await statusesOfKeySince(clients.s3, resources.bucket, opts.org, key, startedAt)).map(
                (s) => s.uploadId,
              )
            : [],
        );
        const progress = startProgress(`Uploading ${visibleText(fileName)}`, size);
        const upload = new Upload({
          client: clients.s3,
          params: { Bucket: resources.landingBucket, Key: key, Body: createReadStream(file) },
        });
        upload.on('httpUploadProgress', (p) => progress.update(p.loaded ?? 0));
        const result = await withS3Access(`write ${PREFIXES.incoming}${opts.org}/`, () => upload.done());
        progress.stop(visibleText(`s3://${resources.landingBucket}/${key}`));
        if (!opts.wait) return;

        const expectedId = uploadIdFor({
          bucket: resources.landingBucket,
          key,
          ...(result.ETag ? { eTag: result.ETag.replaceAll('"', '') } : {}),
          ...(result.VersionId ? { versionId: result.VersionId } : {}),
        });
        const waiting = startProgress('Waiting for the pipeline', 1);
        const deadline = Date.now() + opts.timeout * 1000;
        let uploadId = expectedId;
        let found = false;
        for (;;) {
          // Once found, by its own id: one listing and one read a second.
          const entry = found
            ? await readStatus(clients.s3, resources.bucket, opts.org, uploadId)
            : await findUpload(clients.s3, resources.bucket, {
                uploadId: expectedId,
                org: opts.org,
                key,
                since: startedAt,
                earlier,
              });
          if (entry) {
            uploadId = entry.uploadId;
            found = true;
          }
          if (entry && isFinished(entry)) {
            waiting.stop(entry.status);
            process.stdout.write(`${renderEntry(entry, resources.bucket)}\n`);
            const issues = await issuesText(clients.s3, resources.bucket, entry, opts.issues);
            if (issues) process.stdout.write(`${issues}\n`);
            process.exitCode = entry.status === 'INDEXED' ? (entry.counts.rejected > 0 ? 1 : 0) : 2;
            return;
          }
          if (Date.now() > deadline) {
            waiting.stop('timed out');
            process.stderr.write(
              `Not processed after ${opts.timeout} s; check later with: npx msht status ${visibleText(uploadId)} --org ${opts.org}\n`,
            );
            process.exitCode = 3;
            return;
          }
          await sleep(1000);
        }
      },
    );
};
