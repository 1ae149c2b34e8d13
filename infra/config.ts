/**
 * Typed settings for every deployment of the pipeline. The CDK stack and the local stack both read
 * these, so queue timeouts, redrive counts, table keys and names cannot drift between AWS and a laptop.
 */
import { DEFAULT_LIMITS, type IngestLimits } from '../functions/ingest/limits.ts';
import { ORGANISATIONS, type OrgCode } from '../schemas/index.ts';

/** Settings of one Lambda function and the SQS event source that feeds it. */
export type FunctionSettings = {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Messages per invocation (the event source mapping's BatchSize). */
  readonly batchSize: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Seconds the event source mapping may wait to fill a batch. */
  readonly maxBatchingWindowSeconds: number;
};

export type TableSettings = {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey?: string;
  }[];
};

/** Settings of a Lambda function run on a schedule (EventBridge) rather than from a queue. */
export type ScheduledFunctionSettings = {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** EventBridge schedule expression, e.g. `rate(1 minute)`. */
  readonly schedule: string;
  /** Invocations at once; 1 keeps a job from racing itself (Lambda reserved concurrency). */
  readonly reservedConcurrency: number;
};

/** A function invoked on request (the upload API's Function URL). */
export type ApiFunctionSettings = {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Invocations at once; bounds what a misbehaving caller can cost. */
  readonly reservedConcurrency: number;
};

/** The MoPI review group a retention rule applies to (as carried by force systems). */
export type RetentionGroup = '1' | '2' | '3' | '4' | 'UNASSIGNED';

/**
 * A MoPI retention rule: review the marker this many years after the record's as-at time; at that
 * date it is due for review (`REVIEW`) or, for time-based disposal, expires (`EXPIRE`).
 */
export type RetentionRule = { readonly reviewAfterYears: number; readonly onReviewDue: 'REVIEW' | 'EXPIRE' };

/** PND synchronisation settings. */
export type PndSettings = {
  /** Exports of one marker before it is REJECTED without an answer from PND. */
  readonly maxAttempts: number;
  /** Hours a SENT marker waits for PND's acknowledgement before it is sent again. */
  readonly ackTimeoutHours: number;
  /** Key prefix of PND batches in the bucket (`{prefix}{batchId}/markers.jsonl` and `manifest.json`). */
  readonly batchPrefix: string;
  /** Most markers in one batch. */
  readonly maxBatchSize: number;
};

/** Feed settings. */
export type FeedSettings = {
  /** Seconds a gap in the change log may stay open before the publisher voids it (a writer died). */
  readonly holeTimeoutSeconds: number;
  /** Most changes the publisher sends to the feed queue per run. */
  readonly maxPublishPerRun: number;
};

/**
 * Who may assume a role: an AWS account (its administrators then delegate `sts:AssumeRole` with IAM
 * policy; `externalId` when a third party assumes it), or a SAML 2.0 identity provider in this account
 * (federated sign-in of an organisation's own staff).
 */
export type TrustedPrincipal =
  | { readonly kind: 'account'; readonly accountId: string; readonly externalId?: string }
  | { readonly kind: 'saml'; readonly providerArn: string };

/** Who may assume an access role; an empty list trusts the pipeline's own account only. */
export type AccessSettings = { readonly principals: readonly TrustedPrincipal[] };

/** An organisation that uploads extracts, and who may act for it. */
export type OrganisationSettings = AccessSettings & { readonly code: OrgCode };

/** Days objects are kept, per zone. `null` keeps them until someone deletes them. */
export type DataRetentionSettings = {
  /** Uploads under incoming/ (landing bucket). */
  readonly incomingDays: number;
  /** Rejection reports under reports/. */
  readonly reportsDays: number;
  /** Normalised records under curated/. */
  readonly curatedDays: number;
  /** Monthly aggregates under aggregates/. */
  readonly aggregatesDays: number | null;
  /** Days a replaced or deleted object version is kept before it expires. */
  readonly noncurrentVersionDays: number;
  /** S3 server access logs. */
  readonly accessLogsDays: number;
};

