import { ENV } from '../../functions/shared/env-names.ts';
import { stuckAfterSeconds } from '../../schemas/settings/function-settings.ts';
import type { StageSettings } from '../config.ts';
import { LOCAL_CREDENTIALS } from './clients.ts';
import type { EmulatorEndpoints } from './emulators.ts';
import type { LocalResources } from './resources.ts';

/**
 * The environment a function gets from the CDK stack, pointed at the emulators: the `ENV` variables,
 * the region, fake credentials, and the service endpoints the AWS SDK v3 reads
 * (`AWS_ENDPOINT_URL_S3`, `_SQS`, `_DYNAMODB`). https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export const lambdaEnvironment = (input: {
  readonly settings: StageSettings;
  readonly resources: LocalResources;
  readonly endpoints: EmulatorEndpoints;
  readonly region: string;
  readonly logLevel?: string;
}): Record<string, string> => ({
  [ENV.bucket]: input.resources.bucket,
  [ENV.landingBucket]: input.resources.landingBucket,
  [ENV.recordsQueueUrl]: input.resources.queues.records.url,
  [ENV.uploadsTable]: input.resources.tables.uploads,
  [ENV.markersTable]: input.resources.tables.markers,
  [ENV.feedTable]: input.resources.tables.feed,
  [ENV.feedQueueUrl]: input.resources.queues.feed.url,
  [ENV.retentionRules]: JSON.stringify(input.settings.retention),
  [ENV.pndSettings]: JSON.stringify(input.settings.pnd),
  [ENV.feedSettings]: JSON.stringify(input.settings.feed),
  [ENV.stage]: input.settings.stage,
  [ENV.prefix]: input.settings.prefix,
  [ENV.organisations]: JSON.stringify(input.settings.organisations.map((o) => o.code)),
  [ENV.stuckAfterSeconds]: String(stuckAfterSeconds(input.settings.functions.ingest)),
  ...(input.logLevel === undefined ? {} : { [ENV.logLevel]: input.logLevel }),
  AWS_REGION: input.region,
  AWS_DEFAULT_REGION: input.region,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_S3: input.endpoints.s3,
  AWS_ENDPOINT_URL_SQS: input.endpoints.sqs,
  AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
});

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
