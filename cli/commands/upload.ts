import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Command } from 'commander';
import { uploadIdFor } from '../../functions/ingest/ingest-object.ts';
import { createAwsClients } from '../../functions/shared/aws/clients.ts';
import { sleep } from '../../functions/shared/retry.ts';
import { readUploadProgress } from '../../functions/shared/upload-progress.ts';
import { visibleText } from '../../functions/shared/visible-text.ts';
import { type UploadJson, UploadJsonSchema } from '../../schemas/cli/json-output.ts';
import {
  fileNameProblem,
  type IsoMonth,
  incomingKey,
  type OrgCode,
  PREFIXES,
  type UploadProgress,
  type UploadStatusObject,
} from '../../schemas/index.ts';
import { readable } from '../errors.ts';
import { humanBytes } from '../human.ts';
import { printJson } from '../json.ts';
import { isFinished, renderEntry } from '../ledger-view.ts';
import { currentMonth, monthOption, nonNegativeInt, orgOption, positiveInt } from '../options.ts';
import { startProgress, startStatusLine } from '../progress.ts';
import { digestFor, renderDigest } from '../report-view.ts';
import { resolveResources } from '../resources.ts';
import { readStatus, statusesOfKeySince, withS3Access } from '../upload-statuses.ts';
import { notesStream, QUIET_HELP } from '../verbosity.ts';

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
    .summary('upload an extract and wait for it')
    .description(
      'Upload an extract to incoming/{org}/{YYYY-MM}/ with a progress bar, wait until the pipeline has ' +
        'processed it (polling its status object under reports/{org}/uploads/), and print its status. ' +
        'Talks to AWS, or to the local stack when the AWS_ENDPOINT_URL_* variables printed by ' +
        '`msht local` are set.',
    )
    .argument(
      '<file>',
      'a .csv or .jsonl extract (optionally .gz) or an .xlsx workbook, named as docs/extract-spec.md says',
    )
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
    .option('--json', 'print the outcome as one JSON document (schemas/json/cli-upload.schema.json)')
    .option('--quiet', QUIET_HELP)
    .addHelpText(
      'after',
      '\nThe upload id is printed as soon as the file is uploaded; processing goes on if you stop waiting\n' +
        '(Ctrl-C): look it up with `msht status ID --org ORG`.\n' +
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
          json?: boolean;
          quiet?: boolean;
        },
      ) => {
        await readable(file);
        const notes = notesStream(opts.quiet);
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
        const progress = startProgress(`Uploading ${visibleText(fileName)}`, size, notes, {
          bytes: true,
        });
        const upload = new Upload({
          client: clients.s3,
          params: { Bucket: resources.landingBucket, Key: key, Body: createReadStream(file) },
        });
        upload.on('httpUploadProgress', (p) => progress.update(p.loaded ?? 0));
        const result = await withS3Access(`write ${PREFIXES.incoming}${opts.org}/`, () => upload.done());
        progress.stop(`${humanBytes(size)} to ${visibleText(`s3://${resources.landingBucket}/${key}`)}`);
        const expectedId = uploadIdFor({
          bucket: resources.landingBucket,
          key,
          ...(result.ETag ? { eTag: result.ETag.replaceAll('"', '') } : {}),
          ...(result.VersionId ? { versionId: result.VersionId } : {}),
        });
        const lookUp = (id: string) => `npx msht status ${visibleText(id)} --org ${opts.org}`;
        notes.write(`Upload id ${expectedId}\n`);
        const finish = (json: UploadJson, code: number) => {
          if (opts.json) printJson(UploadJsonSchema, json);
          process.exitCode = code;
        };
        const base = { schemaVersion: 1, kind: 'msht.upload', key } as const;
        if (!opts.wait) {
          notes.write(`Not waiting: processing goes on; follow it with ${lookUp(expectedId)}\n`);
          finish({ ...base, uploadId: expectedId, outcome: 'NOT_WAITED' }, 0);
          return;
        }

        const waiting = startStatusLine('Processing', notes);
        waiting.set('waiting for the pipeline to receive it');
        // Ctrl-C stops the waiting, not the processing: say so, and how to look it up.
        let uploadId = expectedId;
        const interrupted = () => {
          waiting.stop('no longer waiting');
          process.stderr.write(`Processing goes on without you; look it up with ${lookUp(uploadId)}\n`);
          process.exit(130);
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        const deadline = Date.now() + opts.timeout * 1000;
        let found = false;
        try {
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
              if (entry.uploadId !== uploadId) notes.write(`Upload id ${entry.uploadId}\n`);
              uploadId = entry.uploadId;
              found = true;
              const indexing = entry.status === 'PROCESSING' || entry.status === 'QUEUED';
              // The progress object is a hint: one that cannot be read shows no count, nothing more.
              const progress = indexing
                ? await readUploadProgress(clients.s3, resources.bucket, entry).catch(() => undefined)
                : undefined;
              waiting.set(stageText(entry, progress));
            }
            if (entry && isFinished(entry)) {
              waiting.stop(entry.status);
              const digest = await digestFor(clients.s3, resources.bucket, entry, opts.issues);
              if (!opts.json) {
                process.stdout.write(`${renderEntry(entry, resources.bucket)}\n`);
                if (digest && digest.total > 0 && opts.issues > 0)
                  process.stdout.write(`${renderDigest(digest)}\n`);
              }
              const outcome = entry.status as 'INDEXED' | 'FAILED' | 'QUARANTINED' | 'DUPLICATE';
              finish(
                {
                  ...base,
                  uploadId,
                  outcome,
                  upload: entry,
                  ...(digest ? { issues: { ...digest, first: [...digest.first] } } : {}),
                },
                entry.status === 'INDEXED' ? (entry.counts.rejected > 0 ? 1 : 0) : 2,
              );
              return;
            }
            if (Date.now() > deadline) {
              waiting.stop('timed out');
              process.stderr.write(
                `Not processed after ${opts.timeout} s; check later with ${lookUp(uploadId)}\n`,
              );
              finish({ ...base, uploadId, outcome: 'TIMED_OUT', ...(entry ? { upload: entry } : {}) }, 3);
              return;
            }
            await sleep(1000);
          }
        } finally {
          process.off('SIGINT', interrupted);
          process.off('SIGTERM', interrupted);
        }
      },
    );
};

const n = (value: number): string => value.toLocaleString('en-GB');

/**
 * Where an upload stands, for the status line: received, validating (and indexing what is queued so
 * far), validated and indexing n of N, done. `progress` is the upload's progress object, when there is one.
 */
export const stageText = (entry: UploadStatusObject, progress?: UploadProgress): string => {
  const { counts } = entry;
  const indexed = Math.min(progress?.indexed ?? 0, entry.status === 'QUEUED' ? counts.accepted : Infinity);
  switch (entry.status) {
    case 'RECEIVED':
      return 'received, waiting to be read';
    case 'PROCESSING':
      return `reading and validating${indexed > 0 ? `; ${n(indexed)} records indexed so far` : ''}`;
    case 'QUEUED':
      return `validated (${n(counts.accepted)} accepted, ${n(counts.rejected)} rejected); indexed ${n(indexed)} of ${n(counts.accepted)}`;
    default:
      return entry.status;
  }
};
