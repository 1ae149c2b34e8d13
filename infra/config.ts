/**
 * The settings of every deployment of the pipeline, as data: one object per stage, parsed by the stage
 * settings schema (schemas/settings/stage-settings.ts) when this module loads, so an invalid value fails at
 * once, naming the setting. The CDK stack and the local stack both read these, so queue timeouts, redrive
 * counts, table keys and names cannot drift between AWS and a laptop; functions get their part through the
 * environment (infra/function-env.ts), never by importing this file.
 */
import { DEFAULT_DISCLOSURE_POLICY } from '../schemas/aggregate/disclosure-policy.ts';
import { DEFAULT_PUBLICATION_SETTINGS } from '../schemas/aggregate/publication.ts';
import { ORGANISATIONS, type OrgCode } from '../schemas/common/organisations.ts';
import type { OrganisationSettings } from '../schemas/settings/access.ts';
import { visibilityTimeoutSeconds } from '../schemas/settings/function-settings.ts';
import { DEFAULT_LIMITS } from '../schemas/settings/ingest-limits.ts';
import { parseStageSettings, type StageSettings } from '../schemas/settings/stage-settings.ts';

export type { AccessSettings, OrganisationSettings, TrustedPrincipal } from '../schemas/settings/access.ts';
export type {
  ApiFunctionSettings,
  FunctionSettings,
  ScheduledFunctionSettings,
} from '../schemas/settings/function-settings.ts';
export type { IngestLimits } from '../schemas/settings/ingest-limits.ts';
export type { FeedSettings, PndSettings } from '../schemas/settings/marker-settings.ts';
export type { RetentionGroup, RetentionRule, RetentionRules } from '../schemas/settings/retention.ts';
export type { DataRetentionSettings, StageSettings } from '../schemas/settings/stage-settings.ts';
export type { TableSettings } from '../schemas/settings/table-settings.ts';
export { visibilityTimeoutSeconds };

/** Every organisation in schemas (ORGANISATIONS), each trusting the pipeline account only until onboarded. */
export const ALL_ORGANISATIONS: OrganisationSettings[] = (Object.keys(ORGANISATIONS) as OrgCode[]).map(
  (code) => ({ code, principals: [] }),
);

/** The name of a queue's dead-letter queue. */
export const dlqName = (queueName: string): string => `${queueName}-dlq`;

const base = (stage: StageSettings['stage']): StageSettings => {
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
          // Sparse: markers with a change not yet in the feed log (functions/feed/sequence.ts).
          { name: 'byLogPending', partitionKey: 'logPending', sortKey: 'updatedAt' },
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
      stuckUploads: {
        memoryMb: 256,
        timeoutSeconds: 60,
        schedule: 'rate(15 minutes)',
        reservedConcurrency: 1,
      },
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
      publication: DEFAULT_PUBLICATION_SETTINGS,
    },
    disclosure: { ...DEFAULT_DISCLOSURE_POLICY },
    // Raise keyVersion only with a new value in the secret (docs/deploy.md, "Rotating the pseudonym key").
    pseudonyms: { secretName: `${prefix}-pseudonym-key`, keyVersion: 1 },
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
            queryResultsDays: 7,
            noncurrentVersionDays: 30,
            accessLogsDays: 731,
          }
        : {
            incomingDays: 30,
            reportsDays: 30,
            curatedDays: 90,
            aggregatesDays: 90,
            queryResultsDays: 1,
            noncurrentVersionDays: 7,
            accessLogsDays: 30,
          },
    objectLock: stage === 'prod' ? { mode: 'GOVERNANCE', days: 90 } : null,
    organisations: ALL_ORGANISATIONS,
    nationalTeam: { principals: [] },
    publicationReaders: { principals: [] },
    feedConsumers: { principals: [] },
    pushConsumers: [],
    alarms: { oldestMessageAgeSeconds: { ingest: 3600, records: 900 } },
    feedQueue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 5 },
  };
};

/** Settings per stage. The local stack uses `dev`. */
export const STAGES = {
  dev: parseStageSettings(base('dev')),
  prod: parseStageSettings(base('prod')),
} as const;

export const settingsFor = (stage: string): StageSettings => {
  if (stage === 'dev' || stage === 'prod') return STAGES[stage];
  throw new Error(`Unknown stage "${stage}": expected one of ${Object.keys(STAGES).join(', ')}`);
};
