import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STAGES, type StageSettings, settingsFor } from '../../infra/config.ts';
import { PipelineStack } from '../../infra/stack.ts';
import { ORGANISATIONS } from '../../schemas/index.ts';
import { buildStackWith, buildTestApp, cdkJsonContext, resourcesOf, synthTemplate } from './build.ts';

/** The dev settings with other organisations (fewer roles make a faster synth). */
const subset = (
  organisations: StageSettings['organisations'],
  extra: Partial<StageSettings> = {},
): StageSettings => ({
  ...STAGES.dev,
  organisations,
  ...extra,
});

// Stage differences are in the template, not the code: skip esbuild bundling here.
const prod = settingsFor('prod');
let template: Template;

beforeAll(() => {
  template = synthTemplate(buildTestApp('prod', { bundle: false }));
});

describe('the prod stage', () => {
  it('protects every table from deletion and retains it', () => {
    for (const table of [prod.tables.uploads, prod.tables.markers, prod.tables.feed]) {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ TableName: table.name, DeletionProtectionEnabled: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('retains buckets, queues, keys and log groups, keeps logs for logRetentionDays, and never auto-deletes objects', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties?.RetentionInDays).toBe(prod.logRetentionDays);
    }
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('locks every upload in the landing bucket with Object Lock, and only there', () => {
    // Prepare
    const buckets = Object.values(resourcesOf(template, 'AWS::S3::Bucket'));
    const locked = buckets.filter((b) => b.Properties?.ObjectLockEnabled === true);

    // Assess
    expect(prod.objectLock).toEqual({ mode: 'GOVERNANCE', days: 90 });
    expect(locked).toHaveLength(1);
    expect(JSON.stringify(locked[0]?.Properties?.BucketName)).toContain(`${prod.landingBucketName}-`);
    expect(locked[0]?.Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 90 } },
    });
  });

  it('names every resource with the prod prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: {
        'Fn::Join': ['', [`${prod.bucketName}-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: prod.queues.ingest });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `${prod.prefix}-ingest` });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: `${prod.prefix}-upload-PF-E23000001` });
  });

  it('keeps curated records longer than uploads, and aggregates until someone deletes them', () => {
    expect(prod.dataRetention.curatedDays).toBeGreaterThan(prod.dataRetention.incomingDays);
    expect(prod.dataRetention.aggregatesDays).toBeNull();
    expect(prod.dataRetention.incomingDays).toBeGreaterThanOrEqual(prod.objectLock?.days ?? 0);
  });
});

describe('stage settings', () => {
  it('list every organisation in schemas by default, in both stages', () => {
    for (const stage of Object.values(STAGES)) {
      expect(stage.organisations.map((o) => o.code)).toEqual(Object.keys(ORGANISATIONS));
    }
  });

  it('keep main-queue retention under dead-letter retention, itself at most 14 days', () => {
    for (const stage of Object.values(STAGES)) {
      expect(stage.queueRetentionDays).toBeLessThan(stage.dlqRetentionDays);
      expect(stage.dlqRetentionDays).toBeLessThanOrEqual(14);
    }
  });
});

describe('stage selection', () => {
  it('rejects an unknown stage instead of guessing', () => {
    expect(() => buildTestApp('staging', { bundle: false })).toThrow(/Unknown stage "staging"/);
  });
});

describe('organisations and principals from settings', () => {
  it('builds upload roles for the configured subset only, trusting the configured principals', () => {
    // Prepare
    const settings = subset(
      [
        {
          code: 'PF-E23000001',
          principals: [{ kind: 'account', accountId: '444455556666', externalId: 'met-uploads' }],
        },
        {
          code: 'NA-NCA',
          principals: [
            { kind: 'saml', providerArn: 'arn:aws:iam::111122223333:saml-provider/NCA' },
            { kind: 'account', accountId: '777788889999' },
          ],
        },
      ],
      { nationalTeam: { principals: [{ kind: 'account', accountId: '222233334444' }] } },
    );

    // Act
    const { stack } = buildStackWith(settings);
    const t = Template.fromStack(stack);
    const trust = (name: string) =>
      Object.values(resourcesOf(t, 'AWS::IAM::Role')).find((r) => r.Properties?.RoleName === name)?.Properties
        ?.AssumeRolePolicyDocument as { Statement: unknown[] };

    // Assess
    expect([...stack.uploadRoles.keys()]).toEqual(['PF-E23000001', 'NA-NCA']);
    expect(
      Object.values(resourcesOf(t, 'AWS::IAM::Role')).filter(
        (r) =>
          String(r.Properties?.RoleName).includes('-upload-') &&
          r.Properties?.RoleName !== 'msht-dev-upload-form-signer',
      ),
    ).toHaveLength(2);
    expect(trust('msht-dev-upload-PF-E23000001').Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444455556666:root']] },
        },
        Condition: { StringEquals: { 'sts:ExternalId': 'met-uploads' } },
      },
    ]);
    expect(trust('msht-dev-upload-NA-NCA').Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithSAML',
        Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/NCA' },
        Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
      },
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::777788889999:root']] },
        },
      },
    ]);
    expect(JSON.stringify(trust('msht-dev-national-team'))).toContain('222233334444');
  });

  it('refuses a malformed account id or SAML provider ARN, and an organisation listed twice', () => {
    expect(() =>
      buildStackWith(subset([{ code: 'PF-BTP', principals: [{ kind: 'account', accountId: '12345' }] }])),
    ).toThrow(/not an AWS account id/);
    expect(() =>
      buildStackWith(
        subset([{ code: 'PF-BTP', principals: [{ kind: 'saml', providerArn: 'arn:aws:iam::1:role/x' }] }]),
      ),
    ).toThrow(/not the ARN of an IAM SAML provider/);
    expect(() =>
      buildStackWith(
        subset([
          { code: 'PF-BTP', principals: [] },
          { code: 'PF-BTP', principals: [] },
        ]),
      ),
    ).toThrow(/Organisations listed twice: PF-BTP/);
  });
});

describe('optional functions', () => {
  it('are all built by default, from their handlers under the project root', () => {
    const { stack } = buildStackWith(STAGES.dev);
    for (const name of ['aggregate', 'pndExport', 'feedPublisher', 'markerExpiry', 'stuckUploads'] as const) {
      expect([name, stack.scheduled[name] !== undefined]).toEqual([name, true]);
    }
  });

  it('fail the synth when a handler file is missing, rather than leaving its function out', () => {
    const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
    const emptyRoot = mkdtempSync(join(tmpdir(), 'msht-no-handlers-'));
    expect(
      () => new PipelineStack(app, 'NoHandlers', { settings: STAGES.dev, projectRoot: emptyRoot }),
    ).toThrow(/handler of function ingest is missing/);
  });

  it('left out, take their schedule, alarms and the national team’s permission to run them with them', () => {
    // Prepare
    const none = {
      aggregate: null,
      pndExport: null,
      feedPublisher: null,
      markerExpiry: null,
      stuckUploads: null,
      uploadApi: null,
    };

    // Act
    const { stack } = buildStackWith(subset([{ code: 'PF-BTP', principals: [] }]), none);
    const t = Template.fromStack(stack);

    // Assess
    t.resourceCountIs('AWS::Lambda::Function', 3 /* ingest, indexer, CDK auto-delete provider */);
    t.resourceCountIs('AWS::Events::Rule', 0);
    expect(JSON.stringify(t.toJSON())).not.toContain('lambda:InvokeFunction');
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UploadsStuckInProcessing',
      TreatMissingData: 'notBreaching',
    });
  });
});
