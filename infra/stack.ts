import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env-names.ts';
import { type StageSettings, visibilityTimeoutSeconds } from './config.ts';
import { DATA_PREFIXES, DataBucket } from './constructs/data-bucket.ts';
import { PipelineFunction } from './constructs/pipeline-function.ts';
import { PipelineQueue } from './constructs/pipeline-queue.ts';
import { PipelineTable } from './constructs/pipeline-table.ts';

const SECONDS_PER_DAY = 86_400;

/** Properties of the `PipelineStack`. */
export type PipelineStackProps = StackProps & {
  /** Everything that varies by stage, from `settingsFor(stage)` in infra/config.ts. */
  readonly settings: StageSettings;
  /**
   * The repository root, where functions/ and package-lock.json are.
   * @default the parent folder of infra/
   */
  readonly projectRoot?: string;
};

/**
 * The pipeline on AWS (issue 2): the data bucket notifies the ingest queue of uploads under incoming/;
 * the ingest function validates and curates them, keeps the uploads ledger and queues accepted records;
 * the indexer function keeps the markers table. Every name, size and timeout comes from `settings`.
 */
export class PipelineStack extends Stack {
  public readonly settings: StageSettings;
  public readonly data: DataBucket;
  public readonly ingestQueue: PipelineQueue;
  public readonly recordsQueue: PipelineQueue;
  public readonly uploads: PipelineTable;
  public readonly markers: PipelineTable;
  public readonly ingest: PipelineFunction;
  public readonly indexer: PipelineFunction;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    const projectRoot = props.projectRoot ?? fileURLToPath(new URL('..', import.meta.url));
    const removalPolicy = settings.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const isProd = settings.stage === 'prod';

    const queueFor = (id: string, queueName: string, fn: StageSettings['functions']['ingest']) =>
      new PipelineQueue(this, id, {
        queueName,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(fn)),
        maxReceiveCount: fn.maxReceiveCount,
        deadLetterRetention: Duration.seconds(settings.dlqRetentionDays * SECONDS_PER_DAY),
        removalPolicy,
      });
    this.ingestQueue = queueFor('IngestQueue', settings.queues.ingest, settings.functions.ingest);
    this.recordsQueue = queueFor('RecordsQueue', settings.queues.records, settings.functions.indexer);

    this.data = new DataBucket(this, 'Data', {
      bucketName: settings.bucketName,
      accessLogsRetention: Duration.days(settings.logRetentionDays),
      removalPolicy,
    });
    this.data.notifyObjectCreated(DATA_PREFIXES.incoming, this.ingestQueue);

    this.uploads = new PipelineTable(this, 'Uploads', {
      settings: settings.tables.uploads,
      deletionProtection: isProd,
      removalPolicy,
    });
    this.markers = new PipelineTable(this, 'Markers', {
      settings: settings.tables.markers,
      deletionProtection: isProd,
      removalPolicy,
    });

    const environment = (service: string) => ({
      [ENV.bucket]: settings.bucketName,
      [ENV.recordsQueueUrl]: this.recordsQueue.queue.queueUrl,
      [ENV.uploadsTable]: settings.tables.uploads.name,
      [ENV.markersTable]: settings.tables.markers.name,
      [ENV.stage]: settings.stage,
      [ENV.logLevel]: 'INFO',
      [ENV.serviceName]: service,
    });
    const functionFor = (id: string, name: 'ingest' | 'indexer', description: string) =>
      new PipelineFunction(this, id, {
        functionName: `${settings.prefix}-${name}`,
        description,
        entry: `${projectRoot}/functions/${name}/handler.ts`,
        projectRoot,
        settings: settings.functions[name],
        environment: environment(`msht-${name}`),
        logRetentionDays: settings.logRetentionDays,
        removalPolicy,
      });

    this.ingest = functionFor('Ingest', 'ingest', 'Validates and curates uploads under incoming/');
    this.ingest.consume(this.ingestQueue);
    this.grantIngest(this.ingest);

    this.indexer = functionFor('Indexer', 'indexer', 'Keeps the markers table from accepted records');
    this.indexer.consume(this.recordsQueue);
    this.grantIndexer(this.indexer);
  }

  /** What ingest reads and writes: one statement per need, each on the narrowest resource. */
  private grantIngest(fn: PipelineFunction): void {
    const { data, recordsQueue, uploads } = this;
    fn.allow(
      new PolicyStatement({
        sid: 'ReadUploadsAndCurated',
        actions: ['s3:GetObject'],
        resources: [data.arnForPrefix(DATA_PREFIXES.incoming), data.arnForPrefix(DATA_PREFIXES.curated)],
      }),
      { wildcardReason: 'Ingest reads any upload under incoming/ and reads back its own curated output.' },
    );
    fn.allow(
      new PolicyStatement({
        sid: 'WriteReportsAndCurated',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [data.arnForPrefix(DATA_PREFIXES.reports), data.arnForPrefix(DATA_PREFIXES.curated)],
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
        resources: [data.arnForPrefix(DATA_PREFIXES.curated)],
      }),
      { wildcardReason: 'Ingest deletes the partial curated object of an upload it rejects midway.' },
    );
    fn.allow(
      new PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [data.key.keyArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'SendRecords',
        actions: ['sqs:SendMessage'],
        resources: [recordsQueue.queue.queueArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'EncryptRecords',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [recordsQueue.key.keyArn],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'KeepLedger',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [uploads.table.tableArn, ...Object.values(uploads.indexArns)],
      }),
    );
    fn.allow(tableKeyStatement('UseUploadsKey', uploads));
  }

  /** What the indexer reads and writes: markers, and the ledger's indexed counts. */
  private grantIndexer(fn: PipelineFunction): void {
    const { markers, uploads } = this;
    fn.allow(
      new PolicyStatement({
        sid: 'KeepMarkers',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [markers.table.tableArn],
      }),
    );
    fn.allow(tableKeyStatement('UseMarkersKey', markers));
    fn.allow(
      new PolicyStatement({
        sid: 'CountIndexed',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [uploads.table.tableArn],
      }),
    );
    fn.allow(tableKeyStatement('UseUploadsKey', uploads));
  }
}

/** Reading and writing items of a table encrypted with a customer-managed key. */
const tableKeyStatement = (sid: string, table: PipelineTable): PolicyStatement =>
  new PolicyStatement({
    sid,
    actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    resources: [table.key.keyArn],
  });
