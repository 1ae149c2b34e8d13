import { readdirSync } from 'node:fs';
import { type AssetStaging, type CfnElement, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { dlqName, type FunctionSettings, settingsFor, visibilityTimeoutSeconds } from '../../infra/config.ts';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import { createTableInput, queueVisibilityTimeout } from '../../infra/local/resources.ts';
import type { PipelineStack } from '../../infra/stack.ts';
import { PREFIXES, uploadProgressPrefix, uploadStatusPrefix } from '../../schemas/object-keys.ts';
import { queryDatabaseName } from '../../schemas/query/athena-names.ts';
import { buildTestApp, type CfnResource, logicalIdOf, resourcesOf, synthTemplate } from './build.ts';

// One synth for the whole file, with esbuild bundling as `cdk synth` does it, of every function.
const settings = settingsFor('dev');
let template: Template;
let stack: PipelineStack;

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: true });
  stack = built.stack;
  template = synthTemplate(built);
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const queueId = (name: string) => logicalIdOf(template, 'AWS::SQS::Queue', (p) => p.QueueName === name);
const getAttId = (value: unknown): string => {
  const id = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`Not a Fn::GetAtt: ${JSON.stringify(value)}`);
  return id;
};
const statementsOf = (policy: CfnResource): Statement[] =>
  (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
const roleStatements = (roleId: string): Statement[] => [
  ...asArray(
    resourcesOf(template, 'AWS::IAM::Role')[roleId]?.Properties?.Policies as
      | { PolicyDocument: { Statement: Statement[] } }[]
      | undefined,
  ).flatMap((p) => p.PolicyDocument.Statement),
  ...Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(statementsOf),
];
const actionsOn = (statements: Statement[], resource: unknown): string[] =>
  statements
    .filter((s) => asArray(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(resource)))
    .flatMap((s) => asArray(s.Action))
    .sort();
const fnProps = (fn: PipelineFunction) =>
  resourcesOf(template, 'AWS::Lambda::Function')[idOf(fn.fn)]?.Properties ?? {};
const allFunctions = (): [string, PipelineFunction][] => [...stack.functions];

const consumers: [string, string, FunctionSettings][] = [
  ['ingest', settings.queues.ingest, settings.functions.ingest],
  ['indexer', settings.queues.records, settings.functions.indexer],
];

describe('queues', () => {
  it.each(consumers)(
    'the queue %s consumes dead-letters after maxReceiveCount and hides a message for six function timeouts',
    (fnName, queueName, fn) => {
      // Prepare
      const queue = resourcesOf(template, 'AWS::SQS::Queue')[queueId(queueName)]?.Properties ?? {};
      const consumer = fnName === 'ingest' ? stack.ingest : stack.indexer;

      // Act
      const redrive = queue.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };

      // Assess
      expect(redrive.deadLetterTargetArn).toEqual(getAtt(queueId(dlqName(queueName))));
      expect(redrive.maxReceiveCount).toBe(fn.maxReceiveCount);
      expect(queue.VisibilityTimeout).toBe(visibilityTimeoutSeconds(fn));
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(fnProps(consumer).Timeout));
      expect(queue.MessageRetentionPeriod).toBe(settings.queueRetentionDays * 86_400);
    },
  );

  it('the feed queue takes its visibility timeout and redrive count from settings', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: settings.queues.feed,
      VisibilityTimeout: settings.feedQueue.visibilityTimeoutSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: getAtt(queueId(dlqName(settings.queues.feed))),
        maxReceiveCount: 5,
      },
    });
  });

  it('every queue, dead-letter queues included, is encrypted with a customer-managed key and refuses plain HTTP', () => {
    // Prepare
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    const keyIds = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));

    // Act
    const deniesHttp = (id: string) =>
      policies.some((policy) =>
        statementsOf(policy).some(
          (s) =>
            s.Effect === 'Deny' &&
            JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }) &&
            JSON.stringify(s.Resource) === JSON.stringify(getAtt(id)),
        ),
      );

    // Assess: three queues with their DLQs, and the scheduled-failures queue.
    expect(Object.keys(queues)).toHaveLength(7);
    for (const [id, queue] of Object.entries(queues)) {
      expect(keyIds).toContain(getAttId(queue.Properties?.KmsMasterKeyId));
      expect(deniesHttp(id)).toBe(true);
    }
  });

  it('dead-letter queues, and the scheduled-failures queue, keep messages for dlqRetentionDays', () => {
    for (const name of [
      dlqName(settings.queues.ingest),
      dlqName(settings.queues.records),
      dlqName(settings.queues.feed),
      `${settings.prefix}-scheduled-failures`,
    ]) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: name,
        MessageRetentionPeriod: settings.dlqRetentionDays * 86_400,
      });
    }
  });
});

