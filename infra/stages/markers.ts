import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { pushConsumerId } from '../../schemas/feed/push-consumers.ts';
import { uploadProgressPrefix, uploadStatusPrefix } from '../../schemas/object-keys.ts';
import type { StageSettings } from '../config.ts';
import { keyViaService, listUnder } from '../constructs/iam-statements.ts';
import type { PipelineFunction } from '../constructs/pipeline-function.ts';
import { type BuildFunction, buildRequired } from './functions.ts';
import type { Storage } from './storage.ts';

/** Properties of the `Markers` stage. */
export type MarkersProps = {
  readonly settings: StageSettings;
  readonly storage: Storage;
  readonly build: BuildFunction;
};

/**
 * Markers: the indexer keeps the markers table and the feed change log from accepted records; on
 * schedules, the feed publisher sends committed changes to the feed queue, the PND export writes pending
 * markers to PND batches and the expiry pass writes EXPIRED on markers past review.
 */
export class Markers extends Construct {
  public readonly indexer: PipelineFunction;
  public readonly pndExport: PipelineFunction | undefined;
  public readonly feedPublisher: PipelineFunction | undefined;
  public readonly markerExpiry: PipelineFunction | undefined;

  constructor(scope: Construct, id: string, props: MarkersProps) {
    super(scope, id);
    const { settings, storage, build } = props;
    this.indexer = buildRequired(build, this, 'indexer');
    grantIndexer(this.indexer, storage);
    this.pndExport = build(this, 'pndExport');
    if (this.pndExport) grantPndExport(this.pndExport, storage, settings.pnd.batchPrefix);
    this.feedPublisher = build(this, 'feedPublisher');
    if (this.feedPublisher) grantFeedPublisher(this.feedPublisher, storage);
    this.markerExpiry = build(this, 'markerExpiry');
    if (this.markerExpiry) grantMarkerExpiry(this.markerExpiry, storage);
  }
}

/**
 * What the indexer reads and writes: markers (each carrying its unlogged change), the ledger's indexed
 * counts, the INDEXED status object of each upload it finishes, and the pseudonym key.
 */
const grantIndexer = (fn: PipelineFunction, storage: Storage): void => {
  const { uploads, data } = storage;
  allowMarkerCommits(fn, storage);
  // functions/shared/ledger.ts: recordIndexed (UpdateItem, then GetItem on a repeated chunk) and
  // finishIfIndexed (UpdateItem).
  fn.allow(
    new PolicyStatement({
      sid: 'CountIndexed',
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resources: [uploads.table.tableArn],
    }),
  );
  fn.allow(keyViaService('UseUploadsKey', uploads.key, 'dynamodb', 'encrypt-decrypt'));
  // functions/shared/upload-status.ts: publishUploadStatus, and functions/shared/upload-progress.ts:
  // publishUploadProgress (PutObject, under the bucket's SSE-KMS key).
  const statuses = uploadStatusPrefix('*');
  const progress = uploadProgressPrefix('*');
  fn.allow(
    new PolicyStatement({
      sid: 'WriteUploadStatus',
      actions: ['s3:PutObject'],
      resources: [data.arnForPrefix(statuses), data.arnForPrefix(progress)],
    }),
    {
      wildcardReason: `The indexer writes the status object of each upload it finishes, and how far indexing has got, keyed by org and upload id under ${statuses} and ${progress}.`,
    },
  );
  fn.allow(keyViaService('UseDataKey', data.key, 's3', 'encrypt-decrypt'));
  // functions/shared/pseudonym-key.ts: natural keys, record keys and versions are keyed.
  storage.pseudonymKey.grantRead(fn);
};

/**
 * What functions/indexer/commit.ts needs to write marker states: functions/indexer/marker-store.ts
 * reads heads and markers with BatchGetItem only (never GetItem) and writes with conditional PutItem.
 * Each marker item carries its own unlogged change, so committing never touches the feed table (the
 * sequencer in the feed publisher logs it).
 */
const allowMarkerCommits = (fn: PipelineFunction, storage: Storage): void => {
  fn.allow(
    new PolicyStatement({
      sid: 'KeepMarkers',
      actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
      resources: [storage.markers.table.tableArn],
    }),
  );
  fn.allow(keyViaService('UseMarkersKey', storage.markers.key, 'dynamodb', 'encrypt-decrypt'));
};

