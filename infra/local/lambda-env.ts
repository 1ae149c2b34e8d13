import { ENV } from '../../functions/shared/env-names.ts';
import { uploadFormSignerRoleName } from '../../schemas/role-names.ts';
import type { StageSettings } from '../config.ts';
import { type FunctionEnvironment, functionEnvironment, type ResourceRefs } from '../function-env.ts';
import { FUNCTIONS, HANDLER_NAMES, type HandlerName } from '../function-registry.ts';
import type { LocalCredentials } from './clients.ts';
import { type EmulatorEndpoints, LOCAL_ACCOUNT_ID } from './emulators.ts';
import type { LocalResources } from './resources.ts';

/** The names the functions know the local resources by, as the CDK stack's `Storage.refs` on AWS. */
const localResourceRefs = (settings: StageSettings, resources: LocalResources): ResourceRefs => ({
  bucket: resources.bucket,
  landingBucket: resources.landingBucket,
  recordsQueueUrl: resources.queues.records.url,
  feedQueueUrl: resources.queues.feed.url,
  pushQueues: resources.pushQueues.map(({ name, queue }) => ({ name, url: queue.url })),
  uploadsTable: resources.tables.uploads,
  markersTable: resources.tables.markers,
  feedTable: resources.tables.feed,
  // The local stack's STS (AWS_ENDPOINT_URL_STS) issues the signer sessions.
  uploadFormSignerRoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${uploadFormSignerRoleName(settings)}`,
  pseudonymKeySecret: resources.pseudonymKeySecret,
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

/** The local endpoints: the IAM gateways in front of the emulators, the local STS, Lambda and Secrets Manager. */
export type LocalEndpoints = EmulatorEndpoints & {
  readonly sts: string;
  readonly lambda: string;
  readonly secretsmanager: string;
};

/**
 * What every process talking to the local stack needs: the region, the credentials of the one it runs
 * as, and the service endpoints the AWS SDK v3 and the AWS CLI v2 read (`AWS_ENDPOINT_URL_S3`, `_SQS`,
 * `_DYNAMODB`, `_STS`, `_LAMBDA`, `_SECRETS_MANAGER`). https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export const awsEnvironment = (
  endpoints: LocalEndpoints,
  region: string,
  credentials: LocalCredentials,
): Record<string, string> => ({
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_ENDPOINT_URL_SQS: endpoints.sqs,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_STS: endpoints.sts,
  AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager,
});

/**
 * One function's process environment, as Lambda gives it: the function's own env contract (nothing of
 * the other functions'), its name, the region, endpoints and its execution role's credentials.
 */
export const functionProcessEnvironment = (input: {
  readonly env: FunctionEnvironment;
  readonly functionName: string;
  readonly memoryMb: number;
  readonly endpoints: LocalEndpoints;
  readonly region: string;
  readonly credentials: LocalCredentials;
  readonly logLevel?: string;
}): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(input.env).filter((e): e is [string, string] => e[1] !== undefined)),
  ...(input.logLevel === undefined ? {} : { [ENV.logLevel]: input.logLevel }),
  AWS_LAMBDA_FUNCTION_NAME: input.functionName,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memoryMb),
  ...awsEnvironment(input.endpoints, input.region, input.credentials),
});

/**
 * The environment for code that runs in the caller's own process against the local stack (tests, the
 * demo's checks, handlers a test passes in): the union of the functions' environments (they agree on
 * every variable they share: one builder made them) and the given credentials.
 */
export const lambdaEnvironment = (input: {
  readonly settings: StageSettings;
  readonly resources: LocalResources;
  readonly endpoints: LocalEndpoints;
  readonly region: string;
  readonly credentials: LocalCredentials;
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
    ...(input.logLevel === undefined ? {} : { [ENV.logLevel]: input.logLevel }),
    ...awsEnvironment(input.endpoints, input.region, input.credentials),
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
