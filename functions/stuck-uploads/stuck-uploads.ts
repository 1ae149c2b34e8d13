import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { UploadLedgerEntry } from '../../schemas/index.ts';
import { StageNameSchema } from '../../schemas/settings/stage-settings.ts';
import { scanItems } from '../shared/aws/dynamo.ts';
import { parseEnv } from '../shared/config.ts';
import { ENV } from '../shared/env-names.ts';

/** CloudWatch namespace of the check's metric; `PipelineAlarms.uploadsStuck` alarms on it (METRICS_NAMESPACE). */
export const STUCK_UPLOADS_NAMESPACE = 'msht';
/** Powertools service name, the metric's `service` dimension; the registry's `FUNCTIONS.stuckUploads.service`. */
export const STUCK_UPLOADS_SERVICE_NAME = 'msht-stuck-uploads';
/** The metric the `uploads-stuck-in-processing` alarm watches: how many uploads are stuck, 0 included. */
export const STUCK_UPLOADS_METRIC = 'UploadsStuckInProcessing';
/** Most stuck uploads named in the log line; the count is always complete. */
export const MAX_LOGGED_STUCK = 100;

/** Ledger statuses of an upload that ingest has started but not finished. */
export const UNFINISHED_STATUSES = ['RECEIVED', 'PROCESSING'] as const;
export type UnfinishedStatus = (typeof UNFINISHED_STATUSES)[number];

/** The ledger fields the check reads: ids, organisation, status and time only (never record contents). */
export type LedgerStatusView = Pick<UploadLedgerEntry, 'uploadId' | 'org' | 'status' | 'receivedAt'>;

/** An upload stuck in ingest; `ageSeconds` is null when its `receivedAt` cannot be read (reported to be safe). */
export type StuckUpload = {
  readonly uploadId: string;
  readonly org: UploadLedgerEntry['org'];
  readonly status: UnfinishedStatus;
  readonly receivedAt: string;
  readonly ageSeconds: number | null;
};

const isUnfinished = (status: string): status is UnfinishedStatus =>
  (UNFINISHED_STATUSES as readonly string[]).includes(status);

/**
 * The entries RECEIVED or PROCESSING for longer than `thresholdSeconds` at `now`, oldest first. Pure: the
 * caller reads the ledger and the clock.
 */
export const findStuckUploads = (
  entries: readonly LedgerStatusView[],
  now: Date,
  thresholdSeconds: number,
): StuckUpload[] => {
  const nowMs = now.getTime();
  const stuck: StuckUpload[] = [];
  for (const entry of entries) {
    if (!isUnfinished(entry.status)) continue;
    const receivedMs = Date.parse(entry.receivedAt);
    const ageMs = nowMs - receivedMs;
    if (Number.isFinite(receivedMs) && ageMs <= thresholdSeconds * 1000) continue;
    stuck.push({
      uploadId: entry.uploadId,
      org: entry.org,
      status: entry.status,
      receivedAt: entry.receivedAt,
      ageSeconds: Number.isFinite(receivedMs) ? Math.floor(ageMs / 1000) : null,
    });
  }
  return stuck.sort((a, b) => (b.ageSeconds ?? Infinity) - (a.ageSeconds ?? Infinity));
};

/**
 * Reads every RECEIVED or PROCESSING entry of the uploads table with a filtered Scan (the check's role
 * may Scan the table), projecting only the fields `findStuckUploads` needs, across every page.
 */
export const scanUnfinishedUploads = async (
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<LedgerStatusView[]> => {
  const entries: LedgerStatusView[] = [];
  const items = scanItems(db, {
    TableName: tableName,
    FilterExpression: '#status IN (:received, :processing)',
    ProjectionExpression: 'uploadId, org, #status, receivedAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':received': 'RECEIVED', ':processing': 'PROCESSING' },
  });
  for await (const item of items) entries.push(item as LedgerStatusView);
  return entries;
};

/**
 * What the check needs from its environment: the stage (the metric's `stage` dimension), the ledger, and
 * the seconds after which an unfinished upload is stuck (`stuckAfterSeconds` of the stage's ingest
 * settings, set by infra/function-env.ts).
 */
export const StuckUploadsConfigSchema = z.object({
  stage: StageNameSchema,
  uploadsTable: z.string().min(3),
  thresholdSeconds: z.coerce.number().int().positive(),
});
export type StuckUploadsConfig = z.infer<typeof StuckUploadsConfigSchema>;

const NAMES: Readonly<Record<string, string>> = {
  stage: ENV.stage,
  uploadsTable: ENV.uploadsTable,
  thresholdSeconds: ENV.stuckAfterSeconds,
};

/**
 * Parses the check's configuration from the `ENV` variables; a `ConfigError` names every bad one. The
 * stage is required, not defaulted: a wrong `stage` dimension would leave the alarm without data.
 */
export const loadStuckUploadsConfig = (env: NodeJS.ProcessEnv = process.env): StuckUploadsConfig =>
  parseEnv(StuckUploadsConfigSchema, NAMES, 'stuck-uploads check environment', env);

/** What one run of the check uses; the handler binds them to AWS, tests to fakes. */
export type StuckUploadsDeps = {
  readonly readUnfinished: () => Promise<readonly LedgerStatusView[]>;
  readonly now: () => Date;
  readonly thresholdSeconds: number;
  /** Stores the metric; the caller publishes it (Powertools `logMetrics` middleware). */
  readonly metrics: Pick<Metrics, 'addMetric'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
};

/** The outcome of a run, also its log line: ids and organisation codes only. */
export type StuckUploadsResult = {
  readonly count: number;
  readonly thresholdSeconds: number;
  readonly stuck: readonly StuckUpload[];
};

/**
 * One run: reads the unfinished ledger entries, records `UploadsStuckInProcessing` (0 included, so the
 * alarm can tell a healthy pipeline from a silent check) and logs the stuck uploads' ids and orgs. A
 * failed read throws and records nothing, so the alarm sees missing data rather than a false 0.
 */
export const checkStuckUploads = async (deps: StuckUploadsDeps): Promise<StuckUploadsResult> => {
  const entries = await deps.readUnfinished();
  const stuck = findStuckUploads(entries, deps.now(), deps.thresholdSeconds);
  deps.metrics.addMetric(STUCK_UPLOADS_METRIC, MetricUnit.Count, stuck.length);
  const result = { count: stuck.length, thresholdSeconds: deps.thresholdSeconds, stuck };
  if (stuck.length === 0) {
    deps.logger.info('No uploads stuck in ingest', { count: 0, thresholdSeconds: deps.thresholdSeconds });
  } else {
    deps.logger.warn('Uploads stuck in ingest', {
      count: stuck.length,
      thresholdSeconds: deps.thresholdSeconds,
      stuck: stuck
        .slice(0, MAX_LOGGED_STUCK)
        .map(({ uploadId, org, status, ageSeconds }) => ({ uploadId, org, status, ageSeconds })),
      ...(stuck.length > MAX_LOGGED_STUCK ? { notListed: stuck.length - MAX_LOGGED_STUCK } : {}),
    });
  }
  return result;
};
