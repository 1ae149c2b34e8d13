import { fileURLToPath } from 'node:url';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { parseStageSettings } from '../schemas/settings/stage-settings.ts';
import type { StageSettings } from './config.ts';
import type { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import type { AccessRole } from './constructs/access-role.ts';
import type { FailureQueue } from './constructs/failure-queue.ts';
import type { OrganisationUploadRole } from './constructs/organisation-upload-role.ts';
import type { PipelineAlarms } from './constructs/pipeline-alarms.ts';
import type { PipelineDashboard } from './constructs/pipeline-dashboard.ts';
import type { PipelineFunction } from './constructs/pipeline-function.ts';
import type { PipelineQueue } from './constructs/pipeline-queue.ts';
import type { PipelineTable } from './constructs/pipeline-table.ts';
import type { PseudonymKeySecret } from './constructs/pseudonym-key-secret.ts';
import type { SecureBucket } from './constructs/secure-bucket.ts';
import { HANDLER_NAMES, type HandlerName } from './function-registry.ts';
import { AccessRoles } from './stages/access.ts';
import { Aggregation } from './stages/aggregation.ts';
import { functionBuilder } from './stages/functions.ts';
import { Ingest } from './stages/ingest.ts';
import { Markers } from './stages/markers.ts';
import { Observability } from './stages/observability.ts';
import { Outputs } from './stages/outputs.ts';
import { Query } from './stages/query.ts';
import { Storage } from './stages/storage.ts';
import { UploadApi } from './stages/upload-api.ts';

export { uploadRoleName } from '../schemas/role-names.ts';
export { HANDLERS, type HandlerName } from './function-registry.ts';

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
 * the indexer keeps the markers table, each marker item carrying its own feed change; scheduled functions
 * sequence those changes into the feed log and publish them, export to PND and aggregate each month
 * (aggregates/). Everything is encrypted with customer-managed keys,
 * alarmed to one SNS topic and shown on one dashboard. Every name, size and timeout comes from `settings`;
 * every function, its environment and its trigger from `FUNCTIONS` (infra/function-registry.ts).
 *
 * The stack composes one construct per stage (infra/stages/); each holds its functions and their grants.
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
  /** The pseudonym key secret and its key (readable by ingest and the indexer only). */
  public readonly pseudonymKey: PseudonymKeySecret;
  public readonly ingest: PipelineFunction;
  public readonly indexer: PipelineFunction;
  public readonly scheduled: ScheduledFunctions;
  /** The optional upload API (`settings.uploadApi.enabled`) and its Function URL. */
  public readonly uploadApi?: { readonly fn: PipelineFunction; readonly url: FunctionUrl };
  /** Every function the stack built, by its `HANDLERS` name (what alarms, the dashboard and tests cover). */
  public readonly functions: ReadonlyMap<HandlerName, PipelineFunction>;
  public readonly uploadRoles: ReadonlyMap<string, OrganisationUploadRole>;
  public readonly nationalTeamRole: AccessRole;
  /** The Glue catalog and Athena workgroup of SQL over the curated zone (national team only). */
  public readonly query: Query;
  public readonly feedConsumerRole: AccessRole;
  public readonly alarms: PipelineAlarms;
  public readonly dashboard: PipelineDashboard;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.settings = settings;
    // Settings a stack cannot be built from fail here, named by their path (duplicate organisations, ...).
    parseStageSettings(settings);

    const storage = new Storage(this, 'Storage', { settings });
    this.accessLogs = storage.accessLogs;
    this.landing = storage.landing;
    this.data = storage.data;
    this.ingestQueue = storage.ingestQueue;
    this.recordsQueue = storage.recordsQueue;
    this.feedQueue = storage.feedQueue;
    this.scheduledFailures = storage.scheduledFailures;
    this.uploads = storage.uploads;
    this.markers = storage.markers;
    this.feed = storage.feed;
    this.pseudonymKey = storage.pseudonymKey;

    const build = functionBuilder({
      settings,
      storage,
      projectRoot: props.projectRoot ?? fileURLToPath(new URL('..', import.meta.url)),
      handlers: props.handlers,
    });
    const ingest = new Ingest(this, 'Ingest', { storage, build });
    const markers = new Markers(this, 'Markers', { settings, storage, build });
    const aggregation = new Aggregation(this, 'Aggregation', { storage, build });
    const uploadApi = new UploadApi(this, 'UploadApi', { storage, build, prefix: settings.prefix });
    this.ingest = ingest.ingest;
    this.indexer = markers.indexer;
    this.scheduled = {
      aggregate: aggregation.aggregate,
      pndExport: markers.pndExport,
      feedPublisher: markers.feedPublisher,
      markerExpiry: markers.markerExpiry,
      stuckUploads: ingest.stuckUploads,
    };
    if (uploadApi.api) this.uploadApi = uploadApi.api;
    const built: Partial<Record<HandlerName, PipelineFunction>> = {
      ...this.scheduled,
      ingest: this.ingest,
      indexer: this.indexer,
      uploadApi: uploadApi.api?.fn,
    };
    this.functions = new Map(
      HANDLER_NAMES.flatMap((name) => (built[name] ? [[name, built[name]] as const] : [])),
    );

    const query = new Query(this, 'Query', { settings, storage });
    this.query = query;
    const access = new AccessRoles(this, 'Access', {
      settings,
      storage,
      query,
      aggregate: aggregation.aggregate,
      uploadApi: uploadApi.api?.fn,
    });
    this.uploadRoles = access.uploadRoles;
    this.nationalTeamRole = access.nationalTeamRole;
    this.feedConsumerRole = access.feedConsumerRole;

    // Id `Alarms`, as the alarms construct inside it (CDK folds the two into one logical-id part): the alarm
    // topic's key keeps its logical id AlarmsKey….
    const observability = new Observability(this, 'Alarms', { settings, storage, functions: this.functions });
    this.alarms = observability.alarms;
    this.dashboard = observability.dashboard;

    new Outputs(this, 'Outputs', {
      settings,
      storage,
      access,
      observability,
      uploadApiUrl: this.uploadApi?.url,
    });
  }
}
