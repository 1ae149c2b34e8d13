import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { ALL_ORGANISATIONS } from '../../infra/config.ts';
import { createLocalClients, destroyLocalClients, type LocalClients } from '../../infra/local/clients.ts';
import { LOCAL_REGION, type LocalStack, startLocalStack } from '../../infra/local/local-stack.ts';
import {
  curatedKey,
  incomingKey,
  type OrgCode,
  reportKey,
  UploadProgressSchema,
  uploadProgressPrefix,
} from '../../schemas/index.ts';

// Every user's journey under its own IAM role on the local stack, whose gateways check each request
// against the policies of the CDK app, and the negative matrix: what each persona must never do.
const A: OrgCode = 'PF-E23000001';
const B: OrgCode = 'PF-E23000002';
const CSV = [
  'source_record_ref,source_system,roles,sex,date_of_birth,nationality',
  'P-1,NICHE,potential victim,F,14/03/2009,Albanian',
  'P-2,NICHE,suspect,male,1990-01-02,GBR',
].join('\r\n');

let stack: LocalStack;
const opened: LocalClients[] = [];
const as = (profile: string): LocalClients => {
  const clients = createLocalClients(stack.endpoints, LOCAL_REGION, stack.iam.credentials(profile));
  opened.push(clients);
  return clients;
};

/** The error name an SDK call ends with, or 'ok'. */
const outcome = async (call: () => Promise<unknown>): Promise<string> => {
  try {
    await call();
    return 'ok';
  } catch (err) {
    return (err as Error).name;
  }
};
const DENIED = /^(AccessDenied|AccessDeniedException|Forbidden)$/;

beforeAll(async () => {
  stack = await startLocalStack({
    dataDir: await mkdtemp(join(tmpdir(), 'msht-personas-')),
    logLevel: 'ERROR',
    schedules: { pndExport: false, markerExpiry: false },
  });
});

afterAll(async () => {
  for (const clients of opened) destroyLocalClients(clients);
  const { allowed, refused } = stack?.iam.counts() ?? { allowed: 0, refused: 0 };
  process.stdout.write(`persona suite: ${allowed} requests authorised, ${refused} refused\n`);
  await stack?.stop();
});

