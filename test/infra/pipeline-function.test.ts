import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import type { FunctionSettings } from '../../infra/config.ts';
import { FailureQueue } from '../../infra/constructs/failure-queue.ts';
import { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { PipelineQueue } from '../../infra/constructs/pipeline-queue.ts';
import { addPolicyChecks } from '../../infra/policy-checks.ts';
import { cdkJsonContext } from './build.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const fnSettings: FunctionSettings = {
  memoryMb: 256,
  timeoutSeconds: 30,
  batchSize: 5,
  maxReceiveCount: 2,
  maxBatchingWindowSeconds: 0,
};

// A stack with the policy gate and one house function; esbuild is skipped (the entry is never bundled).
const fixture = (nodeOptions?: readonly string[]) => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Fixture');
  addPolicyChecks(app);
  const fn = new PipelineFunction(stack, 'Fn', {
    entry: `${projectRoot}functions/indexer/handler.ts`,
    functionName: 'fixture-fn',
    settings: fnSettings,
    environment: { MSHT_STAGE: 'dev' },
    ...(nodeOptions ? { nodeOptions } : {}),
    logRetentionDays: 30,
    logKey: new Key(stack, 'LogKey', { enableKeyRotation: true }),
    projectRoot,
  });
  const queue = (visibility: number) =>
    new PipelineQueue(stack, `Queue${visibility}`, {
      queueName: `fixture-${visibility}`,
      visibilityTimeout: Duration.seconds(visibility),
      maxReceiveCount: fnSettings.maxReceiveCount,
      deadLetterRetention: Duration.days(14),
    });
  return { stack, fn, queue };
};

describe('PipelineFunction', () => {
  it('keeps source maps on and appends the Node.js options it is given, beside its environment', () => {
    // Prepare
    const plain = fixture();
    const tuned = fixture(['--max-semi-space-size=16', '--stack-size=2000']);
    // Read from the resource directly: a bare function (no queue, no failure destination) fails the gate.
    const env = ({ stack, fn }: ReturnType<typeof fixture>) =>
      (stack.resolve((fn.fn.node.defaultChild as CfnFunction).environment) as { variables: unknown })
        .variables;

    // Assess
    expect(env(plain)).toEqual({ MSHT_STAGE: 'dev', NODE_OPTIONS: '--enable-source-maps' });
    expect(env(tuned)).toEqual({
      MSHT_STAGE: 'dev',
      NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=16 --stack-size=2000',
    });
  });

  it('refuses a queue that would redeliver messages before the function times out', () => {
    // Prepare
    const { fn, queue } = fixture();

    // Act and Assess
    expect(() => fn.consume(queue(6 * fnSettings.timeoutSeconds - 1))).toThrow(/less than six times/);
    expect(() => fn.consume(queue(6 * fnSettings.timeoutSeconds))).not.toThrow();
  });

  it('fails the policy gate on a wildcard resource given without a reason', () => {
    // Prepare
    const { stack, fn } = fixture();
    fn.allow(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/any/*'] }));

    // Act and Assess
    expect(() => Template.fromStack(stack)).toThrow(
      /AwsSolutions-IAM5\[Resource::arn:aws:s3:::bucket\/any\/\*\]/,
    );
  });

  it('passes the policy gate on the same wildcard once allow() is given the reason', () => {
    // Prepare
    const { stack, fn, queue } = fixture();
    fn.consume(queue(6 * fnSettings.timeoutSeconds));
    fn.allow(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/any/*'] }), {
      wildcardReason: 'Test fixture: reads any object under any/.',
    });

    // Act and Assess
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('acknowledges Resource::* for its X-Ray policy only: another statement on * still fails the gate', () => {
    // Prepare: an otherwise compliant function, then s3:GetObject on every object added to its role
    const clean = fixture();
    clean.fn.consume(clean.queue(6 * fnSettings.timeoutSeconds));
    const { stack, fn, queue } = fixture();
    fn.consume(queue(6 * fnSettings.timeoutSeconds));
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    // Act and Assess
    expect(() => Template.fromStack(clean.stack)).not.toThrow();
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it('traces actively, with the X-Ray actions in a policy of their own', () => {
    // Prepare
    const { stack, fn, queue } = fixture();
    fn.consume(queue(6 * fnSettings.timeoutSeconds));

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    const xray = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('xray:'),
    );
    expect(xray).toHaveLength(1);
    expect(xray[0]?.Properties?.PolicyDocument?.Statement).toEqual([
      {
        Sid: 'PutTraces',
        Effect: 'Allow',
        Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        Resource: '*',
      },
    ]);
  });

  it('never acknowledges a wildcard action, reason or not', () => {
    // Prepare
    const { stack, fn } = fixture();
    fn.allow(new PolicyStatement({ actions: ['s3:Get*'], resources: ['arn:aws:s3:::bucket/any/key'] }), {
      wildcardReason: 'Test fixture: an action wildcard stays a finding.',
    });

    // Act and Assess
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-IAM5\[Action::s3:Get\*\]/);
  });

  it('consumes a queue with explicit statements: queue actions on that queue, its key only through SQS', () => {
    // Prepare
    const { stack, fn, queue } = fixture();
    const source = queue(6 * fnSettings.timeoutSeconds);

    // Act
    fn.consume(source);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ConsumeQueue',
            Action: [
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
              'sqs:ReceiveMessage',
            ],
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(source.queue.node.defaultChild as never), 'Arn'] },
          }),
          Match.objectLike({
            Sid: 'DecryptQueue',
            Action: 'kms:Decrypt',
            Condition: {
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: fnSettings.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('refuses to consume a queue without event source settings', () => {
    // Prepare
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Scheduled');
    const fn = new PipelineFunction(stack, 'Fn', {
      entry: `${projectRoot}functions/indexer/handler.ts`,
      functionName: 'scheduled-fn',
      settings: { memoryMb: 256, timeoutSeconds: 30, schedule: 'rate(1 hour)', reservedConcurrency: 1 },
      environment: {},
      logRetentionDays: 30,
      logKey: new Key(stack, 'LogKey', { enableKeyRotation: true }),
      projectRoot,
    });
    const queue = new PipelineQueue(stack, 'Queue', {
      queueName: 'q',
      visibilityTimeout: Duration.seconds(600),
      maxReceiveCount: 2,
      deadLetterRetention: Duration.days(14),
    });

    // Act and Assess
    expect(() => fn.consume(queue)).toThrow(/no SQS event source settings/);
  });

  it('sends failed asynchronous invocations to a failure queue, and passes the policy gate', () => {
    // Prepare
    const { stack, fn } = fixture();
    const failures = new FailureQueue(stack, 'Failures', {
      queueName: 'fixture-failures',
      retentionPeriod: Duration.days(14),
    });

    // Act
    fn.sendAsyncFailuresTo(failures, 1);
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 1,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [stack.getLogicalId(failures.queue.node.defaultChild as never), 'Arn'],
          },
        },
      },
    });
  });
});
