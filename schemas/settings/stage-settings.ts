import { z } from 'zod';
import { DisclosurePolicySchema } from '../aggregate/disclosure-policy.ts';
import { PublicationSettingsSchema } from '../aggregate/publication.ts';
import { AccessSettingsSchema, OrganisationSettingsSchema, PushConsumerSettingsSchema } from './access.ts';
import {
  ApiFunctionSettingsSchema,
  FunctionSettingsSchema,
  ScheduledFunctionSettingsSchema,
} from './function-settings.ts';
import { IngestLimitsSchema } from './ingest-limits.ts';
import { FeedSettingsSchema, PndSettingsSchema } from './marker-settings.ts';
import { PseudonymSettingsSchema } from './pseudonym-settings.ts';
import { RetentionRulesSchema } from './retention.ts';
import { TableSettingsSchema } from './table-settings.ts';

const days = z.number().int().positive();

/** Days objects are kept, per zone. `null` keeps them until someone deletes them. */
export const DataRetentionSettingsSchema = z.strictObject({
  /** Uploads under incoming/ (landing bucket). */
  incomingDays: days,
  /** Rejection reports under reports/. */
  reportsDays: days,
  /** Normalised records under curated/. */
  curatedDays: days,
  /** Monthly aggregates under aggregates/. */
  aggregatesDays: days.nullable(),
  /** Athena query results under query-results/ (the national team's workgroup, docs/query.md). */
  queryResultsDays: days.default(7),
  /** Days a replaced or deleted object version is kept before it expires. */
  noncurrentVersionDays: days,
  /** S3 server access logs. */
  accessLogsDays: days,
});
export type DataRetentionSettings = z.infer<typeof DataRetentionSettingsSchema>;

/** The monthly aggregation (functions/aggregate), run early each month for the month before. */
export const AggregationSettingsSchema = ScheduledFunctionSettingsSchema.extend({
  /** Days after a month ends by which organisations should have submitted it (MSHT_AGGREGATE_SUBMISSION_DAYS). */
  submissionDays: z.number().int().min(0).max(60),
  /** Producer, contact and methods notes of the bulletin (MSHT_AGGREGATE_PUBLICATION); the next release follows `schedule`. */
  publication: PublicationSettingsSchema,
});

/** The stage a deployment is: names, retention and removal policy differ between them. */
export const StageNameSchema = z.enum(['dev', 'prod']);

/**
 * Everything that varies by deployment (stage) of the pipeline: the CDK stack and the local stack are
 * both built from it, and each function gets the part it needs through its environment
 * (infra/function-env.ts), so nothing here is bundled into a function.
 */