describe('a force uploads as its own role', () => {
  it('may put under its own incoming/ prefix, and the pipeline (each function as its own role) ingests it', async () => {
    // Arrange
    const force = as(`org-${A}`);
    const key = incomingKey(A, '2026-10', 'subjects.csv');
    // Act
    await force.s3.send(new PutObjectCommand({ Bucket: stack.resources.landingBucket, Key: key, Body: CSV }));
    await stack.waitForIdle({ timeoutMs: 60_000 });
    // Assert: the force lists and reads its own reports
    const listed = await force.s3.send(
      new ListObjectsV2Command({ Bucket: stack.resources.bucket, Prefix: `reports/${A}/` }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.length).toBeGreaterThan(0);
    const report = keys.find((k) => k.endsWith('.json')) as string;
    expect(
      await outcome(() =>
        force.s3.send(new GetObjectCommand({ Bucket: stack.resources.bucket, Key: report })),
      ),
    ).toBe('ok');
  }, 90_000);

  it('reads how far indexing of its upload has got, which the indexer writes as its own role', async () => {
    // Arrange: enough rows for a dozen records messages, so that chunks 0 and 8 cannot both finish it.
    const force = as(`org-${A}`);
    const rows = Array.from({ length: 6_000 }, (_, i) => `Q-${i},NICHE,suspect,M,1990-01-02,GBR`);
    const body = [CSV.split('\r\n')[0], ...rows].join('\n');
    const key = incomingKey(A, '2026-10', 'subjects-progress.csv');
    // Act
    await force.s3.send(
      new PutObjectCommand({ Bucket: stack.resources.landingBucket, Key: key, Body: body }),
    );
    await stack.waitForIdle({ timeoutMs: 120_000 });
    // Assert
    const listed = await force.s3.send(
      new ListObjectsV2Command({ Bucket: stack.resources.bucket, Prefix: uploadProgressPrefix(A) }),
    );
    const [first] = listed.Contents ?? [];
    expect(first?.Key).toBeDefined();
    const read = await force.s3.send(
      new GetObjectCommand({ Bucket: stack.resources.bucket, Key: first?.Key }),
    );
    const progress = UploadProgressSchema.parse(
      JSON.parse((await read.Body?.transformToString('utf-8')) ?? ''),
    );
    expect(progress.org).toBe(A);
    expect(progress.indexed).toBeGreaterThan(0);
    expect(progress.indexed).toBeLessThanOrEqual(6_000);
    // Another organisation may not read it.
    expect(
      await outcome(() =>
        as(`org-${B}`).s3.send(new GetObjectCommand({ Bucket: stack.resources.bucket, Key: first?.Key })),
      ),
    ).toMatch(DENIED);
  }, 180_000);

  it('may not upload with SSE-S3 instead of the landing key', async () => {
    const force = as(`org-${A}`);
    const result = await outcome(() =>
      force.s3.send(
        new PutObjectCommand({
          Bucket: stack.resources.landingBucket,
          Key: incomingKey(A, '2026-10', 'objects.csv'),
          Body: 'x',
          ServerSideEncryption: 'AES256',
        }),
      ),
    );
    expect(result).toMatch(DENIED);
  });
});

describe('the negative matrix: no organisation reaches another organisation or the pipeline', () => {
  it('every organisation is refused on the next one’s incoming, reports, and on curated, aggregates, tables and queues', async () => {
    const codes = ALL_ORGANISATIONS.map((o) => o.code);
    const { landingBucket, bucket, tables, queueUrls } = stack.resources;
    const refusals: string[] = [];
    for (const [i, org] of codes.entries()) {
      const other = codes[(i + 1) % codes.length] as OrgCode;
      const c = as(`org-${org}`);
      const attempts: Record<string, () => Promise<unknown>> = {
        putOtherIncoming: () =>
          c.s3.send(
            new PutObjectCommand({
              Bucket: landingBucket,
              Key: incomingKey(other, '2026-10', 'subjects.csv'),
              Body: 'x',
            }),
          ),
        getOtherReport: () =>
          c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey(other, 'u1', 'json') })),
        listOtherReports: () =>
          c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `reports/${other}/` })),
        listAllReports: () => c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' })),
        getCurated: () =>
          c.s3.send(
            new GetObjectCommand({ Bucket: bucket, Key: curatedKey('subject', '2026-10', org, 'u1') }),
          ),
        getAggregates: () =>
          c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'aggregates/2026-10/latest.json' })),
        readLedger: () => c.dynamodb.send(new ScanCommand({ TableName: tables.uploads })),
        readMarkers: () => c.dynamodb.send(new ScanCommand({ TableName: tables.markers })),
        writeMarkers: () =>
          c.dynamodb.send(new PutItemCommand({ TableName: tables.markers, Item: { pk: { S: 'x' } } })),
        sendRecords: () =>
          c.sqs.send(new SendMessageCommand({ QueueUrl: queueUrls.records, MessageBody: '{}' })),
        receiveFeed: () => c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.feed })),
      };
      for (const [name, attempt] of Object.entries(attempts)) {
        const result = await outcome(attempt);
        if (!DENIED.test(result)) refusals.push(`${org} ${name}: ${result}`);
      }
    }
    expect(refusals).toEqual([]);
  }, 120_000);
});

