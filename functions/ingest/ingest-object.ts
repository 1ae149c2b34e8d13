import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  curatedKey,
  isOrgCode,
  type OrgCode,
  type PseudonymKey,
  parseIncomingKey,
  reportKey,
  SCHEMA_VERSION,
  type UploadLedgerEntry,
  type UploadStatus,
} from '../../schemas/index.ts';
import { deleteObject, openObject, uploadStream } from '../shared/aws/s3.ts';
import { batchForSqs, type OutgoingMessage, SQS_BATCH_LIMIT, sendMessageBatch } from '../shared/aws/sqs.ts';
import { sha256Hex } from '../shared/canonical-json.ts';
import { FileRejectedError } from '../shared/errors.ts';
import type { Ledger } from '../shared/ledger.ts';
import { type PublishUploadStatus, publishIndexed } from '../shared/upload-status.ts';
import { inspectObject } from './inspect.ts';
import type { IngestLimits } from './limits.ts';
import { maxRecordBytes, curatedSink as membersSink, type PackLimits, packCuratedObject } from './pack.ts';
import { processFile, type RowCounts } from './process-file.ts';
import { quarantineVerdict } from './quarantine.ts';
import { clipMessage, createReportWriter } from './report.ts';
import type { ObjectRef } from './s3-event.ts';
import { streamSink } from './text-sink.ts';

/** What ingest needs from the outside world; the handler builds it once from the environment. */
export type IngestDeps = {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ledger: Ledger;
  /** Writes the upload's status object (functions/shared/upload-status.ts) for the organisation to read. */
  readonly publishStatus: PublishUploadStatus;
  readonly bucket: string;
  readonly recordsQueueUrl: string;
  readonly limits: IngestLimits;
  readonly pack: PackLimits;
  /** The pseudonym key, read once per execution environment (functions/shared/pseudonym-key.ts). */
  readonly pseudonymKey: () => Promise<PseudonymKey>;
  readonly now: () => string;
  readonly log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
};

/** How one object ended, for logs and tests. */
export type IngestResult = {
  readonly uploadId: string;
  readonly status: UploadStatus;
  readonly counts?: RowCounts;
};

/** Statuses after which a repeated event for the same object changes nothing. */
const FINAL: readonly UploadStatus[] = ['QUEUED', 'INDEXED', 'FAILED', 'DUPLICATE', 'QUARANTINED'];

/** A stable id for one version of one object, so a repeated S3 event maps to the same upload. */
export const uploadIdFor = (ref: ObjectRef): string =>
  `u${sha256Hex(`${ref.bucket}\n${ref.key}\n${ref.versionId ?? ''}\n${ref.eTag ?? ''}`).slice(0, 24)}`;

const ZERO_COUNTS = { rows: 0, accepted: 0, warnings: 0, rejected: 0, indexed: 0 } as const;

/**
 * Ingests one uploaded object, in three streaming passes so that nothing is applied from a file that
 * turns out bad: (1) inspect (hash, size, encoding, binary); (2) parse, validate and normalise every row
 * into the curated object and the report; (3) queue the curated records for the indexer. Safe to repeat:
 * a finished upload is skipped, and a retried one re-sends identical messages that the indexer dedupes.
 *
 * Every status it moves the ledger to is first written to the upload's status object, then to the
 * ledger: the indexer sets INDEXED only on a QUEUED ledger entry, and writes the INDEXED object after
 * that, so a QUEUED object can never overwrite an INDEXED one; a crash between the two writes leaves
 * the ledger behind, and the retry writes both again.
 */
