import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAggregateConfig } from '../../functions/aggregate/config.ts';
import { loadIngestLimits } from '../../functions/ingest/limits.ts';
import { INGEST_NODE_OPTIONS } from '../../functions/ingest/runtime.ts';
import { loadFunctionConfig } from '../../functions/shared/config.ts';
import { ENV, type EnvName } from '../../functions/shared/env-names.ts';
import { loadMarkerConfig } from '../../functions/shared/marker-config.ts';
import { loadPseudonymKeyConfig } from '../../functions/shared/pseudonym-key.ts';
import { loadUploadApiConfig } from '../../functions/upload-api/config.ts';
import { type StageSettings, settingsFor } from '../../infra/config.ts';
import type { PipelineFunction } from '../../infra/constructs/pipeline-function.ts';
import {
  allows,
  type Request,
  resolveValue,
  roleStatements,
  type Statement,
  TEST_TARGET,
  type TemplateJson,
} from '../../infra/local/iam/policy-evaluator.ts';
import { HANDLERS, type HandlerName, type PipelineStack } from '../../infra/stack.ts';
import {
  CURATED_UPLOADS_PREFIX,
  PREFIXES,
  uploadProgressPrefix,
  uploadStatusPrefix,
} from '../../schemas/object-keys.ts';
import { buildTestApp, synthTemplate } from './build.ts';

// The contract between each deployed function and its code: the environment its config parsers read and
// the IAM its AWS SDK calls need. Nothing is bundled: only the synthesized template is judged.

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every config parser a handler may call, by its exported name, with what the settings say it must yield. */
const PARSERS: Readonly<
  Record<
    string,
    {
      readonly parse: (env: NodeJS.ProcessEnv) => unknown;
      readonly fromSettings: (s: StageSettings) => Record<string, unknown>;
    }
  >
> = {
  loadFunctionConfig: {
    parse: loadFunctionConfig,
    fromSettings: (s) => ({
      stage: s.stage,
      uploadsTable: s.tables.uploads.name,
      markersTable: s.tables.markers.name,
    }),
  },
  loadMarkerConfig: {
    parse: loadMarkerConfig,
    fromSettings: (s) => ({
      markersTable: s.tables.markers.name,
      feedTable: s.tables.feed.name,
      retention: s.retention,
      pnd: s.pnd,
      feed: s.feed,
    }),
  },
  loadAggregateConfig: {
    parse: loadAggregateConfig,
    fromSettings: (s) => ({
      stage: s.stage,
      uploadsTable: s.tables.uploads.name,
      markersTable: s.tables.markers.name,
      submissionDays: s.aggregation.submissionDays,
      disclosure: s.disclosure,
      publication: s.aggregation.publication,
      schedule: s.aggregation.schedule,
    }),
  },
  loadIngestLimits: { parse: loadIngestLimits, fromSettings: (s) => ({ ...s.ingestLimits }) },
  loadPseudonymKeyConfig: {
    parse: loadPseudonymKeyConfig,
    fromSettings: (s) => ({ keyVersion: s.pseudonyms.keyVersion }),
  },
  loadUploadApiConfig: {
    parse: loadUploadApiConfig,
    fromSettings: (s) => ({
      prefix: s.prefix,
      organisations: s.organisations.map((o) => o.code),
      maxFileBytes: s.ingestLimits.maxFileBytes,
    }),
  },
};