describe('event source mappings', () => {
  it.each(consumers)(
    '%s consumes its queue with its batch settings and partial batch responses',
    (fnName, queueName, fn) => {
      const consumer = fnName === 'ingest' ? stack.ingest : stack.indexer;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: idOf(consumer.fn) },
        EventSourceArn: getAtt(queueId(queueName)),
        BatchSize: fn.batchSize,
        MaximumBatchingWindowInSeconds: fn.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('there is exactly one mapping per queue-consuming function, created after its role policy', () => {
    const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
    expect(Object.keys(mappings)).toHaveLength(2);
    for (const mapping of Object.values(mappings)) {
      expect(asArray(mapping.DependsOn).some((id) => id.includes('RoleDefaultPolicy'))).toBe(true);
    }
  });
});

describe('buckets', () => {
  const bucket = (which: 'landing' | 'data') =>
    resourcesOf(template, 'AWS::S3::Bucket')[idOf(stack[which].bucket)];

  it.each(['landing', 'data'] as const)(
    'the %s bucket is SSE-KMS with its own rotating key, versioned, private, logged, and named per account and region',
    (which) => {
      // Prepare
      const props = bucket(which)?.Properties ?? {};
      const sse = (props.BucketEncryption as { ServerSideEncryptionConfiguration: Record<string, unknown>[] })
        .ServerSideEncryptionConfiguration[0] as {
        BucketKeyEnabled: boolean;
        ServerSideEncryptionByDefault: { SSEAlgorithm: string; KMSMasterKeyID: unknown };
      };
      const keyId = getAttId(sse.ServerSideEncryptionByDefault.KMSMasterKeyID);

      // Assess
      expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(sse.BucketKeyEnabled).toBe(true);
      expect(keyId).toBe(idOf(stack[which].key as never));
      expect(resourcesOf(template, 'AWS::KMS::Key')[keyId]?.Properties?.EnableKeyRotation).toBe(true);
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(
        (props.LoggingConfiguration as { DestinationBucketName: unknown }).DestinationBucketName,
      ).toEqual({
        Ref: idOf(stack.accessLogs.bucket),
      });
      const base = which === 'landing' ? settings.landingBucketName : settings.bucketName;
      expect(props.BucketName).toEqual({
        'Fn::Join': ['', [`${base}-`, { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
      });
    },
  );

  it('landing and data buckets have different keys, and neither is the ingest queue key (CDK F3004)', () => {
    const keys = [stack.landing.key, stack.data.key, stack.ingestQueue.key].map((k) => idOf(k as never));
    expect(new Set(keys).size).toBe(3);
  });

  it('expire objects per prefix as dataRetention says, and noncurrent versions after noncurrentVersionDays', () => {
    // Prepare
    const rules = (which: 'landing' | 'data') =>
      (bucket(which)?.Properties?.LifecycleConfiguration as { Rules: Record<string, unknown>[] } | undefined)
        ?.Rules ?? [];
    const r = settings.dataRetention;

    // Assess
    expect(rules('landing')).toContainEqual(
      expect.objectContaining({
        Prefix: PREFIXES.incoming,
        ExpirationInDays: r.incomingDays,
        Status: 'Enabled',
      }),
    );
    for (const [prefix, days] of [
      [PREFIXES.reports, r.reportsDays],
      [PREFIXES.curated, r.curatedDays],
      [PREFIXES.aggregates, r.aggregatesDays],
    ] as const) {
      expect(rules('data')).toContainEqual(
        expect.objectContaining({ Prefix: prefix, ExpirationInDays: days }),
      );
    }
    for (const which of ['landing', 'data'] as const) {
      expect(rules(which)).toContainEqual(
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: r.noncurrentVersionDays },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        }),
      );
    }
  });

  it('dev empties its three buckets when the stack is deleted, and has no Object Lock', () => {
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
    for (const b of Object.values(resourcesOf(template, 'AWS::S3::Bucket'))) {
      expect(b.Properties?.ObjectLockEnabled).toBeUndefined();
    }
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

  it('the landing bucket notifies the ingest queue of objects created under incoming/ once the queue policy lets S3 send', () => {
    // Prepare
    const ingestQueue = queueId(settings.queues.ingest);
    const landing = bucket('landing') as CfnResource;
    const queuePolicyId = logicalIdOf(
      template,
      'AWS::SQS::QueuePolicy',
      (p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: ingestQueue }]),
    );

    // Assess
    expect(landing.Properties?.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: PREFIXES.incoming }] } },
          Queue: getAtt(ingestQueue),
        },
      ],
    });
    expect(bucket('data')?.Properties?.NotificationConfiguration).toBeUndefined();
    expect(asArray(landing.DependsOn)).toContain(queuePolicyId);
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
});

