import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { keyViaService } from '../constructs/iam-statements.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { type BuildFunction, buildRequired } from './functions.ts';
import type { Storage } from './storage.ts';

/** Properties of the `Ingest` stage. */
export type IngestProps = { readonly storage: Storage; readonly build: BuildFunction };

/**
 * Ingest: the function that validates and curates each upload from the ingest queue into the data bucket
 * (reports/, curated/), keeps the uploads ledger and queues accepted records; and the stuck-uploads check
 * that counts ledger entries ingest has held for longer than it can.
 */
export class Ingest extends Construct {
  public readonly ingest: PipelineFunction;
  /** The stuck-uploads check (functions/stuck-uploads), unless left out. */
  public readonly stuckUploads: PipelineFunction | undefined;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { storage, build } = props;
    this.ingest = buildRequired(build, this, 'ingest');
    grantIngest(this.ingest, storage);
    this.stuckUploads = build(this, 'stuckUploads');
    if (this.stuckUploads) grantStuckUploads(this.stuckUploads, storage);
  }
}

/** What ingest reads and writes: one statement per need, each on the narrowest resource. */
const grantIngest = (
  fn: PipelineFunction,
  { landing, data, recordsQueue, uploads, pseudonymKey }: Storage,
): void => {
  fn.allow(
    new PolicyStatement({
      sid: 'ReadUploads',
      actions: ['s3:GetObject'],
      resources: [landing.arnForPrefix(PREFIXES.incoming)],
    }),
    { wildcardReason: 'Ingest reads any upload under incoming/ of the landing bucket, as S3 notifies it.' },
  );
  // Listing lets S3 answer 404 (not 403) for an upload that is gone. The landing bucket holds only
  // incoming/, which ingest may read whole, so the listing reveals nothing more and needs no prefix
  // condition (which S3 might not evaluate for that check).
  fn.allow(
    new PolicyStatement({
      sid: 'ListUploads',
      actions: ['s3:ListBucket'],
      resources: [landing.bucket.bucketArn],
    }),
  );
  fn.allow(keyViaService('DecryptUploads', landing.key, 's3', 'decrypt'));
  fn.allow(
    new PolicyStatement({
      sid: 'ReadCurated',
      actions: ['s3:GetObject'],
      resources: [data.arnForPrefix(PREFIXES.curated)],
    }),
    {
      wildcardReason:
        'Ingest reads back the curated object it has just written, keyed by month, org and upload id.',
    },
  );
  fn.allow(
    new PolicyStatement({
      sid: 'WriteReportsAndCurated',
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [data.arnForPrefix(PREFIXES.reports), data.arnForPrefix(PREFIXES.curated)],
    }),
    {
      wildcardReason:
        'Ingest writes one report and one curated object per upload, keyed by org and upload id under reports/ and curated/.',
    },
  );
  fn.allow(
    new PolicyStatement({
      sid: 'DeletePartialCurated',
      actions: ['s3:DeleteObject'],
      resources: [data.arnForPrefix(PREFIXES.curated)],
    }),
    {
      wildcardReason:
        'Ingest deletes the curated object of an upload it rejects midway or quarantines (too many rejected rows).',
    },
  );
  fn.allow(keyViaService('UseDataKey', data.key, 's3', 'encrypt-decrypt'));
  fn.allow(
    new PolicyStatement({
      sid: 'SendRecords',
      actions: ['sqs:SendMessage'],
      resources: [recordsQueue.queue.queueArn],
    }),
  );
  fn.allow(keyViaService('EncryptRecords', recordsQueue.key, 'sqs', 'encrypt-decrypt'));
  // functions/shared/ledger.ts: begin (PutItem, then GetItem of an existing entry), update, complete and
  // finishIfIndexed (UpdateItem); findCompletedBySha256 queries the bySha256 index.
  fn.allow(
    new PolicyStatement({
      sid: 'KeepLedger',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [uploads.table.tableArn],
    }),
  );
  fn.allow(
    new PolicyStatement({
      sid: 'FindDuplicateUploads',
      actions: ['dynamodb:Query'],
      resources: [uploads.indexArn('bySha256')],
    }),
  );
  fn.allow(keyViaService('UseUploadsKey', uploads.key, 'dynamodb', 'encrypt-decrypt'));
  // functions/shared/pseudonym-key.ts: the normaliser keys every pseudonymous reference.
  pseudonymKey.grantRead(fn);
};

/** The stuck-uploads check finds entries still RECEIVED or PROCESSING in the ledger and its indexes. */
const grantStuckUploads = (fn: PipelineFunction, { uploads }: Storage): void => {
  fn.allow(
    new PolicyStatement({
      sid: 'ReadLedger',
      actions: ['dynamodb:Query', 'dynamodb:Scan'],
      resources: [uploads.table.tableArn, ...Object.values(uploads.indexArns)],
    }),
  );
  fn.allow(keyViaService('DecryptLedger', uploads.key, 'dynamodb', 'decrypt'));
};