describe('the national team', () => {
  it('reads every organisation’s reports and the ledger, and reads the curated records (msht query) but may not upload or write them', async () => {
    const national = as('national');
    const { bucket, landingBucket, tables } = stack.resources;
    expect(
      await outcome(() => national.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' }))),
    ).toBe('ok');
    expect(
      await outcome(() =>
        national.dynamodb.send(
          new QueryCommand({
            TableName: tables.uploads,
            IndexName: 'byOrg',
            KeyConditionExpression: 'org = :o',
            ExpressionAttributeValues: { ':o': { S: A } },
          }),
        ),
      ),
    ).toBe('ok');
    expect(
      await outcome(() =>
        national.s3.send(
          new PutObjectCommand({
            Bucket: landingBucket,
            Key: incomingKey(A, '2026-10', 'subjects.csv'),
            Body: 'x',
          }),
        ),
      ),
    ).toMatch(DENIED);
    expect(
      await outcome(() =>
        national.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: curatedKey('subject', '2026-10', A, 'u1') }),
        ),
      ),
    ).toBe('NoSuchKey');
    expect(
      await outcome(() =>
        national.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: curatedKey('subject', '2026-10', A, 'u1'), Body: 'x' }),
        ),
      ),
    ).toMatch(DENIED);
  });
});

describe('a feed consumer', () => {
  it('receives from the feed queue and reads the change log, and nothing else', async () => {
    const feed = as('feed');
    const { bucket, landingBucket, tables, queueUrls } = stack.resources;
    expect(
      await outcome(() =>
        feed.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.feed, WaitTimeSeconds: 0 })),
      ),
    ).toBe('ok');
    expect(
      await outcome(() =>
        feed.dynamodb.send(
          new GetItemCommand({
            TableName: tables.feed,
            Key: { [stack.settings.tables.feed.partitionKey]: { S: 'no-such-position' } },
          }),
        ),
      ),
    ).toBe('ok');
    const refused = {
      sendFeed: () => feed.sqs.send(new SendMessageCommand({ QueueUrl: queueUrls.feed, MessageBody: '{}' })),
      receiveRecords: () => feed.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.records })),
      readMarkers: () => feed.dynamodb.send(new ScanCommand({ TableName: tables.markers })),
      readLedger: () => feed.dynamodb.send(new ScanCommand({ TableName: tables.uploads })),
      readReports: () => feed.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' })),
      upload: () =>
        feed.s3.send(
          new PutObjectCommand({
            Bucket: landingBucket,
            Key: incomingKey(A, '2026-10', 'subjects.csv'),
            Body: 'x',
          }),
        ),
      aggregates: () =>
        feed.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'aggregates/2026-10/latest.json' })),
    };
    for (const [name, attempt] of Object.entries(refused))
      expect([name, await outcome(attempt)]).toEqual([name, expect.stringMatching(DENIED)]);
  });
});

describe('a partner who reads the shareable national picture', () => {
  it('reads a month’s shareable publication, and nothing of the internal tier, reports or records', async () => {
    const aggregation = as('fn-msht-dev-aggregate');
    const partner = as('publication');
    const { bucket } = stack.resources;
    const put = (Key: string) =>
      aggregation.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key, Body: '{}', ContentType: 'application/json' }),
      );
    for (const key of [
      'aggregates/2026-10/shareable/latest.json',
      'aggregates/2026-10/shareable/0123456789abcdef01234567/national.json',
      'aggregates/2026-10/latest.json',
      'aggregates/2026-10/runs/0123456789abcdef01234567/internal/national.json',
    ]) {
      await put(key);
    }
    for (const key of [
      'aggregates/2026-10/shareable/latest.json',
      'aggregates/2026-10/shareable/0123456789abcdef01234567/national.json',
    ]) {
      expect([
        key,
        await outcome(() => partner.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))),
      ]).toEqual([key, 'ok']);
    }
    const refused = {
      internalPointer: () =>
        partner.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'aggregates/2026-10/latest.json' })),
      internalRun: () =>
        partner.s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: 'aggregates/2026-10/runs/0123456789abcdef01234567/internal/national.json',
          }),
        ),
      earlierVersion: () =>
        partner.s3.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: 'aggregates/2026-10/shareable/latest.json',
            VersionId: 'an-earlier-version',
          }),
        ),
      list: () => partner.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'aggregates/' })),
      reports: () =>
        partner.s3.send(new GetObjectCommand({ Bucket: bucket, Key: reportKey(A, 'u1', 'json') })),
      curated: () =>
        partner.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: curatedKey('subject', '2026-10', A, 'u1') }),
        ),
      write: () =>
        partner.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'aggregates/2026-10/shareable/latest.json',
            Body: '{}',
          }),
        ),
    };
    for (const [name, attempt] of Object.entries(refused))
      expect([name, await outcome(attempt)]).toEqual([name, expect.stringMatching(DENIED)]);
  });
});