describe('tables', () => {
  it.each([settings.tables.uploads, settings.tables.markers, settings.tables.feed])(
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
        ...(local.GlobalSecondaryIndexes
          ? {
              GlobalSecondaryIndexes: Match.arrayEquals(
                local.GlobalSecondaryIndexes.map((index) => Match.objectEquals({ ...index })),
              ),
            }
          : {}),
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
  it('all seven pipeline functions and the stuck-uploads check are built', () => {
    expect(allFunctions().map(([name]) => name)).toEqual([
      'ingest',
      'indexer',
      'aggregate',
      'pndExport',
      'feedPublisher',
      'markerExpiry',
      'stuckUploads',
      'uploadApi',
    ]);
  });

  it('serves the upload API on a Function URL that only IAM-signed requests reach', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: Match.objectLike({
        'Fn::GetAtt': [stack.getLogicalId(stack.uploadApi?.fn.fn.node.defaultChild as CfnElement), 'Arn'],
      }),
    });
  });

  it('run Node.js 24 on arm64 with tracing, JSON logs and the memory and timeout of their settings', () => {
    const expected: Record<string, { memoryMb: number; timeoutSeconds: number }> = {
      ingest: settings.functions.ingest,
      indexer: settings.functions.indexer,
      aggregate: settings.aggregation,
      pndExport: settings.scheduled.pndExport,
      feedPublisher: settings.scheduled.feedPublisher,
      markerExpiry: settings.scheduled.markerExpiry,
      stuckUploads: { memoryMb: 256, timeoutSeconds: 60 },
      uploadApi: settings.uploadApi,
    };
    for (const [name, fn] of allFunctions()) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: fn.functionName,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: expected[name]?.memoryMb,
        Timeout: expected[name]?.timeoutSeconds,
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: idOf(fn.logGroup) } }),
      });
    }
  });

  it('get only the environment variables they read, with the real resource names', () => {
    // Prepare
    const dataBucketName = resourcesOf(template, 'AWS::S3::Bucket')[idOf(stack.data.bucket)]?.Properties
      ?.BucketName;
    const env = (fn: PipelineFunction) =>
      (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
    // test/infra/function-contract.test.ts derives these from the functions' config parsers.
    const common = [ENV.logLevel, ENV.serviceName, 'NODE_OPTIONS'];
    const markerEnv = [
      ENV.markersTable,
      ENV.feedTable,
      ENV.retentionRules,
      ENV.pndSettings,
      ENV.feedSettings,
    ];
    const expected: Record<string, string[]> = {
      ingest: [
        ENV.stage,
        ENV.bucket,
        ENV.recordsQueueUrl,
        ENV.uploadsTable,
        ENV.markersTable,
        ENV.ingestMaxFileBytes,
        ENV.ingestMaxDecompressedBytes,
        ENV.ingestMaxRows,
        ENV.ingestMaxRejectedShare,
        ENV.pseudonymKeySecret,
        ENV.pseudonymKeyVersion,
      ],
      indexer: [
        ENV.stage,
        ENV.bucket,
        ENV.recordsQueueUrl,
        ENV.uploadsTable,
        ...markerEnv,
        ENV.pseudonymKeySecret,
        ENV.pseudonymKeyVersion,
      ],
      aggregate: [
        ENV.stage,
        ENV.bucket,
        ENV.uploadsTable,
        ENV.markersTable,
        ENV.aggregateSubmissionDays,
        ENV.aggregatePublication,
        ENV.aggregateSchedule,
        ENV.disclosurePolicy,
      ],
      pndExport: [ENV.bucket, ...markerEnv],
      feedPublisher: [...markerEnv, ENV.feedQueueUrl, ENV.feedPushQueues],
      markerExpiry: markerEnv,
      stuckUploads: [ENV.stage, ENV.uploadsTable, ENV.stuckAfterSeconds],
      uploadApi: [
        ENV.landingBucket,
        ENV.ingestMaxFileBytes,
        ENV.prefix,
        ENV.organisations,
        ENV.uploadFormSignerRoleArn,
      ],
    };

    // Assess
    for (const [name, fn] of allFunctions()) {
      expect([name, Object.keys(env(fn)).sort()]).toEqual([
        name,
        [...(expected[name] ?? []), ...common].sort(),
      ]);
    }
    const ingest = env(stack.ingest);
    expect(ingest[ENV.bucket]).toEqual(dataBucketName);
    expect(ingest[ENV.uploadsTable]).toBe(settings.tables.uploads.name);
    expect(ingest[ENV.recordsQueueUrl]).toEqual({ Ref: queueId(settings.queues.records) });
    expect(ingest[ENV.stage]).toBe('dev');
    expect(ingest[ENV.ingestMaxRows]).toBe(String(settings.ingestLimits.maxRows));
    expect(JSON.parse(String(env(stack.indexer)[ENV.retentionRules]))).toEqual(settings.retention);
    expect(JSON.parse(String(env(stack.indexer)[ENV.pndSettings]))).toEqual(settings.pnd);
    expect(env(stack.scheduled.aggregate as PipelineFunction)[ENV.aggregateSubmissionDays]).toBe(
      String(settings.aggregation.submissionDays),
    );
  });

  it('creates the pseudonym key: a generated 256-bit hex key in Secrets Manager under a key of its own', () => {
    // Prepare
    const secret = resourcesOf(template, 'AWS::SecretsManager::Secret')[idOf(stack.pseudonymKey)];
    const key = resourcesOf(template, 'AWS::KMS::Key')[idOf(stack.pseudonymKey.key)];
    const generate = secret?.Properties?.GenerateSecretString as Record<string, unknown>;
    const statements =
      (key?.Properties?.KeyPolicy as { Statement: Record<string, unknown>[] } | undefined)?.Statement ?? [];

    // Assess
    expect(secret?.Properties?.Name).toBe(settings.pseudonyms.secretName);
    expect(secret?.Properties?.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(stack.pseudonymKey.key), 'Arn'] });
    expect(JSON.parse(String(generate.SecretStringTemplate))).toEqual({
      version: settings.pseudonyms.keyVersion,
    });
    expect(generate).toMatchObject({ GenerateStringKey: 'key', PasswordLength: 64, ExcludeUppercase: true });
    // Only 0-9 and a-f remain: 64 characters of 16 are 256 bits.
    const left = [...'abcdefghijklmnopqrstuvwxyz'].filter(
      (c) => !String(generate.ExcludeCharacters).includes(c),
    );
    expect(left.join('')).toBe('abcdef');
    expect(key?.Properties?.EnableKeyRotation).toBe(true);
    expect(statements.map((st) => st.Sid)).toEqual([
      'AllowKeyAdministration',
      'AllowUseThroughSecretsManager',
    ]);
    expect(JSON.stringify(statements[1])).toContain('secretsmanager.');
  });

  it('log into log groups encrypted with the logs key, kept for logRetentionDays', () => {
    // Prepare
    const logKey = logicalIdOf(template, 'AWS::KMS::Key', (p) =>
      String(p.Description).startsWith('Encrypts the CloudWatch Logs'),
    );
    const keyPolicy = resourcesOf(template, 'AWS::KMS::Key')[logKey]?.Properties?.KeyPolicy as {
      Statement: (Statement & { Principal?: unknown })[];
    };

    // Assess
    for (const [, fn] of allFunctions()) {
      expect(resourcesOf(template, 'AWS::Logs::LogGroup')[idOf(fn.logGroup)]?.Properties).toEqual({
        LogGroupName: `/aws/lambda/${fn.functionName}`,
        RetentionInDays: settings.logRetentionDays,
        KmsKeyId: getAtt(logKey),
      });
    }
    expect(JSON.stringify(keyPolicy.Statement)).toContain(`log-group:/aws/lambda/${settings.prefix}-*`);
  });

  it('are bundled by esbuild as ESM with source maps, and Node.js applies them', () => {
    for (const [name, fn] of allFunctions()) {
      // Prepare
      const staging = fn.fn.node.findChild('Code').node.findChild('Stage') as AssetStaging;

      // Act
      const files = readdirSync(staging.absoluteStagedPath).sort();

      // Assess
      expect(files).toEqual(['index.mjs', 'index.mjs.map']);
      const nodeOptions = (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables
        .NODE_OPTIONS;
      expect([name, String(nodeOptions).split(' ')[0]]).toEqual([name, '--enable-source-maps']);
    }
  });

  it('give ingest a /tmp that holds a spooled .xlsx of maxFileBytes, and the others the default', () => {
    for (const [name, fn] of allFunctions()) {
      const size = (fnProps(fn).EphemeralStorage as { Size: number } | undefined)?.Size;
      if (name === 'ingest')
        expect(size).toBeGreaterThanOrEqual(settings.ingestLimits.maxFileBytes / (1024 * 1024));
      else expect([name, size]).toEqual([name, undefined]);
    }
  });
});

