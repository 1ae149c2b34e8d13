import { readdirSync } from 'node:fs';
import { type AssetStaging, type CfnElement, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { dlqName, type FunctionSettings, settingsFor, visibilityTimeoutSeconds } from '../../infra/config.ts';
import { createTableInput, queueVisibilityTimeout } from '../../infra/local/resources.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import { buildTestApp, type CfnResource, logicalIdOf, resourcesOf, synthTemplate } from './build.ts';

// One synth (with esbuild bundling, as `cdk synth` does it) for the whole file.
const settings = settingsFor('dev');
let template: Template;
let stack: PipelineStack;

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: true });
  stack = built.stack;
  template = synthTemplate(built);
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const queueId = (name: string) => logicalIdOf(template, 'AWS::SQS::Queue', (p) => p.QueueName === name);
const functionId = (name: string) =>
  logicalIdOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `${settings.prefix}-${name}`);
/** The logical id a `Fn::GetAtt` points at. */
const getAttId = (value: unknown): string => {
  const id = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`Not a Fn::GetAtt: ${JSON.stringify(value)}`);
  return id;
};
const statementsOf = (policy: CfnResource): Statement[] =>
  (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
const policyStatementsOf = (roleId: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(statementsOf);
const roleOf = (fnId: string): string =>
  getAttId(resourcesOf(template, 'AWS::Lambda::Function')[fnId]?.Properties?.Role);
const actionsOn = (statements: Statement[], resource: unknown): string[] =>
  statements
    .filter((s) => asArray(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap((s) => asArray(s.Action))
    .sort();

const consumers: [string, string, FunctionSettings][] = [
  ['ingest', settings.queues.ingest, settings.functions.ingest],
  ['indexer', settings.queues.records, settings.functions.indexer],
];

describe('queues', () => {
  it.each(consumers)(
    'the queue %s consumes is KMS-encrypted, dead-letters after maxReceiveCount and outlasts it',
    (fnName, queueName, fn) => {
      // Prepare
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const queue = queues[queueId(queueName)]?.Properties ?? {};
      const fnTimeout = resourcesOf(template, 'AWS::Lambda::Function')[functionId(fnName)]?.Properties
        ?.Timeout;

      // Act
      const redrive = queue.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };

      // Assess
      expect(redrive.deadLetterTargetArn).toEqual(getAtt(queueId(dlqName(queueName))));
      expect(redrive.maxReceiveCount).toBe(fn.maxReceiveCount);
      expect(queue.VisibilityTimeout).toBe(visibilityTimeoutSeconds(fn));
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(fnTimeout));
    },
  );

  it('every queue, dead-letter queues included, is encrypted with a customer-managed key and refuses plain HTTP', () => {
    // Prepare
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    const keyIds = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));

    // Act
    const denied = (id: string) =>
      policies.some((policy) => {
        return statementsOf(policy).some(
          (s) =>
            s.Effect === 'Deny' &&
            JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }) &&
            JSON.stringify(s.Resource) === JSON.stringify(getAtt(id)),
        );
      });

    // Assess
    expect(Object.keys(queues)).toHaveLength(4);
    for (const [id, queue] of Object.entries(queues)) {
      expect(keyIds).toContain(getAttId(queue.Properties?.KmsMasterKeyId));
      expect(denied(id)).toBe(true);
    }
  });

  it('dead-letter queues are named by dlqName and keep messages for dlqRetentionDays', () => {
    for (const [, queueName] of consumers) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: dlqName(queueName),
        MessageRetentionPeriod: settings.dlqRetentionDays * 86_400,
      });
    }
  });
});

describe('event source mappings', () => {
  it.each(consumers)(
    '%s consumes its queue with its batch settings and partial batch responses',
    (fnName, queueName, fn) => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(fnName) },
        EventSourceArn: getAtt(queueId(queueName)),
        BatchSize: fn.batchSize,
        MaximumBatchingWindowInSeconds: fn.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('there is exactly one mapping per function', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });
});