/** Two valid values for every `ENV` name (typed, so a new name cannot be left out), all different. */
const validEnv = (variant: 0 | 1): Record<EnvName, string> => {
  const s = settingsFor(variant === 0 ? 'dev' : 'prod');
  const name = (base: string) => `${base}-${variant}`;
  return {
    [ENV.bucket]: name('bucket'),
    [ENV.landingBucket]: name('landing'),
    [ENV.recordsQueueUrl]: `https://sqs.eu-west-2.amazonaws.com/111122223333/${name('records')}`,
    [ENV.uploadsTable]: name('uploads'),
    [ENV.markersTable]: name('markers'),
    [ENV.stage]: s.stage,
    [ENV.feedTable]: name('feed'),
    [ENV.feedPushQueues]: JSON.stringify([
      {
        name: `case-system-${variant}`,
        url: `https://sqs.eu-west-2.amazonaws.com/111122223333/${name('push')}`,
      },
    ]),
    [ENV.feedQueueUrl]: `https://sqs.eu-west-2.amazonaws.com/111122223333/${name('feed')}`,
    [ENV.retentionRules]: JSON.stringify({
      ...s.retention,
      '1': { reviewAfterYears: 10 + variant, onReviewDue: 'REVIEW' },
    }),
    [ENV.pndSettings]: JSON.stringify({ ...s.pnd, maxAttempts: 5 + variant }),
    [ENV.feedSettings]: JSON.stringify({ ...s.feed, maxPublishPerRun: 100 + variant }),
    [ENV.aggregateSubmissionDays]: String(5 + variant),
    [ENV.aggregatePublication]: JSON.stringify({
      ...s.aggregation.publication,
      producer: `producer ${variant}`,
    }),
    [ENV.aggregateSchedule]: `cron(0 3 ${6 + variant} * ? *)`,
    [ENV.disclosurePolicy]: JSON.stringify({ ...s.disclosure, threshold: 10 + variant }),
    [ENV.ingestMaxFileBytes]: String(1000 + variant),
    [ENV.ingestMaxDecompressedBytes]: String(2000 + variant),
    [ENV.ingestMaxRows]: String(3000 + variant),
    [ENV.ingestMaxRejectedShare]: String(0.25 + variant / 10),
    [ENV.prefix]: name('msht'),
    [ENV.organisations]: JSON.stringify(
      s.organisations.map((o) => o.code).slice(0, variant === 0 ? undefined : 3),
    ),
    [ENV.uploadFormSignerRoleArn]: `arn:aws:iam::111122223333:role/${name('signer')}`,
    [ENV.stuckAfterSeconds]: String(7200 + variant),
    [ENV.pseudonymKeySecret]: `arn:aws:secretsmanager:eu-west-2:111122223333:secret:${name('key')}-AbCdEf`,
    [ENV.pseudonymKeyVersion]: String(1 + variant),
    [ENV.logLevel]: variant === 0 ? 'INFO' : 'DEBUG',
    [ENV.serviceName]: name('service'),
  };
};

const throws = (fn: () => unknown): boolean => {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
};

/**
 * What a parser reads, found by probing it rather than listed by hand: a name is read when changing its
 * (valid) value changes what the parser returns, and required when removing it makes the parser throw.
 */
const probe = (parse: (env: NodeJS.ProcessEnv) => unknown) => {
  const [base, other] = [validEnv(0), validEnv(1)];
  const baseline = parse(base);
  const names = Object.keys(base) as EnvName[];
  return {
    reads: names.filter((n) => !isDeepStrictEqual(parse({ ...base, [n]: other[n] }), baseline)),
    required: names.filter((n) => throws(() => parse({ ...base, [n]: undefined }))),
  };
};

/**
 * The parsers a handler module calls, and the variables it refuses to run without beyond them
 * (`throw new ConfigError('MSHT_… is not set')`), read from its source.
 */
