import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { pushQueueName } from '../../schemas/feed/push-consumers.ts';
import { PREFIXES } from '../../schemas/object-keys.ts';
import { QUERY_RESULTS_PREFIX } from '../../schemas/query/athena-names.ts';
import { uploadFormSignerRoleName } from '../../schemas/role-names.ts';
import { type StageSettings, visibilityTimeoutSeconds } from '../config.ts';
import { AccessLogsBucket } from '../constructs/access-logs-bucket.ts';
import { FailureQueue } from '../constructs/failure-queue.ts';
import { keyPolicy } from '../constructs/key-policy.ts';
import { PipelineQueue } from '../constructs/pipeline-queue.ts';
import { PipelineTable } from '../constructs/pipeline-table.ts';
import { PseudonymKeySecret } from '../constructs/pseudonym-key-secret.ts';
import { SecureBucket } from '../constructs/secure-bucket.ts';
import type { ResourceRefs } from '../function-env.ts';

const SECONDS_PER_DAY = 86_400;

/** What happens to the stage's data and keys when the stack is deleted. */
export const removalPolicyOf = (settings: StageSettings): RemovalPolicy =>
  settings.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

/**
 * The data plane: the landing bucket (incoming/, notifying the ingest queue), the data bucket, the access-log
 * bucket, the ingest, records and feed queues with their dead-letter queues, the scheduled-failures queue,
 * the uploads, markers and feed tables, the key of every function's log group and the pseudonym key
 * secret. Every name, size and retention comes from the settings.
 */
export class Storage extends Construct {
  public readonly accessLogs: AccessLogsBucket;
  /** Uploads: incoming/{org}/{YYYY-MM}/{file}. */
  public readonly landing: SecureBucket;
  /** Everything the pipeline writes: reports/, curated/, aggregates/, and PND batches. */
  public readonly data: SecureBucket;
  public readonly ingestQueue: PipelineQueue;
  public readonly recordsQueue: PipelineQueue;
  public readonly feedQueue: PipelineQueue;
  /** Each push consumer's own queue (stage settings `pushConsumers`), by consumer name. */
  public readonly pushQueues: ReadonlyMap<string, PipelineQueue>;
  /** Failed scheduled invocations. */
  public readonly scheduledFailures: FailureQueue;
  public readonly uploads: PipelineTable;
  public readonly markers: PipelineTable;
  public readonly feed: PipelineTable;
  /** The key of every function's log group; CloudWatch Logs may use it for this stage's log groups only. */
  public readonly logKey: Key;
  /** The pseudonym key secret, readable by the functions that derive references (`grantRead`). */
  public readonly pseudonymKey: PseudonymKeySecret;
  /** What the functions' environments name (see `functionEnvironment`). */
  public readonly refs: ResourceRefs;