describe('data bucket', () => {
  const bucketId = () =>
    logicalIdOf(template, 'AWS::S3::Bucket', (p) => p.BucketName === settings.bucketName);

  it('is SSE-KMS with a rotating customer-managed key, versioned, private and logged to another bucket', () => {
    // Prepare
    const bucket = resourcesOf(template, 'AWS::S3::Bucket')[bucketId()]?.Properties ?? {};
    const sse = (bucket.BucketEncryption as { ServerSideEncryptionConfiguration: Record<string, unknown>[] })
      .ServerSideEncryptionConfiguration[0] as {
      ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: { 'Fn::GetAtt': [string] } };
    };
    const keyId = getAttId(sse.ServerSideEncryptionByDefault.KMSMasterKeyID);

    // Assess
    expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(resourcesOf(template, 'AWS::KMS::Key')[keyId]?.Properties?.EnableKeyRotation).toBe(true);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const logging = bucket.LoggingConfiguration as { DestinationBucketName: { Ref: string } };
    expect(logging.DestinationBucketName.Ref).not.toBe(bucketId());
    expect(Object.keys(resourcesOf(template, 'AWS::S3::Bucket'))).toContain(
      logging.DestinationBucketName.Ref,
    );
  });

  it('every bucket denies requests that are not over TLS', () => {
    for (const id of Object.keys(resourcesOf(template, 'AWS::S3::Bucket'))) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('notifies the ingest queue of objects created under incoming/ only, once its queue policy lets S3 send', () => {
    // Prepare
    const ingestQueue = queueId(settings.queues.ingest);
    const bucket = resourcesOf(template, 'AWS::S3::Bucket')[bucketId()] as CfnResource;
    const queuePolicyId = logicalIdOf(
      template,
      'AWS::SQS::QueuePolicy',
      (p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: ingestQueue }]),
    );

    // Assess
    expect(bucket.Properties?.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } },
          Queue: getAtt(ingestQueue),
        },
      ],
    });
    expect(asArray(bucket.DependsOn)).toContain(queuePolicyId);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ingestQueue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: Match.objectLike({ ArnEquals: Match.anyValue() }),
          }),
        ]),
      },
    });
  });

  it("lets S3 use the ingest queue's key, which is not the bucket's key", () => {
    // Prepare
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId(settings.queues.ingest)]?.Properties;
    const queueKey = getAttId(queue?.KmsMasterKeyId);
    const bucket = resourcesOf(template, 'AWS::S3::Bucket')[bucketId()]?.Properties;

    // Act
    const keyPolicy = resourcesOf(template, 'AWS::KMS::Key')[queueKey]?.Properties?.KeyPolicy as {
      Statement: (Statement & { Principal?: unknown })[];
    };

    // Assess
    expect(JSON.stringify(bucket?.BucketEncryption)).not.toContain(queueKey);
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
    );
  });
});

describe('tables', () => {
  it.each([settings.tables.uploads, settings.tables.markers])(
    '$name has the keys and indexes the local stack creates, a customer-managed key and point-in-time recovery',
    (table) => {
      // Prepare
      const local = createTableInput(table);

      // Assess
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: table.name,
        BillingMode: local.BillingMode,
        KeySchema: local.KeySchema,
        AttributeDefinitions: Match.arrayEquals(local.AttributeDefinitions ?? []),
        GlobalSecondaryIndexes: Match.arrayEquals(
          (local.GlobalSecondaryIndexes ?? []).map((index) => Match.objectEquals({ ...index })),
        ),
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: false,
      });
    },
  );

  it('every KMS key rotates', () => {
    for (const key of Object.values(resourcesOf(template, 'AWS::KMS::Key'))) {
      expect(key.Properties?.EnableKeyRotation).toBe(true);
    }
  });
});