export const ingestObject = async (deps: IngestDeps, ref: ObjectRef): Promise<IngestResult | undefined> => {
  const uploadId = uploadIdFor(ref);
  const parsed = parseIncomingKey(ref.key);
  const orgSegment = ref.key.split('/')[1] ?? '';
  if (!parsed.ok && !isOrgCode(orgSegment)) {
    deps.log('warn', 'Object ignored: key names no organisation', { uploadId, code: parsed.code });
    return undefined;
  }
  const org = (parsed.ok ? parsed.org : orgSegment) as OrgCode;
  // Before the ledger: an upload is not begun while the key cannot be read (SQS retries the event).
  const pseudonymKey = await deps.pseudonymKey();
  const receivedAt = deps.now();
  const { created, entry } = await deps.ledger.begin({
    uploadId,
    org,
    period: parsed.ok ? parsed.period : '0000-01',
    key: ref.key,
    fileName: parsed.ok ? parsed.fileName : (ref.key.split('/').pop() ?? ref.key),
    recordType: parsed.ok ? parsed.recordType : 'subject',
    format: parsed.ok ? parsed.format : 'csv',
    sizeBytes: ref.size ?? 0,
    status: 'RECEIVED',
    counts: { ...ZERO_COUNTS },
    receivedAt,
    schemaVersion: SCHEMA_VERSION,
    attempts: 0,
    reportKey: reportKey(org, uploadId, 'json'),
  } as UploadLedgerEntry);
  if (!created && FINAL.includes(entry.status)) {
    if (entry.status === 'QUEUED') {
      // A crash after the ledger's QUEUED and before ingest's own finishIfIndexed leaves an upload the
      // indexer may have finished counting already (it cannot set INDEXED before QUEUED): finish it here.
      if (await deps.ledger.finishIfIndexed(uploadId))
        await publishIndexed(deps.ledger, deps.publishStatus, uploadId);
    } else {
      // Rewrites the status object of a final status, repairing one lost to a crash after the ledger
      // write (INDEXED by ingest's own finishIfIndexed). Never a QUEUED one: the indexer may set INDEXED.
      await deps.publishStatus(entry);
    }
    deps.log('info', 'Repeated event for a finished upload: nothing to do', {
      uploadId,
      status: entry.status,
    });
    return { uploadId, status: entry.status };
  }
  // What the ledger holds, kept here as ingest changes it, for the status object.
  let current = entry;
  if (created) await deps.publishStatus(current);
  /** Moves the upload on: the status object first, then the ledger. */
  const transition = async (changes: Partial<UploadLedgerEntry>): Promise<void> => {
    current = { ...current, ...changes };
    await deps.publishStatus(current);
    await deps.ledger.update(uploadId, changes);
  };
  await transition({ status: 'PROCESSING', attempts: (entry.attempts ?? 0) + 1 });

  const report = createReportWriter(
    {
      json: streamSink((body) =>
        uploadStream(deps.s3, {
          bucket: deps.bucket,
          key: reportKey(org, uploadId, 'json'),
          body,
          contentType: 'application/json',
        }),
      ),
      csv: streamSink((body) =>
        uploadStream(deps.s3, {
          bucket: deps.bucket,
          key: reportKey(org, uploadId, 'csv'),
          body,
          contentType: 'text/csv',
        }),
      ),
    },
    { uploadId, org, key: ref.key },
  );
  const fail = async (error: FileRejectedError, sha256?: string): Promise<IngestResult> => {
    const failure = { code: error.code, message: clipMessage(error.message) };
    await report.add(0, 'error', { field: '(file)', code: error.code as never, message: failure.message });
    await report.finish({ status: 'FAILED', failure });
    // A GSI key cannot be an empty string, so sha256 is only written once known.
    await transition({ status: 'FAILED', failure, completedAt: deps.now(), ...(sha256 ? { sha256 } : {}) });
    deps.log('warn', 'Upload rejected as a whole', { uploadId, org, code: error.code });
    return { uploadId, status: 'FAILED' };
  };
  if (!parsed.ok)
    return fail(new FileRejectedError(parsed.code, parsed.message, { context: { file: ref.key } }));

  // The upload is read from the bucket the event names (the landing bucket); outputs go to deps.bucket.
  const open = async (): Promise<AsyncIterable<Uint8Array>> => openObject(deps.s3, ref.bucket, ref.key);
  let inspection: Awaited<ReturnType<typeof inspectObject>>;
  try {
    inspection = await inspectObject(await open(), deps.limits, ref.key, parsed.format);
  } catch (error) {
    if (error instanceof FileRejectedError) return fail(error);
    throw error;
  }
  const inspected = { sha256: inspection.sha256, sizeBytes: inspection.sizeBytes };
  current = { ...current, ...inspected };
  await deps.ledger.update(uploadId, inspected);

  const original = await deps.ledger.findCompletedBySha256(org, inspection.sha256, uploadId);
  if (original) {
    await report.finish({ status: 'DUPLICATE', duplicateOf: original.uploadId });
    await transition({ status: 'DUPLICATE', duplicateOf: original.uploadId, completedAt: deps.now() });
    deps.log('info', 'Identical file already ingested', { uploadId, duplicateOf: original.uploadId });
    return { uploadId, status: 'DUPLICATE' };
  }

  const curated = curatedKey(parsed.recordType, parsed.period, org, uploadId);
  // Gzip JSON Lines written as records members, one per message the queue pass sends (pack.ts).
  const curatedSink = membersSink(
    (body) =>
      uploadStream(deps.s3, {
        bucket: deps.bucket,
        key: curated,
        body,
        contentType: 'application/gzip',
      }),
    uploadId,
    deps.pack,
  );
  let counts: RowCounts;
  try {
    const outcome = await processFile(
      await open(),
      {
        file: ref.key,
        recordType: parsed.recordType,
        format: parsed.format,
        org,
        period: parsed.period,
        uploadId,
        fileSha256: inspection.sha256,
        encoding: inspection.encoding,
        // The first attempt's time, so that a retry produces byte-identical records and messages.
        ingestedAt: entry.receivedAt,
        pseudonymKey,
        limits: deps.limits,
        maxRecordBytes: maxRecordBytes(uploadId, deps.pack),
      },
      { curated: curatedSink, report },
    );
    counts = outcome.counts;
    await curatedSink.close();
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    await curatedSink.close().catch(() => undefined);
    await deleteObject(deps.s3, deps.bucket, curated);
    return fail(error, inspection.sha256);
  }
  const quarantine = quarantineVerdict(counts, deps.limits);
  if (quarantine) {
    // Nothing from a quarantined upload is applied: the curated object goes (aggregation reads every
    // curated object), no message is queued; the incoming object stays for reprocessing.
    await deleteObject(deps.s3, deps.bucket, curated);
    await report.finish({ status: 'QUARANTINED', counts, failure: quarantine });
    await transition({
      status: 'QUARANTINED',
      failure: quarantine,
      counts: { ...counts, indexed: 0 },
      sha256: inspection.sha256,
      completedAt: deps.now(),
    });
    deps.log('warn', 'Upload quarantined: too many rejected rows', { uploadId, org, ...counts });
    return { uploadId, status: 'QUARANTINED', counts };
  }
  await report.finish({ status: 'QUEUED', counts });

  // Pass 3: queue the curated records, one records member of the curated object to a message (cut by
  // the members' headers, nothing decompressed), in batches SendMessageBatch accepts.
  const curatedBytes = await openObject(deps.s3, deps.bucket, curated);
  let pending: OutgoingMessage[] = [];
  const flush = async (all: boolean): Promise<void> => {
    const batches = batchForSqs(pending);
    const ready = all ? batches : batches.slice(0, -1);
    for (const batch of ready) await sendMessageBatch(deps.sqs, deps.recordsQueueUrl, batch);
    pending = all ? [] : (batches.at(-1) ?? []);
  };
  for await (const message of packCuratedObject(uploadId, curatedBytes, deps.pack)) {
    pending.push({ id: String(message.chunk), body: message.body });
    if (pending.length > SQS_BATCH_LIMIT) await flush(false);
  }
  await flush(true);

  const completedAt = deps.now();
  // QUEUED in the status object before the ledger: only then may the indexer make it INDEXED.
  current = {
    ...current,
    status: 'QUEUED',
    counts: { ...counts, indexed: current.counts.indexed },
    curatedKey: curated,
    completedAt,
  };
  await deps.publishStatus(current);
  await deps.ledger.complete(uploadId, counts, { curatedKey: curated, completedAt });
  const indexed = await deps.ledger.finishIfIndexed(uploadId);
  if (indexed) await publishIndexed(deps.ledger, deps.publishStatus, uploadId);
  deps.log('info', 'Upload queued', { uploadId, org, ...counts });
  return { uploadId, status: indexed ? 'INDEXED' : 'QUEUED', counts };
};