export type StageSettings = {
  readonly stage: 'dev' | 'prod';
  /** Prefix of every resource name, so stages can share an account. */
  readonly prefix: string;
  /**
   * Base name of the data bucket (reports/, curated/, aggregates/). The local stack uses it as is; the CDK
   * stack appends `-{account}-{region}` because bucket names are global (see the stack outputs).
   */
  readonly bucketName: string;
  /** Base name of the landing bucket (incoming/), suffixed in AWS as `bucketName` is. */
  readonly landingBucketName: string;
  readonly queues: {
    readonly ingest: string;
    readonly records: string;
    /** Push feed: one message per committed marker change, for consumers (no consuming function here). */
    readonly feed: string;
  };
  readonly tables: {
    readonly uploads: TableSettings;
    readonly markers: TableSettings;
    /** The ordered change log of the markers table (the feed); partition key `seq`, no indexes. */
    readonly feed: TableSettings;
  };
  readonly functions: {
    readonly ingest: FunctionSettings;
    readonly indexer: FunctionSettings;
  };
  /**
   * Limits that stop a whole upload (file size, decompressed size, rows, rejected share); the ingest
   * function reads them from `MSHT_INGEST_*` (functions/ingest/limits.ts, whose defaults they start from).
   */
  readonly ingestLimits: IngestLimits;
  /** Scheduled functions: PND export (functions/pnd) and feed publisher (functions/feed). */
  readonly scheduled: {
    readonly pndExport: ScheduledFunctionSettings;
    readonly feedPublisher: ScheduledFunctionSettings;
    /** Writes EXPIRED on markers whose review date under time-based disposal has come (functions/marker-expiry/expire.ts). */
    readonly markerExpiry: ScheduledFunctionSettings;
    /** Counts uploads stuck in ingest and publishes `UploadsStuckInProcessing` (functions/stuck-uploads). */
    readonly stuckUploads: ScheduledFunctionSettings;
  };
  /**
   * The optional upload API (functions/upload-api): a Function URL with IAM auth that gives an
   * organisation's upload role a presigned POST form for its own prefix.
   */
  readonly uploadApi: ApiFunctionSettings & { readonly enabled: boolean };
  /** MoPI retention rules per review group: configuration, not constants (docs/pnd-sync.md, "Status and MoPI review"). */
  readonly retention: Readonly<Record<RetentionGroup, RetentionRule>>;
  readonly pnd: PndSettings;
  readonly feed: FeedSettings;
  /** The monthly aggregation (functions/aggregate), run early each month for the month before. */
  readonly aggregation: ScheduledFunctionSettings & {
    /** Days after a month ends by which organisations should have submitted it (MSHT_AGGREGATE_SUBMISSION_DAYS). */
    readonly submissionDays: number;
  };
  /** Days a message stays in a dead-letter queue (SQS allows at most 14). */
  readonly dlqRetentionDays: number;
  /** Days a message stays in a main queue; shorter than `dlqRetentionDays`, as SQS keeps a message's first enqueue time. */
  readonly queueRetentionDays: number;
  readonly logRetentionDays: number;
  readonly removalPolicy: 'destroy' | 'retain';
  /** Whether deleting the stack empties its buckets first (dev only: prod data is never deleted with a stack). */
  readonly autoDeleteObjects: boolean;
  /** How long the buckets keep objects (S3 lifecycle rules). */
  readonly dataRetention: DataRetentionSettings;
  /**
   * S3 Object Lock default retention on the landing bucket: every upload is immutable for `days`.
   * GOVERNANCE lets a holder of s3:BypassGovernanceRetention delete early (erasure requests); COMPLIANCE
   * lets no one. `null` leaves Object Lock off (it can only be enabled when the bucket is created).
   */
  readonly objectLock: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number } | null;
  /** The organisations that upload; each gets an upload role limited to its own prefixes. */
  readonly organisations: readonly OrganisationSettings[];
  /** The national analysis team: reads aggregates and every organisation's reports. */
  readonly nationalTeam: AccessSettings;
  /** Downstream systems that read the marker feed. */
  readonly feedConsumers: AccessSettings;
  /** Alarm thresholds. */
  readonly alarms: {
    /** Seconds the oldest message of a queue may wait before the age alarm fires. */
    readonly oldestMessageAgeSeconds: { readonly ingest: number; readonly records: number };
  };
  /** The push feed queue, read by consumers outside the pipeline. */
  readonly feedQueue: {
    /** Seconds a consumer has to process and delete a message before it is redelivered. */
    readonly visibilityTimeoutSeconds: number;
    /** Receives before a message a consumer keeps failing on moves to the feed's dead-letter queue. */
    readonly maxReceiveCount: number;
  };
};

/** Every organisation in schemas (ORGANISATIONS), each trusting the pipeline account only until onboarded. */
export const ALL_ORGANISATIONS: readonly OrganisationSettings[] = (
  Object.keys(ORGANISATIONS) as OrgCode[]
).map((code) => ({ code, principals: [] }));

/**
 * Visibility timeout of a queue consumed by a Lambda function: six times the function timeout, as the
 * AWS guidance for SQS event sources recommends.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const visibilityTimeoutSeconds = (fn: FunctionSettings): number => fn.timeoutSeconds * 6;

/** The name of a queue's dead-letter queue. */
export const dlqName = (queueName: string): string => `${queueName}-dlq`;

