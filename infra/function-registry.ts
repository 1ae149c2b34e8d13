/**
 * Every function of the pipeline, once: its handler, what it is for, its Powertools service name, the
 * `ENV` variables it gets (its env contract), its settings and what triggers it. The CDK stack builds its
 * functions from here and the local stack can play them from here; plain data, no aws-cdk-lib.
 */
import { INGEST_NODE_OPTIONS } from '../functions/ingest/runtime.ts';
import { ENV, type EnvName } from '../functions/shared/env-names.ts';
import { STUCK_UPLOADS_SERVICE_NAME } from '../functions/stuck-uploads/stuck-uploads.ts';
import type {
  ApiFunctionSettings,
  FunctionSettings,
  ScheduledFunctionSettings,
  StageSettings,
} from './config.ts';

/** What invokes a function: an SQS queue, an EventBridge schedule, or a Function URL that can be turned off. */
export type FunctionTrigger =
  | { readonly kind: 'queue'; readonly queue: 'ingest' | 'records' }
  | {
      /** On the EventBridge schedule expression of the function's own (scheduled) settings. */
      readonly kind: 'schedule';
      /** What the schedule is for (the EventBridge rule's description). */
      readonly description: string;
    }
  | { readonly kind: 'url'; readonly enabled: (s: StageSettings) => boolean };

/** One function of the pipeline. */
export type FunctionSpec = {
  /** The handler module, relative to the repository root. */
  readonly entry: string;
  /** What the function is for (the Lambda description). */
  readonly description: string;
  /** `POWERTOOLS_SERVICE_NAME`. */
  readonly service: string;
  /** The `ENV` variables the function gets, besides the two Powertools ones: what its config parsers read. */
  readonly env: readonly EnvName[];
  /** Memory, timeout and, by trigger, event source settings or reserved concurrency. */
  readonly settings: (s: StageSettings) => FunctionSettings | ScheduledFunctionSettings | ApiFunctionSettings;
  readonly trigger: FunctionTrigger;
  /** Node.js options after `--enable-source-maps`. */
  readonly nodeOptions?: readonly string[];
  /** /tmp size in MiB, when the function needs more than Lambda's default 512. */
  readonly ephemeralStorageMb?: (s: StageSettings) => number;
};

/**
 * Ingest's /tmp: an .xlsx upload is spooled there whole (functions/ingest/xlsx/zip.ts: a zip is read from
 * its end), up to maxFileBytes, with room to spare for a spool a crashed invocation left behind.
 */
export const ingestEphemeralStorageMb = (s: StageSettings): number =>
  Math.min(10_240, Math.max(512, 2 * Math.ceil(s.ingestLimits.maxFileBytes / (1024 * 1024)) + 64));

/**
 * What `loadMarkerConfig` (functions/shared/marker-config.ts) requires; the indexer, PND export and feed
 * publisher each add what else they read.
 */
const MARKER_ENV = [
  ENV.markersTable,
  ENV.feedTable,
  ENV.retentionRules,
  ENV.pndSettings,
  ENV.feedSettings,
] as const;

/** What `loadPseudonymKeyConfig` requires: the functions that derive references (ingest, indexer). */
const PSEUDONYM_KEY_ENV = [ENV.pseudonymKeySecret, ENV.pseudonymKeyVersion] as const;

/**
 * The functions, in the order the stack builds, alarms and shows them. A missing handler file fails the
 * synth (tests may leave a function out with `handlers: { name: null }`).
 */