describe('schedules', () => {
  const scheduledCases = () =>
    [
      ['aggregate', stack.scheduled.aggregate, settings.aggregation],
      ['pndExport', stack.scheduled.pndExport, settings.scheduled.pndExport],
      ['feedPublisher', stack.scheduled.feedPublisher, settings.scheduled.feedPublisher],
      ['markerExpiry', stack.scheduled.markerExpiry, settings.scheduled.markerExpiry],
    ] as const;

  it('each scheduled function runs on its settings schedule, retried, with undeliverable events dead-lettered', () => {
    for (const [, fn, fnSettings] of scheduledCases()) {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: fnSettings.schedule,
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: getAtt(idOf((fn as PipelineFunction).fn)),
            DeadLetterConfig: { Arn: getAtt(idOf(stack.scheduledFailures.queue)) },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
          }),
        ],
      });
    }
  });

  it('the monthly aggregation runs early each month, after the submission window', () => {
    expect(settings.aggregation.schedule).toBe('cron(0 3 6 * ? *)');
    expect(6).toBeGreaterThan(settings.aggregation.submissionDays);
  });

  it('failed asynchronous invocations go to the scheduled-failures queue, and one run at a time', () => {
    for (const [, fn, fnSettings] of scheduledCases()) {
      const f = fn as PipelineFunction;
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: idOf(f.fn) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: getAtt(idOf(stack.scheduledFailures.queue)) } },
      });
      expect(fnProps(f).ReservedConcurrentExecutions).toBe(fnSettings.reservedConcurrency);
      expect(actionsOn(roleStatements(idOf(f.role)), getAtt(idOf(stack.scheduledFailures.queue)))).toEqual([
        'sqs:SendMessage',
      ]);
    }
  });

  it('EventBridge may dead-letter into the failures queue and use its key', () => {
    const keyPolicy = resourcesOf(template, 'AWS::KMS::Key')[idOf(stack.scheduledFailures.key as never)]
      ?.Properties?.KeyPolicy as { Statement: (Statement & { Principal?: unknown })[] };
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }),
    );
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: idOf(stack.scheduledFailures.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
          }),
        ]),
      },
    });
  });
});