const base = (stage: 'dev' | 'prod'): StageSettings => {
  const prefix = `msht-${stage}`;
  return {
    stage,
    prefix,
    bucketName: `${prefix}-data`,
    landingBucketName: `${prefix}-landing`,
    queues: { ingest: `${prefix}-ingest`, records: `${prefix}-records`, feed: `${prefix}-feed` },
    tables: {
      uploads: {
        name: `${prefix}-uploads`,
        partitionKey: 'uploadId',
        indexes: [
          { name: 'byOrg', partitionKey: 'org', sortKey: 'receivedAt' },
          { name: 'bySha256', partitionKey: 'sha256' },
        ],
      },
      markers: {
        name: `${prefix}-markers`,
        partitionKey: 'naturalKey',
        indexes: [
          { name: 'bySyncState', partitionKey: 'pndSyncState', sortKey: 'updatedAt' },
          { name: 'byStatusReview', partitionKey: 'status', sortKey: 'reviewDueOn' },
        ],
      },
      feed: { name: `${prefix}-feed`, partitionKey: 'seq', indexes: [] },
    },
    functions: {
      ingest: {
        memoryMb: 1024,
        timeoutSeconds: 600,
        batchSize: 1,
        maxReceiveCount: 3,
        maxBatchingWindowSeconds: 0,
      },
      indexer: {
        memoryMb: 512,
        timeoutSeconds: 60,
        batchSize: 10,
        maxReceiveCount: 5,
        maxBatchingWindowSeconds: 1,
      },
    },
    ingestLimits: { ...DEFAULT_LIMITS },
    scheduled: {
      pndExport: { memoryMb: 512, timeoutSeconds: 300, schedule: 'rate(1 hour)', reservedConcurrency: 1 },
      feedPublisher: {
        memoryMb: 256,
        timeoutSeconds: 60,
        schedule: 'rate(1 minute)',
        reservedConcurrency: 1,
      },
      // Daily, before the working day: review dates are days, and the pass scans the markers table.
      markerExpiry: {
        memoryMb: 512,
        timeoutSeconds: 900,
        schedule: 'cron(30 1 * * ? *)',
        reservedConcurrency: 1,
      },
      stuckUploads: { memoryMb: 256, timeoutSeconds: 60, schedule: 'rate(15 minutes)', reservedConcurrency: 1 },
    },
    // On for every stage; set enabled: false to deploy without it.
    uploadApi: { enabled: true, memoryMb: 256, timeoutSeconds: 10, reservedConcurrency: 5 },
    // [U] MoPI groups as commonly summarised: verify against the APP on MoPI before production use.
    retention: {
      '1': { reviewAfterYears: 10, onReviewDue: 'REVIEW' },
      '2': { reviewAfterYears: 10, onReviewDue: 'REVIEW' },
      '3': { reviewAfterYears: 6, onReviewDue: 'EXPIRE' },
      '4': { reviewAfterYears: 6, onReviewDue: 'REVIEW' },
      UNASSIGNED: { reviewAfterYears: 6, onReviewDue: 'REVIEW' },
    },
    pnd: { maxAttempts: 5, ackTimeoutHours: 24, batchPrefix: 'pnd/outbound/', maxBatchSize: 5000 },
    feed: { holeTimeoutSeconds: 180, maxPublishPerRun: 5000 },
    // After the submission window (submissionDays): on the 6th at 03:00 UTC, for the month before.
    aggregation: {
      memoryMb: 2048,
      timeoutSeconds: 900,
      schedule: 'cron(0 3 6 * ? *)',
      reservedConcurrency: 1,
      submissionDays: 5,
    },
    dlqRetentionDays: 14,
    queueRetentionDays: 4,
    logRetentionDays: stage === 'prod' ? 731 : 30,
    removalPolicy: stage === 'prod' ? 'retain' : 'destroy',
    autoDeleteObjects: stage === 'dev',
    dataRetention:
      stage === 'prod'
        ? {
            incomingDays: 400,
            reportsDays: 400,
            curatedDays: 2192,
            aggregatesDays: null,
            noncurrentVersionDays: 30,
            accessLogsDays: 731,
          }
        : {
            incomingDays: 30,
            reportsDays: 30,
            curatedDays: 90,
            aggregatesDays: 90,
            noncurrentVersionDays: 7,
            accessLogsDays: 30,
          },
    objectLock: stage === 'prod' ? { mode: 'GOVERNANCE', days: 90 } : null,
    organisations: ALL_ORGANISATIONS,
    nationalTeam: { principals: [] },
    feedConsumers: { principals: [] },
    alarms: { oldestMessageAgeSeconds: { ingest: 3600, records: 900 } },
    feedQueue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 5 },
  };
};

/** Settings per stage. The local stack uses `dev`. */
export const STAGES = { dev: base('dev'), prod: base('prod') } as const;

export type StageName = keyof typeof STAGES;

export const settingsFor = (stage: string): StageSettings => {
  if (stage === 'dev' || stage === 'prod') return STAGES[stage];
  throw new Error(`Unknown stage "${stage}": expected one of ${Object.keys(STAGES).join(', ')}`);
};