export const FUNCTIONS = {
  ingest: {
    entry: 'functions/ingest/handler.ts',
    description: 'Validates and curates uploads from the landing bucket',
    service: 'msht-ingest',
    env: [
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
      // loadPseudonymKeyConfig (functions/shared/pseudonym-key.ts)
      ...PSEUDONYM_KEY_ENV,
    ],
    settings: (s) => s.functions.ingest,
    trigger: { kind: 'queue', queue: 'ingest' },
    // The V8 settings `npm run bench` measured ingest with (functions/ingest/runtime.ts).
    nodeOptions: [INGEST_NODE_OPTIONS],
    ephemeralStorageMb: ingestEphemeralStorageMb,
  },
  indexer: {
    entry: 'functions/indexer/handler.ts',
    description: 'Keeps the markers table and the feed change log from accepted records',
    service: 'msht-indexer',
    // loadFunctionConfig, loadMarkerConfig and loadPseudonymKeyConfig
    env: [ENV.stage, ENV.bucket, ENV.recordsQueueUrl, ENV.uploadsTable, ...MARKER_ENV, ...PSEUDONYM_KEY_ENV],
    settings: (s) => s.functions.indexer,
    trigger: { kind: 'queue', queue: 'records' },
  },
  aggregate: {
    entry: 'functions/aggregate/handler.ts',
    description: 'Aggregates a month of curated records into the national picture',
    service: 'msht-aggregate',
    // loadAggregateConfig (functions/aggregate/config.ts)
    env: [
      ENV.stage,
      ENV.bucket,
      ENV.uploadsTable,
      ENV.markersTable,
      ENV.aggregateSubmissionDays,
      ENV.aggregatePublication,
      ENV.aggregateSchedule,
      ENV.disclosurePolicy,
    ],
    settings: (s) => s.aggregation,
    trigger: {
      kind: 'schedule',
      description: 'Monthly aggregation, for the month before',
    },
  },
  pndExport: {
    entry: 'functions/pnd/export-handler.ts',
    description: 'Exports pending markers to a PND batch',
    service: 'msht-pnd-export',
    // loadMarkerConfig; the handler also requires MSHT_BUCKET (the batches' bucket)
    env: [...MARKER_ENV, ENV.bucket],
    settings: (s) => s.scheduled.pndExport,
    trigger: {
      kind: 'schedule',
      description: 'PND export of pending markers',
    },
  },
  feedPublisher: {
    entry: 'functions/feed/publish-handler.ts',
    description: 'Publishes committed marker changes to the feed queue',
    service: 'msht-feed-publisher',
    // loadMarkerConfig; the handler also requires MSHT_FEED_QUEUE_URL, and sends to MSHT_FEED_PUSH_QUEUES
    env: [...MARKER_ENV, ENV.feedQueueUrl, ENV.feedPushQueues],
    settings: (s) => s.scheduled.feedPublisher,
    trigger: {
      kind: 'schedule',
      description: 'Feed publisher',
    },
  },
  markerExpiry: {
    entry: 'functions/marker-expiry/handler.ts',
    description: 'Writes EXPIRED on markers past review under time-based disposal',
    service: 'msht-marker-expiry',
    // loadMarkerConfig
    env: MARKER_ENV,
    settings: (s) => s.scheduled.markerExpiry,
    trigger: {
      kind: 'schedule',
      description: 'Daily marker expiry pass',
    },
  },
  /** Publishes `UploadsStuckInProcessing` (see `PipelineAlarms.uploadsStuck`). */
  stuckUploads: {
    entry: 'functions/stuck-uploads/handler.ts',
    description: 'Counts uploads stuck in PROCESSING and publishes UploadsStuckInProcessing',
    // The metric's `service` dimension, which the uploads-stuck alarm names.
    service: STUCK_UPLOADS_SERVICE_NAME,
    // The stage is the `stage` dimension of the metric the check publishes.
    env: [ENV.stage, ENV.uploadsTable, ENV.stuckAfterSeconds],
    settings: (s) => s.scheduled.stuckUploads,
    trigger: {
      kind: 'schedule',
      description: 'Check for uploads stuck in processing',
    },
  },
  uploadApi: {
    entry: 'functions/upload-api/handler.ts',
    description: 'Gives an organisation upload role a presigned POST form for its own prefix',
    service: 'msht-upload-api',
    // loadUploadApiConfig (functions/upload-api/config.ts)
    env: [
      ENV.landingBucket,
      ENV.ingestMaxFileBytes,
      ENV.prefix,
      ENV.organisations,
      ENV.uploadFormSignerRoleArn,
    ],
    settings: (s) => s.uploadApi,
    trigger: { kind: 'url', enabled: (s) => s.uploadApi.enabled },
  },
} as const satisfies Record<string, FunctionSpec>;

/** A function of the pipeline, by its key in `FUNCTIONS`. */
export type HandlerName = keyof typeof FUNCTIONS;

/** Every function name, in `FUNCTIONS` order. */
export const HANDLER_NAMES = Object.keys(FUNCTIONS) as HandlerName[];

/** The handler module of each function, relative to the repository root. */
export const HANDLERS = Object.fromEntries(HANDLER_NAMES.map((name) => [name, FUNCTIONS[name].entry])) as {
  readonly [N in HandlerName]: (typeof FUNCTIONS)[N]['entry'];
};

/** The physical function name, e.g. `msht-prod-pnd-export`; its log group is `/aws/lambda/{name}`. */
export const functionName = (name: HandlerName, settings: StageSettings): string =>
  `${settings.prefix}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
