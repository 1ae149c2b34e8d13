import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../infra/config.ts';
import { FUNCTIONS, HANDLER_NAMES, type HandlerName } from '../../infra/function-registry.ts';
import type { TemplateJson } from '../../infra/local/iam/policy-evaluator.ts';
import { lambdaEnvironment, localFunctionEnvironments } from '../../infra/local/lambda-env.ts';
import type { LocalQueue, LocalResources } from '../../infra/local/resources.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import { buildTestApp, synthTemplate } from './build.ts';

// The local stack cannot drift from AWS: each function's environment on a laptop has exactly the
// variables the CDK stack deploys it with, and the same values wherever they come from the settings.

const settings = STAGES.dev;
const queue = (name: string): LocalQueue => ({
  name,
  url: `http://127.0.0.1:9324/000000000000/${name}`,
  arn: `arn:aws:sqs:eu-west-2:000000000000:${name}`,
});
const resources: LocalResources = {
  landingBucket: settings.landingBucketName,
  bucket: settings.bucketName,
  queues: {
    ingest: queue(settings.queues.ingest),
    ingestDlq: queue(`${settings.queues.ingest}-dlq`),
    records: queue(settings.queues.records),
    recordsDlq: queue(`${settings.queues.records}-dlq`),
    feed: queue(settings.queues.feed),
  },
  pushQueues: [],
  tables: {
    uploads: settings.tables.uploads.name,
    markers: settings.tables.markers.name,
    feed: settings.tables.feed.name,
  },
  pseudonymKeySecret: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:msht-dev-pseudonym-key-AbCdEf',
};

/** Variables whose value names a resource: an intrinsic on AWS, a local name or URL on a laptop. */
const RESOURCE_VARIABLES = new Set([
  'MSHT_BUCKET',
  'MSHT_LANDING_BUCKET',
  'MSHT_RECORDS_QUEUE_URL',
  'MSHT_FEED_QUEUE_URL',
  'MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN',
  'MSHT_PSEUDONYM_KEY_SECRET',
]);

describe('each function’s environment, locally and on AWS', () => {
  let stack: PipelineStack;
  let template: TemplateJson;
  beforeAll(() => {
    const built = buildTestApp('dev', { bundle: false });
    stack = built.stack;
    template = synthTemplate(built).toJSON() as TemplateJson;
  });

  const deployed = (name: HandlerName): Record<string, unknown> => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`${name} was not built`);
    const id = stack.getLogicalId(fn.fn.node.defaultChild as CfnElement);
    const props = template.Resources[id]?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    return Object.fromEntries(
      Object.entries(props.Environment.Variables).filter(([n]) => n.startsWith('MSHT_')),
    );
  };

  it.each(HANDLER_NAMES)(
    '%s: the same variables as the CDK stack sets, exactly its registry contract',
    (name) => {
      // Act
      const local = localFunctionEnvironments(settings, resources)[name];

      // Assess
      expect(Object.keys(local).sort()).toEqual(Object.keys(deployed(name)).sort());
      expect(Object.keys(local).sort()).toEqual([...FUNCTIONS[name].env].sort());
      for (const [variable, value] of Object.entries(deployed(name)))
        if (!RESOURCE_VARIABLES.has(variable))
          expect([name, variable, local[variable as keyof typeof local]]).toEqual([name, variable, value]);
    },
  );

  it('the local process holds every variable any function needs (ingest limits and submission days included)', () => {
    const env = lambdaEnvironment({
      settings,
      resources,
      endpoints: {
        s3: 'http://127.0.0.1:1',
        sqs: 'http://127.0.0.1:2',
        dynamodb: 'http://127.0.0.1:3',
        sts: 'http://127.0.0.1:4',
        lambda: 'http://127.0.0.1:5',
        secretsmanager: 'http://127.0.0.1:6',
      },
      region: 'eu-west-2',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
    const needed = new Set(HANDLER_NAMES.flatMap((name) => FUNCTIONS[name].env));
    expect(
      Object.keys(env)
        .filter((n) => n.startsWith('MSHT_'))
        .sort(),
    ).toEqual([...needed].sort());
    expect(env.MSHT_INGEST_MAX_ROWS).toBe(String(settings.ingestLimits.maxRows));
    expect(env.MSHT_AGGREGATE_SUBMISSION_DAYS).toBe(String(settings.aggregation.submissionDays));
    // The local stack's STS (AWS_ENDPOINT_URL_STS) issues sessions of this role.
    expect(env.MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN).toBe(
      `arn:aws:iam::000000000000:role/${settings.prefix}-upload-form-signer`,
    );
  });
});