/** The expiry pass commits as the indexer does, and finds its candidates with scanDueMarkers (Scan). */
const grantMarkerExpiry = (fn: PipelineFunction, storage: Storage): void => {
  allowMarkerCommits(fn, storage);
  fn.allow(
    new PolicyStatement({
      sid: 'ScanMarkers',
      actions: ['dynamodb:Scan'],
      resources: [storage.markers.table.tableArn],
    }),
  );
};

/** The actions `fn` needs on the feed change log table (functions/feed/feed-log.ts), and its key. */
const allowFeedLog = (
  fn: PipelineFunction,
  { feed }: Storage,
  sid: string,
  actions: readonly string[],
): void => {
  fn.allow(new PolicyStatement({ sid, actions: [...actions], resources: [feed.table.tableArn] }));
  fn.allow(keyViaService('UseFeedKey', feed.key, 'dynamodb', 'encrypt-decrypt'));
};

/** The PND export reads pending markers, moves their sync state and writes batches under the PND prefix. */
const grantPndExport = (fn: PipelineFunction, { data, markers }: Storage, prefix: string): void => {
  // functions/pnd/pnd-store.ts: listByState queries bySyncState; markSent and answer are UpdateItem.
  fn.allow(
    new PolicyStatement({
      sid: 'ListBySyncState',
      actions: ['dynamodb:Query'],
      resources: [markers.indexArn('bySyncState')],
    }),
  );
  fn.allow(
    new PolicyStatement({
      sid: 'KeepPndSyncState',
      actions: ['dynamodb:UpdateItem'],
      resources: [markers.table.tableArn],
    }),
  );
  fn.allow(keyViaService('UseMarkersKey', markers.key, 'dynamodb', 'encrypt-decrypt'));
  // functions/pnd/s3-objects.ts: PutObject, GetObject, and HeadObject (which S3 authorises as GetObject).
  fn.allow(
    new PolicyStatement({
      sid: 'WritePndBatches',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [data.arnForPrefix(prefix)],
    }),
    { wildcardReason: `The PND export writes and re-reads each batch under ${prefix}{batchId}/.` },
  );
  // Lets S3 answer 404 (not 403) to the HeadObject of a batch manifest that was never written.
  fn.allow(listUnder('ListPndBatches', data.bucket.bucketArn, [prefix]));
  fn.allow(keyViaService('UseDataKey', data.key, 's3', 'encrypt-decrypt'));
};

/** The feed publisher sequences unlogged marker changes into the change log and sends each to the feed queue. */
const grantFeedPublisher = (fn: PipelineFunction, storage: Storage): void => {
  // functions/feed/outbox.ts: pendingKeys queries byLogPending, read is BatchGetItem, markLogged is
  // UpdateItem (the log bookkeeping of a marker only).
  fn.allow(
    new PolicyStatement({
      sid: 'ListLogPending',
      actions: ['dynamodb:Query'],
      resources: [storage.markers.indexArn('byLogPending')],
    }),
  );
  fn.allow(
    new PolicyStatement({
      sid: 'MarkLogged',
      actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
      resources: [storage.markers.table.tableArn],
    }),
  );
  fn.allow(keyViaService('UseMarkersKey', storage.markers.key, 'dynamodb', 'encrypt-decrypt'));
  // functions/feed/feed-log.ts: head and cursor (GetItem), read (BatchGetItem), positions and the cursor
  // (PutItem), claims and head moves of the counter (UpdateItem).
  allowFeedLog(fn, storage, 'PublishFeedLog', [
    'dynamodb:BatchGetItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ]);
  const pushQueues = [...storage.pushQueues.values()];
  fn.allow(
    new PolicyStatement({
      sid: 'SendFeed',
      actions: ['sqs:SendMessage'],
      resources: [storage.feedQueue.queue.queueArn, ...pushQueues.map((q) => q.queue.queueArn)],
    }),
  );
  fn.allow(keyViaService('EncryptFeed', storage.feedQueue.key, 'sqs', 'encrypt-decrypt'));
  for (const [name, q] of storage.pushQueues)
    fn.allow(keyViaService(`EncryptPush${pushConsumerId(name)}`, q.key, 'sqs', 'encrypt-decrypt'));
};
