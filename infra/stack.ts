import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { INGEST_NODE_OPTIONS } from '../functions/ingest/runtime.ts';
import { ENV, type EnvName } from '../functions/shared/env-names.ts';
import { PREFIXES } from '../schemas/object-keys.ts';
import { stuckAfterSeconds } from '../schemas/settings/function-settings.ts';
import { type StageSettings, visibilityTimeoutSeconds } from './config.ts';
import { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import { AccessRole } from './constructs/access-role.ts';
import { FailureQueue } from './constructs/failure-queue.ts';
import { keyViaService, listUnder } from './constructs/iam-statements.ts';
import { OrganisationUploadRole } from './constructs/organisation-upload-role.ts';
import { PipelineAlarms } from './constructs/pipeline-alarms.ts';
import { type DashboardQueue, PipelineDashboard } from './constructs/pipeline-dashboard.ts';
import { PipelineFunction } from './constructs/pipeline-function.ts';
import { PipelineQueue } from './constructs/pipeline-queue.ts';
import { PipelineTable } from './constructs/pipeline-table.ts';
import { ScheduledInvocation } from './constructs/scheduled-invocation.ts';
import { SecureBucket } from './constructs/secure-bucket.ts';

const SECONDS_PER_DAY = 86_400;

/**
 * The handler module of each function, relative to the repository root. The stack builds every one; a
 * missing file fails the synth (tests may leave a scheduled function out with `handlers: { name: null }`).
 */
export const HANDLERS = {
  ingest: 'functions/ingest/handler.ts',
  indexer: 'functions/indexer/handler.ts',
  aggregate: 'functions/aggregate/handler.ts',
  pndExport: 'functions/pnd/export-handler.ts',
  feedPublisher: 'functions/feed/publish-handler.ts',
  markerExpiry: 'functions/marker-expiry/handler.ts',
  uploadApi: 'functions/upload-api/handler.ts',
  /** Publishes `UploadsStuckInProcessing` (see `PipelineAlarms.uploadsStuck`). */
  stuckUploads: 'functions/stuck-uploads/handler.ts',
} as const;

/** A function of the pipeline, by its key in `HANDLERS`. */
export type HandlerName = keyof typeof HANDLERS;

/** Metric dimension `service` of `UploadsStuckInProcessing`: the stuck-uploads check's Powertools service name. */
export const STUCK_UPLOADS_SERVICE = 'msht-stuck-uploads';

/**
 * The stuck-uploads check (functions/stuck-uploads/handler.ts): every 15 minutes it counts ledger
 * entries RECEIVED or PROCESSING for longer than ingest can hold them and publishes `UploadsStuckInProcessing`. The same
 * in every stage, so it is a constant rather than a stage setting.
 */
export const STUCK_UPLOADS_CHECK = {
  memoryMb: 256,
  timeoutSeconds: 60,
  schedule: 'rate(15 minutes)',
  reservedConcurrency: 1,
} as const;

/** Properties of the `PipelineStack`. */
export type PipelineStackProps = StackProps & {
  /** Everything that varies by stage, from `settingsFor(stage)` in infra/config.ts. */
  readonly settings: StageSettings;
  /**
   * The repository root, where functions/ and package-lock.json are.
   * @default the parent folder of infra/
   */
  readonly projectRoot?: string;
  /**
   * Absolute handler paths that replace those of `HANDLERS`; `null` leaves a scheduled function out
   * (tests that judge one part of the app build less).
   * @default each `HANDLERS` path under `projectRoot`: every function is built, and a missing handler
   * file fails the synth rather than silently leaving its function out
   */
  readonly handlers?: Partial<Record<HandlerName, string | null>>;
};

/** The functions that run on a schedule, when their handlers exist. */
export type ScheduledFunctions = {
  readonly aggregate?: PipelineFunction;
  readonly pndExport?: PipelineFunction;
  readonly feedPublisher?: PipelineFunction;
  readonly markerExpiry?: PipelineFunction;
  readonly stuckUploads?: PipelineFunction;
};

/**
 * The pipeline on AWS. Organisations upload with their own roles to the landing bucket (incoming/{org}/,
 * Object Lock in prod), which notifies the ingest queue; the ingest function validates and curates each
 * upload into the data bucket (reports/, curated/), keeps the uploads ledger and queues accepted records;
 * the indexer keeps the markers table and the feed change log; scheduled functions aggregate each month
 * (aggregates/), export to PND and publish the feed. Everything is encrypted with customer-managed keys,
 * alarmed to one SNS topic and shown on one dashboard. Every name, size and timeout comes from `settings`.
 */
export class PipelineStack extends Stack {
  public readonly settings: StageSettings;
  public readonly accessLogs: AccessLogsBucket;
  /** Uploads: incoming/{org}/{YYYY-MM}/{file}. */
  public readonly landing: SecureBucket;
  /** Everything the pipeline writes: reports/, curated/, aggregates/, and PND batches. */
  public readonly data: SecureBucket;
  public readonly ingestQueue: PipelineQueue;
  public readonly recordsQueue: PipelineQueue;
  public readonly feedQueue: PipelineQueue;
  /** Failed scheduled invocations. */
  public readonly scheduledFailures: FailureQueue;
  public readonly uploads: PipelineTable;
  public readonly markers: PipelineTable;
  public readonly feed: PipelineTable;
  public readonly ingest: PipelineFunction;
  public readonly indexer: PipelineFunction;
  public readonly scheduled: ScheduledFunctions;
  /** The optional upload API (`settings.uploadApi.enabled`) and its Function URL. */
  public readonly uploadApi?: { readonly fn: PipelineFunction; readonly url: FunctionUrl };
  /** Every function the stack built, by its `HANDLERS` name (what alarms, the dashboard and tests cover). */
  public readonly functions: ReadonlyMap<HandlerName, PipelineFunction>;
  public readonly uploadRoles: ReadonlyMap<string, OrganisationUploadRole>;
  public readonly nationalTeamRole: AccessRole;
  public readonly feedConsumerRole: AccessRole;
  public readonly alarms: PipelineAlarms;
  public readonly dashboard: PipelineDashboard;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    validateSettings(settings);
    const projectRoot = props.projectRoot ?? fileURLToPath(new URL('..', import.meta.url));
    const handlerPath = (name: HandlerName): string | undefined => {
      const given = props.handlers?.[name];
      if (given === null) return undefined;
      if (given !== undefined) return given;
      const path = join(projectRoot, HANDLERS[name]);
      if (!existsSync(path)) throw new Error(`The handler of function ${name} is missing: ${path}`);
      return path;
    };
    const removalPolicy = settings.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const isProd = settings.stage === 'prod';
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
    this.data = new SecureBucket(this, 'Data', {
      bucketName: `${settings.bucketName}-${suffix}`,
      purpose: 'reports, curated records and aggregates',
      accessLogsBucket: this.accessLogs.bucket,
      retention: [
        { prefix: PREFIXES.reports, days: retention.reportsDays },
        { prefix: PREFIXES.curated, days: retention.curatedDays },
        { prefix: PREFIXES.aggregates, days: retention.aggregatesDays },
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
    const { ingest: ingestSettings, indexer: indexerSettings } = settings.functions;
    this.ingestQueue = queue(
      'IngestQueue',
      settings.queues.ingest,
      visibilityTimeoutSeconds(ingestSettings),
      ingestSettings.maxReceiveCount,
    );
    this.recordsQueue = queue(
      'RecordsQueue',
      settings.queues.records,
      visibilityTimeoutSeconds(indexerSettings),
      indexerSettings.maxReceiveCount,
    );
    this.feedQueue = queue(
      'FeedQueue',
      settings.queues.feed,
      settings.feedQueue.visibilityTimeoutSeconds,
      settings.feedQueue.maxReceiveCount,
    );
    this.scheduledFailures = new FailureQueue(this, 'ScheduledFailures', {
      queueName: `${settings.prefix}-scheduled-failures`,
      retentionPeriod: days(settings.dlqRetentionDays),
      removalPolicy,
    });
    this.landing.notifyObjectCreated(PREFIXES.incoming, this.ingestQueue);

    // Tables.
    const table = (id: string, tableSettings: StageSettings['tables']['uploads']) =>
      new PipelineTable(this, id, { settings: tableSettings, deletionProtection: isProd, removalPolicy });
    this.uploads = table('Uploads', settings.tables.uploads);
    this.markers = table('Markers', settings.tables.markers);
    this.feed = table('Feed', settings.tables.feed);

    // Functions: every log group is encrypted with one key that CloudWatch Logs may use for them only.
    const logKey = this.logKey(removalPolicy);
    const json = (value: unknown) => JSON.stringify(value);
    const environment = (service: string, names: readonly EnvName[]) => {
      const values: Partial<Record<EnvName, string>> = {
        [ENV.stage]: settings.stage,
        [ENV.bucket]: this.data.bucketName,
        [ENV.landingBucket]: this.landing.bucketName,
        [ENV.recordsQueueUrl]: this.recordsQueue.queue.queueUrl,
        [ENV.uploadsTable]: settings.tables.uploads.name,
        [ENV.markersTable]: settings.tables.markers.name,
        [ENV.feedTable]: settings.tables.feed.name,
        [ENV.feedQueueUrl]: this.feedQueue.queue.queueUrl,
        [ENV.retentionRules]: json(settings.retention),
        [ENV.pndSettings]: json(settings.pnd),
        [ENV.feedSettings]: json(settings.feed),
        [ENV.aggregateSubmissionDays]: String(settings.aggregation.submissionDays),
        [ENV.ingestMaxFileBytes]: String(settings.ingestLimits.maxFileBytes),
        [ENV.ingestMaxDecompressedBytes]: String(settings.ingestLimits.maxDecompressedBytes),
        [ENV.ingestMaxRows]: String(settings.ingestLimits.maxRows),
        [ENV.ingestMaxRejectedShare]: String(settings.ingestLimits.maxRejectedShare),
        [ENV.prefix]: settings.prefix,
        [ENV.organisations]: json(settings.organisations.map((o) => o.code)),
        [ENV.stuckAfterSeconds]: String(stuckAfterSeconds(settings.functions.ingest)),
      };
      const value = (name: EnvName): string => {
        const v = values[name];
        if (v === undefined) throw new Error(`No value for environment variable ${name} of ${service}`);
        return v;
      };
      return {
        ...Object.fromEntries(names.map((name) => [name, value(name)])),
        [ENV.logLevel]: 'INFO',
        [ENV.serviceName]: service,
      };
    };
    // What `loadMarkerConfig` (functions/shared/marker-config.ts) requires; the indexer, PND export and feed
    // publisher each add what else they read.
    const markerEnv = [
      ENV.markersTable,
      ENV.feedTable,
      ENV.retentionRules,
      ENV.pndSettings,
      ENV.feedSettings,
    ] as const;
    const functionFor = (
      id: string,
      name: HandlerName,
      entry: string,
      fnSettings: ConstructorParameters<typeof PipelineFunction>[2]['settings'],
      description: string,
      env: readonly EnvName[],
      options: { readonly service?: string; readonly nodeOptions?: readonly string[] } = {},
    ) =>
      new PipelineFunction(this, id, {
        functionName: `${settings.prefix}-${kebab(name)}`,
        description,
        entry,
        projectRoot,
        settings: fnSettings,
        environment: environment(options.service ?? `msht-${name}`, env),
        ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}),
        logRetentionDays: settings.logRetentionDays,
        logKey,
        removalPolicy,
      });

    this.ingest = functionFor(
      'Ingest',
      'ingest',
      handlerPath('ingest') as string,
      ingestSettings,
      'Validates and curates uploads from the landing bucket',
      [
        // loadFunctionConfig (functions/shared/config.ts)
        ENV.stage,
        ENV.bucket,
        ENV.recordsQueueUrl,
        ENV.uploadsTable,
        ENV.markersTable,
        // loadIngestLimits (functions/ingest/limits.ts): set from settings, not left to the defaults
        ENV.ingestMaxFileBytes,
        ENV.ingestMaxDecompressedBytes,
        ENV.ingestMaxRows,
        ENV.ingestMaxRejectedShare,
      ],
      // The V8 settings `npm run bench` measured ingest with (functions/ingest/runtime.ts).
      { nodeOptions: [INGEST_NODE_OPTIONS] },
    );
    this.ingest.consume(this.ingestQueue);
    this.grantIngest(this.ingest);

    this.indexer = functionFor(
      'Indexer',
      'indexer',
      handlerPath('indexer') as string,
      indexerSettings,
      'Keeps the markers table and the feed change log from accepted records',
      // loadFunctionConfig and loadMarkerConfig
      [ENV.stage, ENV.bucket, ENV.recordsQueueUrl, ENV.uploadsTable, ...markerEnv],
    );
    this.indexer.consume(this.recordsQueue);
    this.grantIndexer(this.indexer);

    const scheduled: {
      aggregate?: PipelineFunction;
      pndExport?: PipelineFunction;
      feedPublisher?: PipelineFunction;
      markerExpiry?: PipelineFunction;
      stuckUploads?: PipelineFunction;
    } = {};
    const schedule = (fn: PipelineFunction, expression: string, description: string) =>
      new ScheduledInvocation(fn, 'Schedule', {
        fn,
        schedule: expression,
        description,
        failures: this.scheduledFailures,
      });
    const aggregateEntry = handlerPath('aggregate');
    if (aggregateEntry) {
      const fn = functionFor(
        'Aggregate',
        'aggregate',
        aggregateEntry,
        settings.aggregation,
        'Aggregates a month of curated records into the national picture',
        // loadAggregateConfig (functions/aggregate/config.ts)
        [ENV.stage, ENV.bucket, ENV.uploadsTable, ENV.markersTable, ENV.aggregateSubmissionDays],
      );
      schedule(fn, settings.aggregation.schedule, 'Monthly aggregation, for the month before');
      this.grantAggregate(fn);
      scheduled.aggregate = fn;
    }
    const pndEntry = handlerPath('pndExport');
    if (pndEntry) {
      const fn = functionFor(
        'PndExport',
        'pndExport',
        pndEntry,
        settings.scheduled.pndExport,
        'Exports pending markers to a PND batch',
        // loadMarkerConfig; the handler also requires MSHT_BUCKET (the batches' bucket)
        [...markerEnv, ENV.bucket],
      );
      schedule(fn, settings.scheduled.pndExport.schedule, 'PND export of pending markers');
      this.grantPndExport(fn);
      scheduled.pndExport = fn;
    }
    const feedEntry = handlerPath('feedPublisher');
    if (feedEntry) {
      const fn = functionFor(
        'FeedPublisher',
        'feedPublisher',
        feedEntry,
        settings.scheduled.feedPublisher,
        'Publishes committed marker changes to the feed queue',
        // loadMarkerConfig; the handler also requires MSHT_FEED_QUEUE_URL
        [...markerEnv, ENV.feedQueueUrl],
      );
      schedule(fn, settings.scheduled.feedPublisher.schedule, 'Feed publisher');
      this.grantFeedPublisher(fn);
      scheduled.feedPublisher = fn;
    }
    const expiryEntry = handlerPath('markerExpiry');
    if (expiryEntry) {
      const fn = functionFor(
        'MarkerExpiry',
        'markerExpiry',
        expiryEntry,
        settings.scheduled.markerExpiry,
        'Writes EXPIRED on markers past review under time-based disposal',
        // loadMarkerConfig
        markerEnv,
      );
      schedule(fn, settings.scheduled.markerExpiry.schedule, 'Daily marker expiry pass');
      this.grantMarkerExpiry(fn);
      scheduled.markerExpiry = fn;
    }
    const stuckEntry = handlerPath('stuckUploads');
    if (stuckEntry) {
      const fn = functionFor(
        'StuckUploads',
        'stuckUploads',
        stuckEntry,
        STUCK_UPLOADS_CHECK,
        'Counts uploads stuck in PROCESSING and publishes UploadsStuckInProcessing',
        // The stage is the `stage` dimension of the metric the check publishes.
        [ENV.stage, ENV.uploadsTable, ENV.stuckAfterSeconds],
        { service: STUCK_UPLOADS_SERVICE },
      );
      schedule(fn, STUCK_UPLOADS_CHECK.schedule, 'Check for uploads stuck in processing');
      fn.allow(
        new PolicyStatement({
          sid: 'ReadLedger',
          actions: ['dynamodb:Query', 'dynamodb:Scan'],
          resources: [this.uploads.table.tableArn, ...Object.values(this.uploads.indexArns)],
        }),
      );
      fn.allow(keyViaService('DecryptLedger', this.uploads.key, 'dynamodb', 'decrypt'));
      scheduled.stuckUploads = fn;
    }
    this.scheduled = scheduled;

    const uploadApiEntry = settings.uploadApi.enabled ? handlerPath('uploadApi') : undefined;
    if (uploadApiEntry) {
      const fn = functionFor(
        'UploadApi',
        'uploadApi',
        uploadApiEntry,
        settings.uploadApi,
        'Gives an organisation upload role a presigned POST form for its own prefix',
        // loadUploadApiConfig (functions/upload-api/config.ts)
        [ENV.landingBucket, ENV.ingestMaxFileBytes, ENV.prefix, ENV.organisations],
      );
      // The form is signed with this role: S3 authorises the POST as this role, limited by the policy.
      fn.allow(
        new PolicyStatement({
          sid: 'SignUploadForms',
          actions: ['s3:PutObject'],
          resources: [this.landing.arnForPrefix(PREFIXES.incoming)],
        }),
        {
          wildcardReason:
            'Forms are signed for any organisation’s incoming/{org}/ prefix; each form’s policy admits only the caller’s own.',
        },
      );
      fn.allow(keyViaService('EncryptUploads', this.landing.key, 's3', 'encrypt-decrypt'));
      // IAM auth: only principals allowed lambda:InvokeFunctionUrl (the upload roles) can call it.
      this.uploadApi = { fn, url: fn.serveUrlWithIamAuth() };
    }

    // Who may do what from outside: one upload role per organisation, the national team, feed consumers.
    const uploadRoles = new Map<string, OrganisationUploadRole>();
    for (const organisation of settings.organisations) {
      uploadRoles.set(
        organisation.code,
        new OrganisationUploadRole(this, `Upload-${organisation.code}`, {
          organisation,
          roleName: uploadRoleName(settings, organisation.code),
          landing: this.landing,
          data: this.data,
          ...(this.uploadApi ? { uploadApiFunctionArn: this.uploadApi.fn.fn.functionArn } : {}),
        }),
      );
    }
    this.uploadRoles = uploadRoles;
    this.nationalTeamRole = this.buildNationalTeamRole();
    this.feedConsumerRole = this.buildFeedConsumerRole();

    // Alarms and the dashboard.
    this.alarms = new PipelineAlarms(this, 'Alarms', { prefix: settings.prefix, removalPolicy });
    const queues: (DashboardQueue & { readonly ageSeconds?: number })[] = [
      {
        name: this.ingestQueue.queueName,
        queue: this.ingestQueue.queue,
        deadLetter: this.ingestQueue.deadLetterQueue,
        ageSeconds: settings.alarms.oldestMessageAgeSeconds.ingest,
      },
      {
        name: this.recordsQueue.queueName,
        queue: this.recordsQueue.queue,
        deadLetter: this.recordsQueue.deadLetterQueue,
        ageSeconds: settings.alarms.oldestMessageAgeSeconds.records,
      },
      {
        name: this.feedQueue.queueName,
        queue: this.feedQueue.queue,
        deadLetter: this.feedQueue.deadLetterQueue,
      },
      { name: this.scheduledFailures.queueName, queue: this.scheduledFailures.queue },
    ];
    for (const q of queues) {
      // Stable construct ids from the queue's own (IngestQueue, ...), whatever the order here.
      const id = (q.queue.node.scope as Construct).node.id;
      if (q.deadLetter) {
        this.alarms.queueNotEmpty(
          `${id}DeadLetters`,
          q.deadLetter,
          `${q.name}-dlq`,
          'messages that failed every retry',
        );
      }
      if (q.ageSeconds !== undefined)
        this.alarms.oldestMessageAge(`${id}OldestMessage`, q.queue, q.name, q.ageSeconds);
    }
    this.alarms.queueNotEmpty(
      'ScheduledFailuresNotEmpty',
      this.scheduledFailures.queue,
      this.scheduledFailures.queueName,
      'scheduled invocations that failed every retry',
    );
    this.functions = new Map(
      (
        [
          ['ingest', this.ingest],
          ['indexer', this.indexer],
          ...Object.entries(scheduled),
          ['uploadApi', this.uploadApi?.fn],
        ] as [HandlerName, PipelineFunction | undefined][]
      ).filter((e): e is [HandlerName, PipelineFunction] => e[1] !== undefined),
    );
    const functions = [...this.functions.values()];
    for (const fn of functions) this.alarms.functionHealth(`${fn.node.id}Health`, fn.fn, fn.functionName);
    this.alarms.uploadsStuck(
      'UploadsStuck',
      settings.stage,
      STUCK_UPLOADS_SERVICE,
      Boolean(scheduled.stuckUploads),
    );
    this.dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: settings.prefix,
      queues,
      functions: functions.map((fn) => ({ name: fn.functionName, fn: fn.fn })),
      alarms: this.alarms.alarms,
    });

    this.outputs();
  }

  /** The key of every function's log group; CloudWatch Logs may use it for this stage's log groups only. */
  private logKey(removalPolicy: RemovalPolicy): Key {
    const key = new Key(this, 'LogsKey', {
      description: `Encrypts the CloudWatch Logs log groups of ${this.settings.prefix}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
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
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/lambda/${this.settings.prefix}-*`,
          },
        },
      }),
    );
    return key;
  }

  /** What ingest reads and writes: one statement per need, each on the narrowest resource. */
  private grantIngest(fn: PipelineFunction): void {
    const { landing, data, recordsQueue, uploads } = this;
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
  }

  /** What the indexer reads and writes: markers, the feed change log, and the ledger's indexed counts. */
  private grantIndexer(fn: PipelineFunction): void {
    const { uploads } = this;
    this.allowMarkerCommits(fn);
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
  }

  /**
   * What functions/indexer/commit.ts needs to write marker states: functions/indexer/marker-store.ts
   * reads heads and markers with BatchGetItem only (never GetItem), writes with conditional PutItem and
   * moves feedSeq with UpdateItem; functions/feed/feed-log.ts allocates (UpdateItem of the HEAD
   * counter), puts (PutItem) and reads (BatchGetItem).
   */
  private allowMarkerCommits(fn: PipelineFunction): void {
    fn.allow(
      new PolicyStatement({
        sid: 'KeepMarkers',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.markers.table.tableArn],
      }),
    );
    fn.allow(keyViaService('UseMarkersKey', this.markers.key, 'dynamodb', 'encrypt-decrypt'));
    this.allowFeedLog(fn, 'AppendFeedLog', [
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  }

  /** The expiry pass commits as the indexer does, and finds its candidates with scanDueMarkers (Scan). */
  private grantMarkerExpiry(fn: PipelineFunction): void {
    this.allowMarkerCommits(fn);
    fn.allow(
      new PolicyStatement({
        sid: 'ScanMarkers',
        actions: ['dynamodb:Scan'],
        resources: [this.markers.table.tableArn],
      }),
    );
  }

  /** The actions `fn` needs on the feed change log table (functions/feed/feed-log.ts), and its key. */
  private allowFeedLog(fn: PipelineFunction, sid: string, actions: readonly string[]): void {
    fn.allow(new PolicyStatement({ sid, actions: [...actions], resources: [this.feed.table.tableArn] }));
    fn.allow(keyViaService('UseFeedKey', this.feed.key, 'dynamodb', 'encrypt-decrypt'));
  }

  /** The aggregation reads curated records, the ledger and the markers, and writes aggregates/. */
  private grantAggregate(fn: PipelineFunction): void {
    const { data, uploads, markers } = this;
    fn.allow(
      new PolicyStatement({
        sid: 'ReadCuratedAndAggregates',
        actions: ['s3:GetObject'],
        resources: [data.arnForPrefix(PREFIXES.curated), data.arnForPrefix(PREFIXES.aggregates)],
      }),
      {
        wildcardReason:
          "Aggregation streams a month's curated records and reads earlier months' aggregates for trends.",
      },
    );
    // writeRun lists aggregates/{YYYY-MM}/runs/ to delete superseded runs; the listing also lets S3 answer
    // 404 (not 403) for a month's latest.json that does not exist yet.
    fn.allow(listUnder('ListAggregates', data.bucket.bucketArn, [PREFIXES.aggregates]));
    fn.allow(
      new PolicyStatement({
        sid: 'WriteAggregates',
        actions: ['s3:PutObject', 's3:DeleteObject'],
        resources: [data.arnForPrefix(PREFIXES.aggregates)],
      }),
      {
        wildcardReason:
          "Aggregation writes each run's outputs under aggregates/{YYYY-MM}/runs/{runId}/, replaces latest.json and deletes superseded runs.",
      },
    );
    fn.allow(keyViaService('UseDataKey', data.key, 's3', 'encrypt-decrypt'));
    // functions/aggregate/store.ts: listMonthUploads queries byOrg; markerFactsOfMonth scans the markers.
    fn.allow(
      new PolicyStatement({
        sid: 'ListMonthUploads',
        actions: ['dynamodb:Query'],
        resources: [uploads.indexArn('byOrg')],
      }),
    );
    fn.allow(
      new PolicyStatement({
        sid: 'ScanMarkers',
        actions: ['dynamodb:Scan'],
        resources: [markers.table.tableArn],
      }),
    );
    fn.allow(keyViaService('DecryptLedger', uploads.key, 'dynamodb', 'decrypt'));
    fn.allow(keyViaService('DecryptMarkers', markers.key, 'dynamodb', 'decrypt'));
  }

  /** The PND export reads pending markers, moves their sync state and writes batches under the PND prefix. */
  private grantPndExport(fn: PipelineFunction): void {
    const { data, markers } = this;
    const prefix = this.settings.pnd.batchPrefix;
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
  }

  /** The feed publisher reads the change log and sends each change to the feed queue. */
  private grantFeedPublisher(fn: PipelineFunction): void {
    // functions/feed/publish.ts: head and cursor (GetItem), read (BatchGetItem), VOID of a stale gap and
    // the cursor (PutItem). It never allocates, so no UpdateItem.
    this.allowFeedLog(fn, 'PublishFeedLog', [
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    ]);
    fn.allow(
      new PolicyStatement({
        sid: 'SendFeed',
        actions: ['sqs:SendMessage'],
        resources: [this.feedQueue.queue.queueArn],
      }),
    );
    fn.allow(keyViaService('EncryptFeed', this.feedQueue.key, 'sqs', 'encrypt-decrypt'));
  }

  /** The national team reads aggregates and every organisation's reports, and can run an aggregation. */
  private buildNationalTeamRole(): AccessRole {
    const { data, settings, uploads } = this;
    return new AccessRole(this, 'NationalTeam', {
      roleName: `${settings.prefix}-national-team`,
      description: 'National analysis team: reads aggregates and all rejection reports',
      principals: settings.nationalTeam.principals,
      grants: [
        {
          statement: new PolicyStatement({
            sid: 'ReadAggregatesAndReports',
            actions: ['s3:GetObject'],
            resources: [data.arnForPrefix(PREFIXES.aggregates), data.arnForPrefix(PREFIXES.reports)],
          }),
          wildcardReason:
            'The national team reads every aggregate and every organisation’s rejection reports.',
        },
        {
          statement: listUnder('ListAggregatesAndReports', data.bucket.bucketArn, [
            PREFIXES.aggregates,
            PREFIXES.reports,
          ]),
        },
        { statement: keyViaService('DecryptData', data.key, 's3', 'decrypt') },
        {
          statement: new PolicyStatement({
            sid: 'ReadLedger',
            actions: ['dynamodb:GetItem', 'dynamodb:Query'],
            resources: [uploads.table.tableArn, ...Object.values(uploads.indexArns)],
          }),
        },
        { statement: keyViaService('DecryptLedger', uploads.key, 'dynamodb', 'decrypt') },
        ...(this.scheduled.aggregate
          ? [
              {
                statement: new PolicyStatement({
                  sid: 'RunAggregation',
                  actions: ['lambda:InvokeFunction'],
                  resources: [this.scheduled.aggregate.fn.functionArn],
                }),
              },
            ]
          : []),
      ],
    });
  }

  /** Feed consumers read the feed queue and the feed change log, nothing else. */
  private buildFeedConsumerRole(): AccessRole {
    const { feedQueue, feed, settings } = this;
    return new AccessRole(this, 'FeedConsumers', {
      roleName: `${settings.prefix}-feed-consumer`,
      description: 'Downstream feed consumers: receive from the feed queue and read the change log',
      principals: settings.feedConsumers.principals,
      grants: [
        {
          statement: new PolicyStatement({
            sid: 'ConsumeFeedQueue',
            actions: [
              'sqs:ReceiveMessage',
              'sqs:DeleteMessage',
              'sqs:ChangeMessageVisibility',
              'sqs:GetQueueAttributes',
              'sqs:GetQueueUrl',
            ],
            resources: [feedQueue.queue.queueArn],
          }),
        },
        { statement: keyViaService('DecryptFeedQueue', feedQueue.key, 'sqs', 'decrypt') },
        {
          statement: new PolicyStatement({
            sid: 'ReadFeedLog',
            actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
            resources: [feed.table.tableArn],
          }),
        },
        { statement: keyViaService('DecryptFeedLog', feed.key, 'dynamodb', 'decrypt') },
      ],
    });
  }

  /** The real names the CLI and operators need (see docs/deploy.md for setting MSHT_* from them). */
  private outputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('LandingBucketName', this.landing.bucketName, 'Landing bucket (incoming/): MSHT_LANDING_BUCKET');
    if (this.uploadApi) {
      output(
        'UploadApiUrl',
        this.uploadApi.url.url,
        'Upload API (IAM auth): POST {"fileName","period"} for a form',
      );
    }
    output(
      'DataBucketName',
      this.data.bucketName,
      'Data bucket (reports/, curated/, aggregates/): MSHT_BUCKET',
    );
    output('UploadsTableName', this.uploads.table.tableName, 'Uploads ledger: MSHT_UPLOADS_TABLE');
    output('MarkersTableName', this.markers.table.tableName, 'Markers: MSHT_MARKERS_TABLE');
    output('FeedTableName', this.feed.table.tableName, 'Feed change log: MSHT_FEED_TABLE');
    output('RecordsQueueUrl', this.recordsQueue.queue.queueUrl, 'Records queue: MSHT_RECORDS_QUEUE_URL');
    output('FeedQueueUrl', this.feedQueue.queue.queueUrl, 'Feed queue: MSHT_FEED_QUEUE_URL');
    for (const [id, q] of [
      ['Ingest', this.ingestQueue],
      ['Records', this.recordsQueue],
      ['Feed', this.feedQueue],
    ] as const) {
      output(`${id}QueueArn`, q.queue.queueArn, `${q.queueName}: destination of a DLQ redrive`);
      output(
        `${id}DeadLetterQueueArn`,
        q.deadLetterQueue.queueArn,
        `${q.deadLetterQueueName}: source of a DLQ redrive`,
      );
    }
    output(
      'ScheduledFailuresQueueUrl',
      this.scheduledFailures.queue.queueUrl,
      'Failed scheduled invocations',
    );
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'Subscribe to receive alarms');
    output(
      'UploadRoleArnPattern',
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${uploadRoleName(this.settings, '{org}')}`,
      'Upload role of an organisation: replace {org} with its code',
    );
    output('NationalTeamRoleArn', this.nationalTeamRole.role.roleArn, 'Role of the national analysis team');
    output('FeedConsumerRoleArn', this.feedConsumerRole.role.roleArn, 'Role of feed consumers');
    output('DashboardName', this.dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
  }
}

/** The name of an organisation's upload role, e.g. `msht-prod-upload-PF-E23000001`. */
export const uploadRoleName = (settings: StageSettings, org: string): string =>
  `${settings.prefix}-upload-${org}`;

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Settings a stack cannot be built from: duplicate organisations, or main-queue retention not under the DLQ's. */
const validateSettings = (settings: StageSettings): void => {
  const codes = settings.organisations.map((o) => o.code);
  const duplicates = codes.filter((code, i) => codes.indexOf(code) !== i);
  if (duplicates.length > 0)
    throw new Error(`Organisations listed twice: ${[...new Set(duplicates)].join(', ')}`);
  if (settings.queueRetentionDays >= settings.dlqRetentionDays) {
    throw new Error(
      `queueRetentionDays (${settings.queueRetentionDays}) must be under dlqRetentionDays (${settings.dlqRetentionDays}): a dead-lettered message keeps its first enqueue time`,
    );
  }
};