  constructor(scope: Construct, id: string, props: { readonly settings: StageSettings }) {
    super(scope, id);
    const { settings } = props;
    const removalPolicy = removalPolicyOf(settings);
    const autoDeleteObjects = settings.autoDeleteObjects && removalPolicy === RemovalPolicy.DESTROY;
    const days = (n: number) => Duration.seconds(n * SECONDS_PER_DAY);

    // Buckets. Names are global, so the stack adds the account and region to the settings' base names.
    const suffix = `${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    const retention = settings.dataRetention;
    this.accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      retention: Duration.days(retention.accessLogsDays),
      removalPolicy,
      autoDeleteObjects,
    });
    this.landing = new SecureBucket(this, 'Landing', {
      bucketName: `${settings.landingBucketName}-${suffix}`,
      purpose: 'uploads (incoming/)',
      accessLogsBucket: this.accessLogs.bucket,
      retention: [{ prefix: PREFIXES.incoming, days: retention.incomingDays }],
      noncurrentVersionDays: retention.noncurrentVersionDays,
      objectLock: settings.objectLock,
      removalPolicy,
      autoDeleteObjects,
    });
    // Uploads come from outside the pipeline: none may choose its own encryption.
    this.landing.denyUploadsNotUnderOwnKey();
    this.data = new SecureBucket(this, 'Data', {
      bucketName: `${settings.bucketName}-${suffix}`,
      purpose: 'reports, curated records and aggregates',
      accessLogsBucket: this.accessLogs.bucket,
      retention: [
        { prefix: PREFIXES.reports, days: retention.reportsDays },
        { prefix: PREFIXES.curated, days: retention.curatedDays },
        { prefix: PREFIXES.aggregates, days: retention.aggregatesDays },
        { prefix: QUERY_RESULTS_PREFIX, days: retention.queryResultsDays },
      ],
      noncurrentVersionDays: retention.noncurrentVersionDays,
      removalPolicy,
      autoDeleteObjects,
    });

    // Queues.
    const queue = (id: string, queueName: string, visibilitySeconds: number, maxReceiveCount: number) =>
      new PipelineQueue(this, id, {
        queueName,
        visibilityTimeout: Duration.seconds(visibilitySeconds),
        maxReceiveCount,
        retentionPeriod: days(settings.queueRetentionDays),
        deadLetterRetention: days(settings.dlqRetentionDays),
        removalPolicy,
      });
    const { ingest, indexer } = settings.functions;
    const { queues, feedQueue } = settings;
    this.ingestQueue = queue(
      'IngestQueue',
      queues.ingest,
      visibilityTimeoutSeconds(ingest),
      ingest.maxReceiveCount,
    );
    this.recordsQueue = queue(
      'RecordsQueue',
      queues.records,
      visibilityTimeoutSeconds(indexer),
      indexer.maxReceiveCount,
    );
    this.feedQueue = queue(
      'FeedQueue',
      queues.feed,
      feedQueue.visibilityTimeoutSeconds,
      feedQueue.maxReceiveCount,
    );
    this.pushQueues = new Map(
      settings.pushConsumers.map(({ name }) => [
        name,
        queue(
          `PushQueue-${name}`,
          pushQueueName(settings, name),
          feedQueue.visibilityTimeoutSeconds,
          feedQueue.maxReceiveCount,
        ),
      ]),
    );
    this.scheduledFailures = new FailureQueue(this, 'ScheduledFailures', {
      queueName: `${settings.prefix}-scheduled-failures`,
      retentionPeriod: days(settings.dlqRetentionDays),
      removalPolicy,
    });
    this.landing.notifyObjectCreated(PREFIXES.incoming, this.ingestQueue);

    // Tables.
    const table = (id: string, tableSettings: StageSettings['tables']['uploads']) =>
      new PipelineTable(this, id, {
        settings: tableSettings,
        deletionProtection: settings.stage === 'prod',
        removalPolicy,
      });
    this.uploads = table('Uploads', settings.tables.uploads);
    this.markers = table('Markers', settings.tables.markers);
    this.feed = table('Feed', settings.tables.feed);

    this.logKey = this.createLogKey(settings.prefix, removalPolicy);
    this.pseudonymKey = new PseudonymKeySecret(this, 'PseudonymKey', {
      settings: settings.pseudonyms,
      removalPolicy,
    });
    this.refs = {
      bucket: this.data.bucketName,
      landingBucket: this.landing.bucketName,
      recordsQueueUrl: this.recordsQueue.queue.queueUrl,
      feedQueueUrl: this.feedQueue.queue.queueUrl,
      pushQueues: [...this.pushQueues].map(([name, q]) => ({ name, url: q.queue.queueUrl })),
      // The physical names from settings, as the functions' code and the CLI know them.
      uploadsTable: settings.tables.uploads.name,
      markersTable: settings.tables.markers.name,
      feedTable: settings.tables.feed.name,
      // Built from the name the upload API stage gives the role, so no function waits for it.
      uploadFormSignerRoleArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${uploadFormSignerRoleName(settings)}`,
      pseudonymKeySecret: this.pseudonymKey.secretArn,
    };
  }

  private createLogKey(prefix: string, removalPolicy: RemovalPolicy): Key {
    const key = new Key(this, 'LogsKey', {
      description: `Encrypts the CloudWatch Logs log groups of ${prefix}`,
      enableKeyRotation: true,
      policy: keyPolicy('logs'),
      removalPolicy,
    });
    // For this stage's log groups only, as CloudWatch Logs acts for them in this account.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    const logGroups = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${prefix}-*`;
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisStage',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': logGroups,
            'aws:SourceArn': logGroups,
          },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    return key;
  }
}