describe('the platform engineer', () => {
  it('redrives a dead-letter queue', async () => {
    const admin = as('admin');
    const arn = (url: string) => `arn:aws:sqs:${LOCAL_REGION}:000000000000:${url.split('/').pop()}`;
    expect(
      await outcome(() =>
        admin.sqs.send(
          new StartMessageMoveTaskCommand({
            SourceArn: arn(stack.resources.queueUrls.recordsDlq),
            DestinationArn: arn(stack.resources.queueUrls.records),
          }),
        ),
      ),
    ).toBe('ok');
  });
});

describe('the functions, each as its own role', () => {
  it('ingest’s keys write a report, as ingest does, and nothing ingest does not (aggregates, markers, the feed)', async () => {
    const ingest = as('fn-msht-dev-ingest');
    const { bucket, tables, queueUrls } = stack.resources;
    expect(
      await outcome(() =>
        ingest.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `reports/${A}/probe.json`, Body: '{}' })),
      ),
    ).toBe('ok');
    const beyond = {
      aggregates: () =>
        ingest.s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: 'aggregates/2026-10/latest.json', Body: '{}' }),
        ),
      markers: () => ingest.dynamodb.send(new ScanCommand({ TableName: tables.markers })),
      feed: () => ingest.sqs.send(new SendMessageCommand({ QueueUrl: queueUrls.feed, MessageBody: '{}' })),
    };
    for (const [name, attempt] of Object.entries(beyond))
      expect([name, await outcome(attempt)]).toEqual([name, expect.stringMatching(DENIED)]);
  });
});

describe('the pseudonym key', () => {
  const read = (profile: string) => () => {
    const client = new SecretsManagerClient({
      region: LOCAL_REGION,
      endpoint: stack.endpoints.secretsmanager,
      credentials: stack.iam.credentials(profile),
    });
    return client
      .send(new GetSecretValueCommand({ SecretId: stack.functionEnv.ingest[ENV.pseudonymKeySecret] }))
      .finally(() => client.destroy());
  };

  it('is read by ingest and the indexer, as their code does, and by no person or other function', async () => {
    // Act
    const value = (await read('fn-msht-dev-ingest')()).SecretString ?? '';
    const outcomes = Object.fromEntries(
      await Promise.all(
        [
          'fn-msht-dev-indexer',
          `org-${A}`,
          'national',
          'feed',
          'fn-msht-dev-aggregate',
          'fn-msht-dev-feed-publisher',
          'fn-msht-dev-pnd-export',
        ].map(async (profile) => [profile, await outcome(read(profile))] as const),
      ),
    );

    // Assess
    expect(JSON.parse(value)).toEqual({ version: 1, key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(outcomes).toEqual({
      'fn-msht-dev-indexer': 'ok',
      [`org-${A}`]: 'AccessDeniedException',
      national: 'AccessDeniedException',
      feed: 'AccessDeniedException',
      'fn-msht-dev-aggregate': 'AccessDeniedException',
      'fn-msht-dev-feed-publisher': 'AccessDeniedException',
      'fn-msht-dev-pnd-export': 'AccessDeniedException',
    });
  });
});

describe('requests that prove nothing', () => {
  it('an unknown key is refused as AWS refuses it', async () => {
    const stranger = new S3Client({
      endpoint: stack.endpoints.s3,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) },
    });
    const result = await outcome(() =>
      stranger.send(new ListObjectsV2Command({ Bucket: stack.resources.bucket })),
    );
    stranger.destroy();
    expect(result).toBe('InvalidAccessKeyId');
  });

  it('a wrong secret does not match the signature', async () => {
    const { accessKeyId } = stack.iam.credentials('admin');
    const forger = new SQSClient({
      endpoint: stack.endpoints.sqs,
      region: LOCAL_REGION,
      credentials: { accessKeyId, secretAccessKey: 'y'.repeat(40) },
    });
    const result = await outcome(() =>
      forger.send(new ReceiveMessageCommand({ QueueUrl: stack.resources.queueUrls.feed })),
    );
    forger.destroy();
    expect(result).toBe('SignatureDoesNotMatch');
  });

  it('an unsigned request is refused', async () => {
    const res = await fetch(`${stack.endpoints.s3}/${stack.resources.bucket}/reports/`);
    expect(res.status).toBe(403);
  });
});

