import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { STAGES } from '../../infra/config.ts';
import { addPolicyChecks } from '../../infra/policy-checks.ts';
import { buildStackWith, buildTestApp, cdkJsonContext } from './build.ts';

// These apps skip esbuild bundling: the gate judges templates, not function code.
const tinyApp = () => {
  const app = new App({ context: cdkJsonContext() });
  const stack = new Stack(app, 'Tiny');
  addPolicyChecks(app);
  return { app, stack };
};

describe('the cdk-nag policy gate', () => {
  it('passes the whole app with no unacknowledged finding, in every stage', () => {
    for (const stage of ['dev', 'prod']) {
      // Prepare
      const { app } = buildTestApp(stage, { bundle: false });

      // Act and Assess
      expect(() => app.synth()).not.toThrow();
    }
  });

  it('fails synth of a tiny stack with a deliberately non-compliant queue', () => {
    // Prepare: no encryption, no dead-letter queue, plain HTTP allowed.
    const { stack } = tinyApp();
    new Queue(stack, 'Careless', { encryption: undefined, enforceSSL: false });

    // Act and Assess
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SQS3[\s\S]*AwsSolutions-SQS4/);
  });

  it('passes the same queue once each finding is acknowledged with a reason', () => {
    // Prepare
    const { stack } = tinyApp();
    const queue = new Queue(stack, 'Careless', { enforceSSL: false });
    for (const id of ['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(queue).acknowledge({ id, reason: 'Test fixture proving acknowledgements work.' });
    }

    // Act and Assess
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('fails synth of the app when a function role is given a statement on every resource', () => {
    // Prepare: the app as buildApp makes it, then s3:GetObject on * for the ingest function
    const { stack } = buildTestApp('dev', { bundle: false });
    stack.ingest.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
    );

    // Act and Assess: only the X-Ray policy's Resource::* is acknowledged
    expect(() => Template.fromStack(stack)).toThrow(
      /Ingest\/Role\/DefaultPolicy[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/,
    );
  });

  it('passes the stack with push consumers (a queue, its key and a role each), and each role reads only its own queue', () => {
    // Prepare
    const { stack } = buildStackWith({
      ...STAGES.dev,
      organisations: [{ code: 'PF-BTP', principals: [] }],
      pushConsumers: [
        { name: 'case-system', principals: [] },
        { name: 'analytics', principals: [] },
      ],
    });
    // Act
    const template = Template.fromStack(stack);
    // Assess
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { RoleName: 'msht-dev-feed-case-system-consumer' },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    const queues = template.findResources('AWS::SQS::Queue');
    const queueIdOf = (name: string) =>
      Object.entries(queues).find(
        ([, q]) => (q as { Properties: { QueueName?: string } }).Properties.QueueName === name,
      )?.[0];
    const own = queueIdOf('msht-dev-feed-case-system');
    const other = queueIdOf('msht-dev-feed-analytics');
    expect(own && other).toBeTruthy();
    // The role's policies, inline or attached.
    const roleId = Object.keys(roles)[0] as string;
    const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify((p as { Properties: { Roles?: unknown } }).Properties.Roles ?? []).includes(roleId),
    );
    const consumerPolicies = JSON.stringify([roles[roleId], ...attached]);
    expect(consumerPolicies).toContain(own as string);
    expect(consumerPolicies).not.toContain(other as string);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(other as string); // the publisher sends to it
  });

  it('fails synth of the pipeline stack when a construct is added to it without acknowledgement', () => {
    // Prepare: the dev stack with one organisation (a faster synth; the gate is the same).
    const { stack } = buildStackWith({ ...STAGES.dev, organisations: [{ code: 'PF-BTP', principals: [] }] });
    new Queue(stack, 'Unreviewed');

    // Act and Assess
    expect(() => Template.fromStack(stack)).toThrow(/AwsSolutions-SQS3[\s\S]*msht-dev\/Unreviewed/);
  });
});
