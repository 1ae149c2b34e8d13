import type { StageSettings } from '../config.ts';
import {
  type FunctionEnvironment,
  functionEnvironment,
  type ResourceRefs,
  uploadFormSignerRoleName,
} from '../function-env.ts';
import { FUNCTIONS, HANDLER_NAMES, type HandlerName } from '../function-registry.ts';
import { LOCAL_CREDENTIALS } from './clients.ts';
import { type EmulatorEndpoints, LOCAL_ACCOUNT_ID } from './emulators.ts';
import type { LocalResources } from './resources.ts';

/** The names the functions know the local resources by, as the CDK stack's `Storage.refs` on AWS. */
const localResourceRefs = (settings: StageSettings, resources: LocalResources): ResourceRefs => ({
  bucket: resources.bucket,
  landingBucket: resources.landingBucket,
  recordsQueueUrl: resources.queues.records.url,
  feedQueueUrl: resources.queues.feed.url,
  uploadsTable: resources.tables.uploads,
  markersTable: resources.tables.markers,
  feedTable: resources.tables.feed,
  // The local stack's STS (AWS_ENDPOINT_URL_STS) issues the signer sessions.
  uploadFormSignerRoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${uploadFormSignerRoleName(settings.prefix)}`,
});

/**
 * Each function's environment as the CDK stack gives it on AWS: the one env builder
 * (infra/function-env.ts) over the function registry, with the local resource names. The Powertools
 * service name and log level are left out: the handlers share one process here, and name their own
 * loggers.
 */
export const localFunctionEnvironments = (
  settings: StageSettings,
  resources: LocalResources,
): Readonly<Record<HandlerName, FunctionEnvironment>> => {
  const refs = localResourceRefs(settings, resources);
  return Object.fromEntries(
    HANDLER_NAMES.map((name) => {
      const env = functionEnvironment(name, settings, refs);
      return [name, Object.fromEntries(FUNCTIONS[name].env.map((n) => [n, env[n]]))];
    }),
  ) as Record<HandlerName, FunctionEnvironment>;
};

/**
 * The environment of the process the local stack runs every handler in: the union of the functions'
 * environments (they agree on every variable they share: one builder made them), the region, fake
 * credentials, and the service endpoints the AWS SDK v3 reads (`AWS_ENDPOINT_URL_S3`, `_SQS`,
 * `_DYNAMODB`). https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export const lambdaEnvironment = (input: {
  readonly settings: StageSettings;
  readonly resources: LocalResources;
  readonly endpoints: EmulatorEndpoints;
  readonly region: string;
  readonly logLevel?: string;
}): Record<string, string> => {
  const union: Record<string, string> = {};
  for (const [name, env] of Object.entries(localFunctionEnvironments(input.settings, input.resources))) {
    for (const [variable, value] of Object.entries(env)) {
      if (value === undefined) continue;
      if (union[variable] !== undefined && union[variable] !== value)
        throw new Error(`${variable} differs between functions (${name}): one process cannot hold both`);
      union[variable] = value;
    }
  }
  return {
    ...union,
    ...(input.logLevel === undefined ? {} : { POWERTOOLS_LOG_LEVEL: input.logLevel }),
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
  };
};

/** Variables removed while the local stack runs: a real session token does not belong with fake keys. */
const CLEARED = ['AWS_SESSION_TOKEN'] as const;

/**
 * Sets the variables in `process.env` (the handlers run in this process and read it) and returns a
 * function that puts back what was there before.
 */
export const applyEnvironment = (vars: Readonly<Record<string, string>>): (() => void) => {
  const names = [...Object.keys(vars), ...CLEARED];
  const previous = new Map(names.map((name) => [name, process.env[name]]));
  for (const name of CLEARED) delete process.env[name];
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
};