describe('alarms and dashboard', () => {
  const alarms = () =>
    Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties ?? {});
  const alarmNamed = (name: string) => {
    const found = alarms().filter((a) => a.AlarmName === name);
    if (found.length !== 1) throw new Error(`Expected one alarm ${name}, found ${found.length}`);
    return found[0] as Record<string, unknown>;
  };

  it('every alarm notifies the topic on ALARM and on OK', () => {
    const topic = { Ref: idOf(stack.alarms.topic) };
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
    }
  });

  it('the topic is KMS-encrypted, refuses plain HTTP and lets CloudWatch alarms of this account publish', () => {
    const topic = resourcesOf(template, 'AWS::SNS::Topic')[idOf(stack.alarms.topic)]?.Properties ?? {};
    expect(getAttId(topic.KmsMasterKeyId)).toMatch(/^AlarmsKey/);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });

  it('alarm when any dead-letter queue or the scheduled-failures queue holds a message', () => {
    for (const name of [
      dlqName(settings.queues.ingest),
      dlqName(settings.queues.records),
      dlqName(settings.queues.feed),
      `${settings.prefix}-scheduled-failures`,
    ]) {
      const alarm = alarmNamed(`${name}-not-empty`);
      expect(alarm).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(name), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarm when the oldest message of the ingest or records queue is older than its threshold', () => {
    for (const [name, seconds] of [
      [settings.queues.ingest, settings.alarms.oldestMessageAgeSeconds.ingest],
      [settings.queues.records, settings.alarms.oldestMessageAgeSeconds.records],
    ] as const) {
      expect(alarmNamed(`${name}-oldest-message-age`)).toMatchObject({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Threshold: seconds,
      });
    }
  });

  it('alarm on errors and throttles of every function', () => {
    for (const [, fn] of allFunctions()) {
      for (const [suffix, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        expect(alarmNamed(`${fn.functionName}-${suffix}`)).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(fn.fn) } }],
          Statistic: 'Sum',
          Threshold: 1,
        });
      }
    }
  });

  it('alarm on uploads stuck in processing, and on the check going silent once it is deployed', () => {
    expect(alarmNamed(`${settings.prefix}-uploads-stuck-in-processing`)).toMatchObject({
      Namespace: 'msht',
      MetricName: 'UploadsStuckInProcessing',
      Dimensions: [
        { Name: 'service', Value: 'msht-stuck-uploads' },
        { Name: 'stage', Value: 'dev' },
      ],
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({ Arn: getAtt(idOf((stack.scheduled.stuckUploads as PipelineFunction).fn)) }),
      ],
    });
  });

  it('one dashboard, named after the stage prefix, shows every alarm', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: settings.prefix });
    expect(stack.dashboard.dashboard).toBeDefined();
    expect(stack.alarms.alarms).toHaveLength(alarms().length);
  });
});