describe('the AWS CLI as a force', () => {
  const aws = async (args: string[]): Promise<{ code: number; stderr: string }> => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_SHARED_CREDENTIALS_FILE: stack.iam.credentialsFile,
      AWS_CONFIG_FILE: stack.iam.configFile,
    };
    // The stack's own admin keys are in this process's environment; the CLI must use the profile.
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete env[name];
    try {
      await promisify(execFile)('aws', args, { env, timeout: 60_000 });
      return { code: 0, stderr: '' };
    } catch (err) {
      const e = err as { code?: number | string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stderr: e.stderr ?? String(err) };
    }
  };

  it('copies to its own prefix and is refused on another’s', async (context) => {
    const probe = await aws(['--version']);
    if (probe.code !== 0) {
      // The AWS CLI is not part of the project's install; the SDK matrix above covers the same policies.
      context.skip();
    }
    const dir = await mkdtemp(join(tmpdir(), 'msht-awscli-'));
    const file = join(dir, 'subjects.csv');
    await writeFile(file, CSV);
    const cp = (org: OrgCode) =>
      aws([
        '--profile',
        `org-${A}`,
        '--endpoint-url',
        stack.endpoints.s3,
        's3',
        'cp',
        file,
        `s3://${stack.resources.landingBucket}/${incomingKey(org, '2026-11', 'subjects.csv')}`,
      ]);
    expect((await cp(A)).code).toBe(0);
    const refused = await cp(B);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/AccessDenied/);
    await stack.waitForIdle({ timeoutMs: 60_000 });
    // The rest of the matrix through the CLI: another's report, curated records, the ledger, a queue.
    const { bucket, tables, queueUrls } = stack.resources;
    const attempts: Record<string, string[]> = {
      otherReport: [
        '--profile',
        `org-${A}`,
        '--endpoint-url',
        stack.endpoints.s3,
        's3',
        'ls',
        `s3://${bucket}/reports/${B}/`,
      ],
      curated: [
        '--profile',
        `org-${A}`,
        '--endpoint-url',
        stack.endpoints.s3,
        's3',
        'ls',
        `s3://${bucket}/curated/`,
      ],
      ledger: [
        '--profile',
        `org-${A}`,
        '--endpoint-url',
        stack.endpoints.dynamodb,
        'dynamodb',
        'scan',
        '--table-name',
        tables.uploads,
      ],
      feedOnRecords: [
        '--profile',
        'feed',
        '--endpoint-url',
        stack.endpoints.sqs,
        'sqs',
        'receive-message',
        '--queue-url',
        queueUrls.records,
      ],
      feedOnMarkers: [
        '--profile',
        'feed',
        '--endpoint-url',
        stack.endpoints.dynamodb,
        'dynamodb',
        'scan',
        '--table-name',
        tables.markers,
      ],
    };
    for (const [name, args] of Object.entries(attempts)) {
      const run = await aws(args);
      expect([name, run.code === 0, /AccessDenied/.test(run.stderr)]).toEqual([name, false, true]);
    }
    const own = await aws([
      '--profile',
      `org-${A}`,
      '--endpoint-url',
      stack.endpoints.s3,
      's3',
      'ls',
      `s3://${bucket}/reports/${A}/`,
    ]);
    expect(own.code).toBe(0);
  }, 120_000);
});
