/**
 * The environment of each function, built from its env contract in `FUNCTIONS` and the stage settings.
 * The CDK stack passes CDK tokens as resource references, the local stack real names; plain functions,
 * no aws-cdk-lib.
 */
import { ENV, type EnvName } from '../functions/shared/env-names.ts';
import { stuckAfterSeconds } from '../schemas/settings/function-settings.ts';
import type { StageSettings } from './config.ts';
import { FUNCTIONS, type HandlerName } from './function-registry.ts';

/** Names and URLs of the resources the functions use, as the deployment knows them. */
export type ResourceRefs = {
  /** The data bucket (reports/, curated/, aggregates/, PND batches). */
  readonly bucket: string;
  /** The landing bucket (incoming/). */
  readonly landingBucket: string;
  readonly recordsQueueUrl: string;
  readonly feedQueueUrl: string;
  /** The push consumers' queues, name and URL (stage settings `pushConsumers`). */
  readonly pushQueues: readonly { readonly name: string; readonly url: string }[];
  readonly uploadsTable: string;
  readonly markersTable: string;
  readonly feedTable: string;
  /** The role the upload API signs forms with (`uploadFormSignerRoleName`). */
  readonly uploadFormSignerRoleArn: string;
  /** The pseudonym key secret: its ARN (the CDK stack) or what the local Secrets Manager names it. */
  readonly pseudonymKeySecret: string;
};

/** A function's environment: its contract's `ENV` variables and the two Powertools ones. */
export type FunctionEnvironment = Readonly<Partial<Record<EnvName, string>>>;

/** The value of every `ENV` variable for function `name` (a `Record`, so a new name cannot be forgotten). */
const values = (name: HandlerName, s: StageSettings, refs: ResourceRefs): Record<EnvName, string> => ({
  [ENV.bucket]: refs.bucket,
  [ENV.landingBucket]: refs.landingBucket,
  [ENV.recordsQueueUrl]: refs.recordsQueueUrl,
  [ENV.uploadsTable]: refs.uploadsTable,
  [ENV.markersTable]: refs.markersTable,
  [ENV.stage]: s.stage,
  [ENV.feedTable]: refs.feedTable,
  [ENV.feedQueueUrl]: refs.feedQueueUrl,
  [ENV.feedPushQueues]: JSON.stringify(refs.pushQueues),
  [ENV.retentionRules]: JSON.stringify(s.retention),
  [ENV.pndSettings]: JSON.stringify(s.pnd),
  [ENV.feedSettings]: JSON.stringify(s.feed),
  [ENV.aggregateSubmissionDays]: String(s.aggregation.submissionDays),
  [ENV.aggregatePublication]: JSON.stringify(s.aggregation.publication),
  [ENV.aggregateSchedule]: s.aggregation.schedule,
  [ENV.ingestMaxFileBytes]: String(s.ingestLimits.maxFileBytes),
  [ENV.ingestMaxDecompressedBytes]: String(s.ingestLimits.maxDecompressedBytes),
  [ENV.ingestMaxRows]: String(s.ingestLimits.maxRows),
  [ENV.ingestMaxRejectedShare]: String(s.ingestLimits.maxRejectedShare),
  [ENV.prefix]: s.prefix,
  [ENV.organisations]: JSON.stringify(s.organisations.map((o) => o.code)),
  [ENV.uploadFormSignerRoleArn]: refs.uploadFormSignerRoleArn,
  [ENV.disclosurePolicy]: JSON.stringify(s.disclosure),
  [ENV.stuckAfterSeconds]: String(stuckAfterSeconds(s.functions.ingest)),
  [ENV.pseudonymKeySecret]: refs.pseudonymKeySecret,
  [ENV.pseudonymKeyVersion]: String(s.pseudonyms.keyVersion),
  [ENV.logLevel]: 'INFO',
  [ENV.serviceName]: FUNCTIONS[name].service,
});

/**
 * The environment of function `name`: exactly the variables of its contract (`FUNCTIONS[name].env`), plus
 * `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL` (`INFO`), with values from `settings` and `refs`.
 */
export const functionEnvironment = (
  name: HandlerName,
  settings: StageSettings,
  refs: ResourceRefs,
): FunctionEnvironment => {
  const all = values(name, settings, refs);
  const names: readonly EnvName[] = [...FUNCTIONS[name].env, ENV.logLevel, ENV.serviceName];
  return Object.fromEntries(names.map((n) => [n, all[n]]));
};