describe('IAM', () => {
  const autoDeleteProvider = (id: string) => id.startsWith('CustomS3AutoDeleteObjectsCustomResourceProvider');

  it("roles carry no managed policies (but CDK's own auto-delete provider in dev) and no wildcard action", () => {
    for (const [id, role] of Object.entries(resourcesOf(template, 'AWS::IAM::Role'))) {
      if (!autoDeleteProvider(id)) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      for (const statement of roleStatements(id)) {
        for (const action of asArray(statement.Action))
          expect([id, action]).not.toEqual([id, expect.stringContaining('*')]);
      }
    }
  });

  it('the only wildcard resources are X-Ray (no resource-level permissions), S3 prefixes and the query database', () => {
    // Act
    const wildcards = Object.keys(resourcesOf(template, 'AWS::IAM::Role'))
      .filter((id) => !autoDeleteProvider(id))
      .flatMap((id) => roleStatements(id))
      .flatMap((statement) =>
        asArray(statement.Resource)
          .filter((resource) => JSON.stringify(resource).includes('*'))
          .map((resource) => ({ resource, actions: asArray(statement.Action) })),
      );

    // Assess
    expect(wildcards.length).toBeGreaterThan(settings.organisations.length);
    for (const { resource, actions } of wildcards) {
      if (resource === '*') {
        expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      } else if (JSON.stringify(resource).includes(':glue:')) {
        // Every table and view of the query database (docs/query.md), read-only.
        expect(JSON.stringify(resource)).toContain(`:table/${queryDatabaseName(settings)}/*`);
        expect(actions.every((a) => a.startsWith('glue:Get'))).toBe(true);
      } else {
        expect(JSON.stringify(resource)).toMatch(
          /"\/(incoming|reports|curated|aggregates|pnd|query-results)\/[^"]*\*"/,
        );
        expect(actions.every((a) => a.startsWith('s3:'))).toBe(true);
      }
    }
  });

  it('every wildcard resource of every role is acknowledged to cdk-nag on that role', () => {
    const roles = [
      ...allFunctions().map(([, fn]) => fn.role),
      ...[...stack.uploadRoles.values()].map((r) => r.access.role),
      stack.nationalTeamRole.role,
      stack.feedConsumerRole.role,
    ];
    let checked = 0;
    const acknowledgedOn = (scope: IConstruct) =>
      scope.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
        .map((id) => id.replace(/^annotation::/i, ''));
    // X-Ray's Resource::* is acknowledged on the function's tracing policy alone, which holds nothing else.
    for (const [, fn] of allFunctions()) {
      const tracing = fn.node.findChild('TracingPolicy');
      expect(acknowledgedOn(tracing)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
      expect(acknowledgedOn(fn.role)).not.toContain('AwsSolutions-IAM5[Resource::*]');
    }
    const isTracing = (statement: Statement) => asArray(statement.Action).every((a) => a.startsWith('xray:'));
    for (const role of roles) {
      // Prepare
      const acknowledged = acknowledgedOn(role);

      // Act
      const findings = roleStatements(idOf(role))
        .filter((statement) => !isTracing(statement))
        .flatMap((statement) => asArray(statement.Resource))
        .map((resource) => `AwsSolutions-IAM5[Resource::${flattenCfnReference(resource)}]`)
        .filter((finding) => finding.includes('*'));

      // Assess
      for (const finding of findings) expect(acknowledged).toContain(finding);
      checked += findings.length;
    }
    expect(checked).toBeGreaterThan(settings.organisations.length);
  });

  it('ingest reads uploads, writes reports and curated objects, sends records and keeps the ledger', () => {
    // Prepare
    const statements = roleStatements(idOf(stack.ingest.role));
    const prefix = (bucket: 'landing' | 'data', p: string) => ({
      'Fn::Join': ['', [getAtt(idOf(stack[bucket].bucket)), `/${p}*`]],
    });
    const uploadsTable = getAtt(idOf(stack.uploads.table));

    // Assess
    expect(actionsOn(statements, prefix('landing', 'incoming/'))).toEqual(['s3:GetObject']);
    expect(actionsOn(statements, getAtt(idOf(stack.landing.bucket)))).toEqual(['s3:ListBucket']);
    expect(actionsOn(statements, prefix('data', 'reports/'))).toEqual([
      's3:AbortMultipartUpload',
      's3:PutObject',
    ]);
    expect(actionsOn(statements, prefix('data', 'curated/'))).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(actionsOn(statements, getAtt(queueId(settings.queues.records)))).toEqual(['sqs:SendMessage']);
    expect(actionsOn(statements, uploadsTable)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOn(statements, { 'Fn::Join': ['', [uploadsTable, '/index/bySha256']] })).toEqual([
      'dynamodb:Query',
    ]);
    expect(actionsOn(statements, getAtt(queueId(settings.queues.ingest)))).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
    expect(actionsOn(statements, getAtt(idOf(stack.ingestQueue.key as never)))).toEqual(['kms:Decrypt']);
  });

  it('the indexer writes only upload status and progress objects to a bucket and sends nothing; it keeps markers (each with its change for the sequencer) and updates the ledger, never the feed log', () => {
    // Prepare
    const statements = roleStatements(idOf(stack.indexer.role));
    const actions = statements.flatMap((s) => asArray(s.Action));

    // Assess
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    const statuses = { 'Fn::Join': ['', [getAtt(idOf(stack.data.bucket)), `/${uploadStatusPrefix('*')}*`]] };
    expect(actionsOn(statements, statuses)).toEqual(['s3:PutObject']);
    const progress = {
      'Fn::Join': ['', [getAtt(idOf(stack.data.bucket)), `/${uploadProgressPrefix('*')}*`]],
    };
    expect(actionsOn(statements, progress)).toEqual(['s3:PutObject']);
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actionsOn(statements, getAtt(idOf(stack.markers.table)))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
    ]);
    expect(actionsOn(statements, getAtt(idOf(stack.uploads.table)))).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    // Only the feed publisher (the sequencer) writes the change log.
    expect(actionsOn(statements, getAtt(idOf(stack.feed.table)))).toEqual([]);
  });

  it('upload roles are named per organisation and trust only this account until principals are configured', () => {
    for (const org of settings.organisations) {
      const uploadRole = stack.uploadRoles.get(org.code)?.access.role as IConstruct;
      const role = resourcesOf(template, 'AWS::IAM::Role')[idOf(uploadRole)]?.Properties;
      expect(role?.RoleName).toBe(`${settings.prefix}-upload-${org.code}`);
      expect(role?.MaxSessionDuration).toBe(3600);
      expect(role?.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
                ],
              },
            },
          },
        ],
      });
    }
  });
});

describe('outputs', () => {
  it('give the real names the CLI and operators need', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'LandingBucketName',
        'DataBucketName',
        'UploadsTableName',
        'MarkersTableName',
        'FeedTableName',
        'RecordsQueueUrl',
        'FeedQueueUrl',
        'IngestDeadLetterQueueArn',
        'IngestQueueArn',
        'RecordsDeadLetterQueueArn',
        'FeedDeadLetterQueueArn',
        'AlarmTopicArn',
        'UploadRoleArnPattern',
        'NationalTeamRoleArn',
        'FeedConsumerRoleArn',
        'DashboardName',
      ]),
    );
    expect(outputs.DataBucketName?.Value).toEqual(
      resourcesOf(template, 'AWS::S3::Bucket')[idOf(stack.data.bucket)]?.Properties?.BucketName,
    );
    expect(outputs.IngestDeadLetterQueueArn?.Value).toEqual(getAtt(queueId(dlqName(settings.queues.ingest))));
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
