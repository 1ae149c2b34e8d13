import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../infra/config.ts';
import { buildTestApp, resourcesOf, synthTemplate } from './build.ts';

// Stage differences are in the template, not the code: skip esbuild bundling here.
const prod = settingsFor('prod');
let template: Template;

beforeAll(() => {
  template = synthTemplate(buildTestApp('prod', { bundle: false }));
});

describe('the prod stage', () => {
  it('protects both tables from deletion and retains them', () => {
    for (const table of [prod.tables.uploads, prod.tables.markers]) {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ TableName: table.name, DeletionProtectionEnabled: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('retains buckets, queues, keys and log groups, and keeps logs for logRetentionDays', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
    for (const logGroup of Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties?.RetentionInDays).toBe(prod.logRetentionDays);
    }
  });

  it('names every resource with the prod prefix', () => {
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: prod.bucketName });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: prod.queues.ingest });
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: `${prod.prefix}-ingest` });
  });
});

describe('stage selection', () => {
  it('rejects an unknown stage instead of guessing', () => {
    expect(() => buildTestApp('staging', { bundle: false })).toThrow(/Unknown stage "staging"/);
  });
});