describe('functions', () => {
  it.each(consumers)(
    '%s runs Node.js 24 on arm64 with tracing, JSON logs and the settings memory and timeout',
    (fnName, _queue, fn) => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${settings.prefix}-${fnName}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: fn.memoryMb,
        Timeout: fn.timeoutSeconds,
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      });
    },
  );

  it.each(consumers)(
    '%s gets every variable in ENV, and the log group keeps logs for logRetentionDays',
    (fnName) => {
      // Prepare
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionId(fnName)]?.Properties ?? {};
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      const logGroupId = (fn.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;

      // Assess
      expect(Object.keys(variables)).toEqual(expect.arrayContaining(Object.values(ENV)));
      expect(variables[ENV.bucket]).toBe(settings.bucketName);
      expect(variables[ENV.uploadsTable]).toBe(settings.tables.uploads.name);
      expect(variables[ENV.markersTable]).toBe(settings.tables.markers.name);
      expect(variables[ENV.recordsQueueUrl]).toEqual({ Ref: queueId(settings.queues.records) });
      expect(variables[ENV.stage]).toBe('dev');
      expect(resourcesOf(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toEqual(
        expect.objectContaining({ RetentionInDays: settings.logRetentionDays }),
      );
    },
  );

  it('are bundled by esbuild as ESM with source maps, and Node.js applies them', () => {
    for (const fn of [stack.ingest, stack.indexer]) {
      // Prepare
      const staging = fn.fn.node.findChild('Code').node.findChild('Stage') as AssetStaging;
      const id = stack.getLogicalId(fn.fn.node.defaultChild as CfnElement);
      const env = resourcesOf(template, 'AWS::Lambda::Function')[id]?.Properties?.Environment as {
        Variables: Record<string, unknown>;
      };

      // Act
      const files = readdirSync(staging.absoluteStagedPath).sort();

      // Assess
      expect(files).toEqual(['index.mjs', 'index.mjs.map']);
      expect(env.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });
});

describe('IAM', () => {
  it('roles carry no managed policies and no wildcard action', () => {
    for (const role of Object.values(resourcesOf(template, 'AWS::IAM::Role'))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
    for (const policy of Object.values(resourcesOf(template, 'AWS::IAM::Policy'))) {
      for (const statement of statementsOf(policy)) {
        for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
      }
    }
  });

  it('the only wildcard resources are X-Ray (no resource-level permissions) and acknowledged S3 prefixes', () => {
    // Prepare
    const bucketArn = getAtt(
      logicalIdOf(template, 'AWS::S3::Bucket', (p) => p.BucketName === settings.bucketName),
    );
    const prefixArn = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });
    const allowedPrefixes = ['incoming/', 'reports/', 'curated/'].map((p) => JSON.stringify(prefixArn(p)));

    // Act
    const wildcards = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .flatMap(statementsOf)
      .flatMap((statement) =>
        asArray(statement.Resource)
          .filter((resource) => JSON.stringify(resource).includes('*'))
          .map((resource) => ({ resource, actions: asArray(statement.Action) })),
      );

    // Assess
    expect(wildcards.length).toBeGreaterThan(0);
    for (const { resource, actions } of wildcards) {
      if (resource === '*') {
        expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      } else {
        expect(allowedPrefixes).toContain(JSON.stringify(resource));
      }
    }
  });

  it.each(['ingest', 'indexer'] as const)(
    "every wildcard resource in %s's policy is acknowledged to cdk-nag on its role",
    (name) => {
      // Prepare
      const fn = stack[name];
      const acknowledged = fn.role.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
        .map((id) => id.replace(/^annotation::/i, ''));

      // Act
      const findings = policyStatementsOf(stack.getLogicalId(fn.role.node.defaultChild as CfnElement))
        .flatMap((statement) => asArray(statement.Resource))
        .map((resource) => `AwsSolutions-IAM5[Resource::${flattenCfnReference(resource)}]`)
        .filter((finding) => finding.includes('*'));

      // Assess
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) expect(acknowledged).toContain(finding);
    },
  );

  it('ingest reads uploads, writes reports and curated objects, sends records and keeps the ledger', () => {
    // Prepare
    const statements = policyStatementsOf(roleOf(functionId('ingest')));
    const bucketArn = getAtt(
      logicalIdOf(template, 'AWS::S3::Bucket', (p) => p.BucketName === settings.bucketName),
    );
    const prefix = (p: string) => ({ 'Fn::Join': ['', [bucketArn, `/${p}*`]] });
    const uploadsTable = logicalIdOf(
      template,
      'AWS::DynamoDB::Table',
      (p) => p.TableName === settings.tables.uploads.name,
    );

    // Assess
    expect(actionsOn(statements, prefix('incoming/'))).toEqual(['s3:GetObject']);
    expect(actionsOn(statements, prefix('reports/'))).toEqual(['s3:AbortMultipartUpload', 's3:PutObject']);
    expect(actionsOn(statements, prefix('curated/'))).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(actionsOn(statements, getAtt(queueId(settings.queues.records)))).toEqual(['sqs:SendMessage']);
    expect(actionsOn(statements, getAtt(uploadsTable))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    for (const index of settings.tables.uploads.indexes) {
      expect(
        actionsOn(statements, { 'Fn::Join': ['', [getAtt(uploadsTable), `/index/${index.name}`]] }),
      ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    }
    expect(actionsOn(statements, getAtt(queueId(settings.queues.ingest)))).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
  });

  it('the indexer touches no bucket and sends nothing; it keeps markers and updates the ledger', () => {
    // Prepare
    const statements = policyStatementsOf(roleOf(functionId('indexer')));
    const actions = statements.flatMap((s) => asArray(s.Action));
    const table = (name: string) =>
      getAtt(logicalIdOf(template, 'AWS::DynamoDB::Table', (p) => p.TableName === name));

    // Assess
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actionsOn(statements, table(settings.tables.markers.name))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOn(statements, table(settings.tables.uploads.name))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
  });
});

describe('settings parity with the local stack', () => {
  it('queues get the visibility timeouts and redrive counts the local stack gives them, from the same settings', () => {
    for (const [, queueName, fn] of consumers) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queueName,
        VisibilityTimeout: queueVisibilityTimeout(fn),
        RedrivePolicy: Match.objectLike({ maxReceiveCount: fn.maxReceiveCount }),
      });
    }
  });
});