const handlerNeeds = (name: HandlerName) => {
  const source = readFileSync(join(projectRoot, HANDLERS[name]), 'utf8');
  const parsers = [...new Set([...source.matchAll(/\b(load[A-Z]\w*)\(/g)].map((m) => m[1] as string))];
  const guarded = [...source.matchAll(/new ConfigError\('([A-Z][A-Z0-9_]*) is not set'\)/g)].map(
    (m) => m[1] as string,
  );
  return { parsers, guarded };
};

/**
 * Variables a parser reads that a handler deliberately does without: `loadMarkerConfig` is shared by the
 * indexer, PND export and feed publisher and reads the bucket and the feed's queues as optional.
 */
const UNUSED: Partial<Record<HandlerName, readonly EnvName[]>> = {
  indexer: [ENV.feedQueueUrl, ENV.feedPushQueues],
  pndExport: [ENV.feedQueueUrl, ENV.feedPushQueues],
  feedPublisher: [ENV.bucket],
  markerExpiry: [ENV.bucket, ENV.feedQueueUrl, ENV.feedPushQueues],
};

const FUNCTIONS = [
  'ingest',
  'indexer',
  'aggregate',
  'pndExport',
  'feedPublisher',
  'markerExpiry',
  'uploadApi',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const fnOf = (stack: PipelineStack, name: FunctionName): PipelineFunction => {
  const fn = stack.functions.get(name);
  if (!fn) throw new Error(`${name} was not built`);
  return fn;
};

describe.each(['dev', 'prod'] as const)('%s: what each function needs', (stage) => {
  const settings = settingsFor(stage);
  let stack: PipelineStack;
  let template: TemplateJson;
  const logicalId = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const arnOf = (c: IConstruct) =>
    String(resolveValue(template, { 'Fn::GetAtt': [logicalId(c), 'Arn'] }, TEST_TARGET));

  beforeAll(() => {
    const built = buildTestApp(stage, { bundle: false });
    stack = built.stack;
    template = synthTemplate(built).toJSON() as TemplateJson;
  });

  /** The function's environment as deployed, every intrinsic resolved (queue URLs, bucket names). */
  const deployedEnv = (name: FunctionName): Record<string, string> => {
    const props = template.Resources[logicalId(fnOf(stack, name).fn)]?.Properties;
    const variables = (props?.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables;
    if (!variables) throw new Error(`${name} has no environment`);
    return resolveValue(template, variables, TEST_TARGET) as Record<string, string>;
  };

  describe('environment', () => {
    it('every handler calls only parsers this test knows, and at least one', () => {
      for (const name of FUNCTIONS) {
        const { parsers } = handlerNeeds(name);
        expect([name, parsers.length > 0]).toEqual([name, true]);
        for (const parser of parsers)
          expect([name, Object.keys(PARSERS)]).toEqual([name, expect.arrayContaining([parser])]);
      }
    });

    it.each(FUNCTIONS)(
      '%s: every variable its parsers require is set, and nothing they do not read',
      (name) => {
        // Prepare
        const { parsers, guarded } = handlerNeeds(name);
        const probes = parsers.map((p) => probe((PARSERS[p] as (typeof PARSERS)[string]).parse));
        const required = new Set([...probes.flatMap((p) => p.required), ...guarded]);
        const read = new Set([...probes.flatMap((p) => p.reads), ...guarded]);
        const unused = UNUSED[name] ?? [];

        // Act
        const env = deployedEnv(name);
        const set = Object.keys(env).filter((n) => n.startsWith('MSHT_'));

        // Assess
        expect(required.size).toBeGreaterThan(0);
        for (const n of required) expect([name, n, env[n]]).toEqual([name, n, expect.any(String)]);
        // Tunables with defaults (stage, limits, submission days) are set too: from settings, not defaults.
        for (const n of read)
          if (!unused.includes(n as EnvName))
            expect([name, set]).toEqual([name, expect.arrayContaining([n])]);
        for (const n of set) expect([name, n, read.has(n)]).toEqual([name, n, true]);
      },
    );

    it.each(FUNCTIONS)(
      '%s: its parsers accept the deployed environment and yield the stage settings',
      (name) => {
        // Prepare
        const env = deployedEnv(name);

        // Act and Assess
        for (const parser of handlerNeeds(name).parsers) {
          const { parse, fromSettings } = PARSERS[parser] as (typeof PARSERS)[string];
          expect(parse(env)).toMatchObject(fromSettings(settings));
        }
      },
    );

    it('ingest writes to the data bucket and reads uploads from whatever bucket the S3 event names', () => {
      // Prepare
      const env = deployedEnv('ingest');

      // Assess
      expect(env[ENV.bucket]).toBe(String(resolveValue(template, { Ref: logicalId(stack.data.bucket) })));
      expect(env[ENV.landingBucket]).toBeUndefined();
    });

    it('ingest runs with the V8 options it was measured with, after source maps; the others with source maps only', () => {
      for (const name of FUNCTIONS) {
        expect([name, deployedEnv(name).NODE_OPTIONS]).toEqual([
          name,
          name === 'ingest' ? `--enable-source-maps ${INGEST_NODE_OPTIONS}` : '--enable-source-maps',
        ]);
      }
    });
  });

  describe('IAM', () => {
    const statementsOf = (name: FunctionName): Statement[] =>
      roleStatements(template, logicalId(fnOf(stack, name).role), TEST_TARGET);
    const table = (t: 'uploads' | 'markers' | 'feed') => arnOf(stack[t].table);
    const index = (t: 'uploads' | 'markers', indexName: string) => `${table(t)}/index/${indexName}`;
    const bucket = (b: 'landing' | 'data') => arnOf(stack[b].bucket);
    const under = (b: 'landing' | 'data', prefix: string) => `${bucket(b)}/${prefix}*`;
    const queue = (q: 'ingestQueue' | 'recordsQueue' | 'feedQueue') => arnOf(stack[q].queue);
    const failures = () => arnOf(stack.scheduledFailures.queue);
    const signerRole = () => `arn:aws:iam::${TEST_TARGET.account}:role/${settings.prefix}-upload-form-signer`;
    const key = (k: IConstruct) => arnOf(k);
    const CONSUME = [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ];
    const S3_KEY = ['kms:Decrypt', 'kms:GenerateDataKey'];
    const SQS_KEY = ['kms:Decrypt', 'kms:GenerateDataKey'];
    const DYNAMO_KEY = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];
    const DYNAMO_READ_KEY = ['kms:Decrypt', 'kms:DescribeKey'];
    const pseudonymSecret = () =>
      String(resolveValue(template, { Ref: logicalId(stack.pseudonymKey) }, TEST_TARGET));

    /**
     * Everything each role may do, resource by resource (its own logs and X-Ray aside), derived from the
     * SDK calls in its code: see the comments on the grants in infra/stack.ts.
     */
    const expected = (): Record<FunctionName, Record<string, string[]>> => {
      const batches = settings.pnd.batchPrefix;
      return {
        ingest: {
          [under('landing', PREFIXES.incoming)]: ['s3:GetObject'],
          [bucket('landing')]: ['s3:ListBucket'],
          [key(stack.landing.key)]: ['kms:Decrypt'],
          [under('data', PREFIXES.reports)]: ['s3:AbortMultipartUpload', 's3:PutObject'],
          [under('data', PREFIXES.curated)]: [
            's3:AbortMultipartUpload',
            's3:DeleteObject',
            's3:GetObject',
            's3:PutObject',
          ],
          [key(stack.data.key)]: S3_KEY,
          [queue('ingestQueue')]: CONSUME,
          [key(stack.ingestQueue.key)]: ['kms:Decrypt'],
          [queue('recordsQueue')]: ['sqs:SendMessage'],
          [key(stack.recordsQueue.key)]: SQS_KEY,
          [table('uploads')]: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          [index('uploads', 'bySha256')]: ['dynamodb:Query'],
          [key(stack.uploads.key)]: DYNAMO_KEY,
          [pseudonymSecret()]: ['secretsmanager:GetSecretValue'],
          [key(stack.pseudonymKey.key)]: ['kms:Decrypt'],
        },
        indexer: {
          [queue('recordsQueue')]: CONSUME,
          [key(stack.recordsQueue.key)]: ['kms:Decrypt'],
          [table('markers')]: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
          [key(stack.markers.key)]: DYNAMO_KEY,
          [table('uploads')]: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          [key(stack.uploads.key)]: DYNAMO_KEY,
          [under('data', uploadStatusPrefix('*'))]: ['s3:PutObject'],
          [under('data', uploadProgressPrefix('*'))]: ['s3:PutObject'],
          [key(stack.data.key)]: S3_KEY,
          [pseudonymSecret()]: ['secretsmanager:GetSecretValue'],
          [key(stack.pseudonymKey.key)]: ['kms:Decrypt'],
        },
        aggregate: {
          [under('data', PREFIXES.curated)]: ['s3:GetObject'],
          [under('data', CURATED_UPLOADS_PREFIX)]: ['s3:PutObject'],
          [under('data', PREFIXES.aggregates)]: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          [bucket('data')]: ['s3:ListBucket'],
          [key(stack.data.key)]: S3_KEY,
          [index('uploads', 'byOrg')]: ['dynamodb:Query'],
          [key(stack.uploads.key)]: DYNAMO_READ_KEY,
          [table('markers')]: ['dynamodb:Scan'],
          [key(stack.markers.key)]: DYNAMO_READ_KEY,
          [failures()]: ['sqs:SendMessage'],
          [key(stack.scheduledFailures.key)]: SQS_KEY,
        },
        pndExport: {
          [index('markers', 'bySyncState')]: ['dynamodb:Query'],
          [table('markers')]: ['dynamodb:UpdateItem'],
          [key(stack.markers.key)]: DYNAMO_KEY,
          [under('data', batches)]: ['s3:GetObject', 's3:PutObject'],
          [bucket('data')]: ['s3:ListBucket'],
          [key(stack.data.key)]: S3_KEY,
          [failures()]: ['sqs:SendMessage'],
          [key(stack.scheduledFailures.key)]: SQS_KEY,
        },
        feedPublisher: {
          [index('markers', 'byLogPending')]: ['dynamodb:Query'],
          [table('markers')]: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
          [key(stack.markers.key)]: DYNAMO_KEY,
          [table('feed')]: [
            'dynamodb:BatchGetItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
          ],
          [key(stack.feed.key)]: DYNAMO_KEY,
          [queue('feedQueue')]: ['sqs:SendMessage'],
          [key(stack.feedQueue.key)]: SQS_KEY,
          [failures()]: ['sqs:SendMessage'],
          [key(stack.scheduledFailures.key)]: SQS_KEY,
        },
        // It signs forms with sessions of the signer role, and touches no bucket itself.
        uploadApi: { [signerRole()]: ['sts:AssumeRole'] },
        markerExpiry: {
          [table('markers')]: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
          [key(stack.markers.key)]: DYNAMO_KEY,
          [failures()]: ['sqs:SendMessage'],
          [key(stack.scheduledFailures.key)]: SQS_KEY,
        },
      };
    };

    /** What a role's statements allow, as resource → sorted actions (logs and X-Ray left out). */
    const granted = (statements: readonly Statement[]): Record<string, string[]> => {
      const out: Record<string, Set<string>> = {};
      for (const s of statements) {
        if (s.Effect !== 'Allow') continue;
        const actions = [s.Action ?? []].flat().filter((a) => !/^(logs|xray):/.test(a));
        for (const resource of [s.Resource ?? []].flat()) {
          if (actions.length > 0) out[resource] = new Set([...(out[resource] ?? []), ...actions]);
        }
      }
      return Object.fromEntries(Object.entries(out).map(([r, a]) => [r, [...a].sort()]));
    };

    it.each(FUNCTIONS)('%s: is granted exactly what its SDK calls need, resource by resource', (name) => {
      // Act
      const actual = granted(statementsOf(name));

      // Assess
      expect(actual).toEqual(expected()[name]);
    });

    it('every index a grant names exists in the settings and in the template', () => {
      // Prepare
      const tables = Object.values(template.Resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');
      const indexesOf = (tableName: string) =>
        (
          tables.find((t) => t.Properties?.TableName === tableName)?.Properties?.GlobalSecondaryIndexes as
            | { IndexName: string; KeySchema: { AttributeName: string; KeyType: string }[] }[]
            | undefined
        )?.map((i) => ({
          name: i.IndexName,
          keys: i.KeySchema.map((k) => `${k.KeyType}:${k.AttributeName}`),
        }));

      // Assess
      expect(indexesOf(settings.tables.markers.name)).toEqual(
        expect.arrayContaining([
          { name: 'bySyncState', keys: ['HASH:pndSyncState', 'RANGE:updatedAt'] },
          { name: 'byStatusReview', keys: ['HASH:status', 'RANGE:reviewDueOn'] },
        ]),
      );
      expect(indexesOf(settings.tables.uploads.name)).toEqual(
        expect.arrayContaining([
          { name: 'byOrg', keys: ['HASH:org', 'RANGE:receivedAt'] },
          { name: 'bySha256', keys: ['HASH:sha256'] },
        ]),
      );
    });

    it('listing is limited to the prefix each function lists: aggregates/ for aggregation, the batch prefix for PND', () => {
      // Prepare
      const list = (prefix?: string): Request => ({
        action: 's3:ListBucket',
        resource: bucket('data'),
        ...(prefix === undefined ? {} : { context: { 's3:prefix': prefix } }),
      });
      const aggregate = statementsOf('aggregate');
      const pnd = statementsOf('pndExport');

      // Assess
      expect(allows(aggregate, list(`${PREFIXES.aggregates}2026-10/runs/`))).toBe(true);
      expect(allows(aggregate, list(PREFIXES.curated))).toBe(false);
      expect(allows(aggregate, list())).toBe(false);
      expect(allows(pnd, list(settings.pnd.batchPrefix))).toBe(true);
      expect(allows(pnd, list(`${settings.pnd.batchPrefix}pnd-20261001T000000Z-abcd1234/`))).toBe(true);
      expect(allows(pnd, list(PREFIXES.reports))).toBe(false);
      expect(allows(pnd, list())).toBe(false);
    });

    it('keys are usable only through the service that holds the data', () => {
      for (const name of FUNCTIONS) {
        // Prepare
        const statements = statementsOf(name);
        const kmsResources = Object.entries(granted(statements))
          .filter(([, actions]) => actions.some((a) => a.startsWith('kms:')))
          .map(([resource]) => resource);

        // Assess: the upload API uses no key itself (its form-signer sessions do).
        expect([name, kmsResources.length > 0]).toEqual([name, name !== 'uploadApi']);
        for (const resource of kmsResources) {
          const decrypt = (context?: Record<string, string>): Request => ({
            action: 'kms:Decrypt',
            resource,
            ...(context ? { context } : {}),
          });
          expect([name, resource, allows(statements, decrypt())]).toEqual([name, resource, false]);
          const via = ['s3', 'sqs', 'dynamodb', 'secretsmanager'].filter((service) =>
            allows(
              statements,
              decrypt({ 'kms:ViaService': `${service}.${TEST_TARGET.region}.amazonaws.com` }),
            ),
          );
          expect([name, resource, via.length]).toEqual([name, resource, 1]);
        }
      }
    });
  });

  it('the PND export and feed publisher run one at a time on their schedules', () => {
    for (const name of ['pndExport', 'feedPublisher'] as const) {
      // Prepare
      const fn = fnOf(stack, name);
      const rules = Object.values(template.Resources).filter(
        (r) =>
          r.Type === 'AWS::Events::Rule' &&
          JSON.stringify(r.Properties?.Targets).includes(`"${logicalId(fn.fn)}"`),
      );

      // Assess
      expect(template.Resources[logicalId(fn.fn)]?.Properties?.ReservedConcurrentExecutions).toBe(1);
      expect(rules.map((r) => r.Properties?.ScheduleExpression)).toEqual([settings.scheduled[name].schedule]);
    }
  });
});