export const StageSettingsSchema = z
  .strictObject({
    stage: StageNameSchema,
    /** Prefix of every resource name, so stages can share an account. */
    prefix: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'lower case letters, digits and -'),
    /**
     * Base name of the data bucket (reports/, curated/, aggregates/). The local stack uses it as is; the CDK
     * stack appends `-{account}-{region}` because bucket names are global (see the stack outputs).
     */
    bucketName: z.string().min(3),
    /** Base name of the landing bucket (incoming/), suffixed in AWS as `bucketName` is. */
    landingBucketName: z.string().min(3),
    queues: z.strictObject({
      ingest: z.string().min(1),
      records: z.string().min(1),
      /** Push feed: one message per committed marker change, for consumers (no consuming function here). */
      feed: z.string().min(1),
    }),
    tables: z.strictObject({
      uploads: TableSettingsSchema,
      markers: TableSettingsSchema,
      /** The ordered change log of the markers table (the feed); partition key `seq`, no indexes. */
      feed: TableSettingsSchema,
    }),
    functions: z.strictObject({ ingest: FunctionSettingsSchema, indexer: FunctionSettingsSchema }),
    /** Limits that stop a whole upload (file size, decompressed size, rows, rejected share). */
    ingestLimits: IngestLimitsSchema,
    /** Scheduled functions other than the aggregation. */
    scheduled: z.strictObject({
      /** Exports pending markers to PND (functions/pnd). */
      pndExport: ScheduledFunctionSettingsSchema,
      /** Publishes committed marker changes to the feed queue (functions/feed). */
      feedPublisher: ScheduledFunctionSettingsSchema,
      /** Writes EXPIRED on markers whose review date under time-based disposal has come (functions/marker-expiry). */
      markerExpiry: ScheduledFunctionSettingsSchema,
      /** Counts uploads stuck in ingest and publishes `UploadsStuckInProcessing` (functions/stuck-uploads). */
      stuckUploads: ScheduledFunctionSettingsSchema,
    }),
    /**
     * The optional upload API (functions/upload-api): a Function URL with IAM auth that gives an
     * organisation's upload role a presigned POST form for its own prefix.
     */
    uploadApi: ApiFunctionSettingsSchema.extend({ enabled: z.boolean() }),
    /** MoPI retention rules per review group (docs/pnd-sync.md, "Status and MoPI review"). */
    retention: RetentionRulesSchema,
    pnd: PndSettingsSchema,
    feed: FeedSettingsSchema,
    aggregation: AggregationSettingsSchema,
    /** Disclosure control of everything shared (the aggregation's shareable tier): one place to change it. */
    disclosure: DisclosurePolicySchema,
    /** The pseudonym key every reference and natural key is made with: its secret and version. */
    pseudonyms: PseudonymSettingsSchema,
    /** Days a message stays in a dead-letter queue (SQS allows at most 14). */
    dlqRetentionDays: z.number().int().min(1).max(14),
    /** Days a message stays in a main queue; shorter than `dlqRetentionDays`, as SQS keeps a message's first enqueue time. */
    queueRetentionDays: z.number().int().min(1).max(14),
    logRetentionDays: days,
    removalPolicy: z.enum(['destroy', 'retain']),
    /** Whether deleting the stack empties its buckets first (dev only: prod data is never deleted with a stack). */
    autoDeleteObjects: z.boolean(),
    /** How long the buckets keep objects (S3 lifecycle rules). */
    dataRetention: DataRetentionSettingsSchema,
    /**
     * S3 Object Lock default retention on the landing bucket: every upload is immutable for `days`.
     * GOVERNANCE lets a holder of s3:BypassGovernanceRetention delete early (erasure requests); COMPLIANCE
     * lets no one. `null` leaves Object Lock off (it can only be enabled when the bucket is created).
     */
    objectLock: z.strictObject({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), days }).nullable(),
    /** The organisations that upload; each gets an upload role limited to its own prefixes. */
    organisations: z.array(OrganisationSettingsSchema),
    /** The national analysis team: reads aggregates and every organisation's reports. */
    nationalTeam: AccessSettingsSchema,
    /** Partners the shareable tier is shared with: read the current shareable publications, nothing else. */
    publicationReaders: AccessSettingsSchema,
    /** Downstream systems that read the marker feed (the pull feed and the default push queue). */
    feedConsumers: AccessSettingsSchema,
    /**
     * Further push consumers, each with a queue of its own that receives every change (the feed
     * publisher sends to each, with a cursor per queue) and a role that may read that queue only.
     */
    pushConsumers: z.array(PushConsumerSettingsSchema),
    /** Alarm thresholds. */
    alarms: z.strictObject({
      /** Seconds the oldest message of a queue may wait before the age alarm fires. */
      oldestMessageAgeSeconds: z.strictObject({
        ingest: z.number().positive(),
        records: z.number().positive(),
      }),
    }),
    /** The push feed queue, read by consumers outside the pipeline. */
    feedQueue: z.strictObject({
      /** Seconds a consumer has to process and delete a message before it is redelivered. */
      visibilityTimeoutSeconds: z.number().int().min(0).max(43_200),
      /** Receives before a message a consumer keeps failing on moves to the feed's dead-letter queue. */
      maxReceiveCount: z.number().int().min(1).max(1000),
    }),
  })
  .superRefine((s, ctx) => {
    const codes = s.organisations.map((o) => o.code);
    const twice = [...new Set(codes.filter((code, i) => codes.indexOf(code) !== i))];
    if (twice.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['organisations'],
        message: `Organisations listed twice: ${twice.join(', ')}`,
      });
    const names = s.pushConsumers.map((c) => c.name);
    const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (repeated.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['pushConsumers'],
        message: `Push consumers listed twice: ${repeated.join(', ')}`,
      });
    if (s.queueRetentionDays >= s.dlqRetentionDays)
      ctx.addIssue({
        code: 'custom',
        path: ['queueRetentionDays'],
        message: `queueRetentionDays (${s.queueRetentionDays}) must be under dlqRetentionDays (${s.dlqRetentionDays}): a dead-lettered message keeps its first enqueue time`,
      });
  });
export type StageSettings = z.infer<typeof StageSettingsSchema>;

/** Parses stage settings, throwing an Error that names every invalid setting by its path. */
export const parseStageSettings = (input: unknown): StageSettings => {
  const parsed = StageSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.code === 'custom' ? issue.message : `${issue.path.join('.') || '(settings)'}: ${issue.message}`,
  );
  throw new Error(`Invalid stage settings: ${problems.join('; ')}`);
};
