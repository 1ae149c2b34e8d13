import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { settingsFor } from '../../../../infra/config.ts';
import { authorize, type Principal } from '../../../../infra/local/iam/authorize.ts';
import { buildIamModel, type IamModel } from '../../../../infra/local/iam/iam-model.ts';
import { resolveValue, type TemplateJson } from '../../../../infra/local/iam/policy-evaluator.ts';
import {
  feedConsumerRoleName,
  nationalTeamRoleName,
  uploadRoleName,
} from '../../../../schemas/role-names.ts';
import { buildTestApp, synthTemplate } from '../../../infra/build.ts';

// The IAM model of the real dev template, judged as AWS would judge it: the local stack enforces this.

const target = { partition: 'aws', region: 'eu-west-2', account: '000000000000' };
const settings = settingsFor('dev');
const viaS3 = { 'kms:ViaService': `s3.${target.region}.amazonaws.com` };
const tls = { 'aws:SecureTransport': 'true' };
let model: IamModel;
let landing: string;
let data: string;
let cleanupRole: string;

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: false });
  const template = synthTemplate(built).toJSON() as TemplateJson;
  model = buildIamModel(template, target);
  const name = (construct: { node: { defaultChild?: unknown } }) =>
    String(
      resolveValue(
        template,
        { Ref: built.stack.getLogicalId(construct.node.defaultChild as CfnElement) },
        target,
      ),
    );
  landing = name(built.stack.landing.bucket);
  data = name(built.stack.data.bucket);
  cleanupRole =
    Object.keys(template.Resources).find((id) =>
      id.startsWith('CustomS3AutoDeleteObjectsCustomResourceProviderRole'),
    ) ?? '';
});

const roleNamed = (name: string): Principal => {
  const role = model.roles.get(name);
  if (!role) throw new Error(`No role ${name} in the model`);
  return { arn: role.arn, account: target.account, statements: role.statements };
};
const org = (code: string) => roleNamed(uploadRoleName(settings, code));

describe('the model of the dev template', () => {
  it('has every organisation upload role by its physical name, trusted by the account', () => {
    for (const { code } of settings.organisations) {
      const role = model.roles.get(`msht-dev-upload-${code}`);
      expect(role?.arn).toBe(`arn:aws:iam::${target.account}:role/msht-dev-upload-${code}`);
      expect(role?.trust).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${target.account}:root` },
        },
      ]);
    }
  });

  it('runs every function as a role of the model', () => {
    expect(model.functionRoles.size).toBeGreaterThanOrEqual(3);
    for (const [fn, role] of model.functionRoles) expect(model.roles.has(role), fn).toBe(true);
    expect(model.functionRoles.get('msht-dev-ingest')).toBeDefined();
  });

  it('knows the key of each encrypted bucket, queue and table, and each key has its policy', () => {
    const landingKey = model.encryption.buckets.get(landing);
    expect(landingKey).toMatch(/^arn:aws:kms:eu-west-2:000000000000:key\//);
    expect(model.encryption.buckets.get(data)).toBeDefined();
    expect(model.encryption.queues.get(settings.queues.ingest)).toBeDefined();
    expect(model.encryption.tables.get(settings.tables.uploads.name)).toBeDefined();
    expect(model.encryption.secrets.size).toBe(1);
    for (const key of [
      ...model.encryption.secrets.values(),
      ...model.encryption.buckets.values(),
      ...model.encryption.queues.values(),
      ...model.encryption.tables.values(),
    ])
      expect(model.resourcePolicies.get(key), key).toBeDefined();
  });

  it('models every managed policy it attaches (no warnings)', () => {
    expect(model.warnings).toEqual([]);
    const cleanup = model.roles.get(cleanupRole);
    expect(cleanup?.statements).toContainEqual(
      expect.objectContaining({
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      }),
    );
  });
});

describe('authorising with the dev template', () => {
  it('lets an organisation upload under its own prefix and nowhere else', () => {
    const put = (key: string) =>
      authorize(model, org('PF-E23000001'), {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${landing}/${key}`,
        context: tls,
      });
    expect(put('incoming/PF-E23000001/2026-10/subjects.csv').decision).toBe('Allow');
    expect(put('incoming/PF-E23000002/2026-10/subjects.csv')).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no identity-based policy allows the s3:PutObject action',
    });
    expect(
      authorize(model, org('PF-E23000001'), {
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${landing}/incoming/PF-E23000001/a.csv`,
        context: tls,
      }).decision,
    ).toBe('ImplicitDeny');
  });

  it('lists an organisation’s own prefix only', () => {
    const list = (prefix: string) =>
      authorize(model, org('PF-E23000001'), {
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${landing}`,
        context: { ...tls, 's3:prefix': prefix },
      }).decision;
    expect(list('incoming/PF-E23000001/')).toBe('Allow');
    expect(list('incoming/')).toBe('ImplicitDeny');
  });

  it('denies S3 and SQS requests without TLS, whoever asks', () => {
    const resource = `arn:aws:s3:::${landing}/incoming/PF-E23000001/2026-10/subjects.csv`;
    const put = (secure: string) =>
      authorize(model, org('PF-E23000001'), {
        action: 's3:PutObject',
        resource,
        context: { 'aws:SecureTransport': secure },
      });
    expect(put('true').decision).toBe('Allow');
    expect(put('false')).toEqual({
      decision: 'ExplicitDeny',
      reason: 'explicit deny in a resource-based policy',
    });

    const ingest = roleNamed(model.functionRoles.get('msht-dev-ingest') ?? '');
    const queue = `arn:aws:sqs:${target.region}:${target.account}:${settings.queues.ingest}`;
    const receive = (secure: string) =>
      authorize(model, ingest, {
        action: 'sqs:ReceiveMessage',
        resource: queue,
        context: { 'aws:SecureTransport': secure },
      }).decision;
    expect(receive('true')).toBe('Allow');
    expect(receive('false')).toBe('ExplicitDeny');
  });

  it('denies S3 requests over TLS older than 1.2', () => {
    const request = (version: string) =>
      authorize(model, org('PF-E23000001'), {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${landing}/incoming/PF-E23000001/a.csv`,
        context: { ...tls, 's3:TlsVersion': version },
      }).decision;
    expect(request('1.3')).toBe('Allow');
    expect(request('1.1')).toBe('ExplicitDeny');
  });

  it('lets an organisation use the landing key only through S3', () => {
    const key = model.encryption.buckets.get(landing) ?? '';
    const generate = (context: Record<string, string>) =>
      authorize(model, org('PF-E23000001'), { action: 'kms:GenerateDataKey', resource: key, context });
    expect(generate(viaS3).decision).toBe('Allow');
    // The key policy itself lets the account use the key only through S3.
    expect(generate({})).toEqual({
      decision: 'ImplicitDeny',
      reason: 'the key policy does not allow the kms:GenerateDataKey action',
    });
    expect(generate({ 'kms:ViaService': `sqs.${target.region}.amazonaws.com` }).decision).toBe(
      'ImplicitDeny',
    );
    const dataKey = model.encryption.buckets.get(data) ?? '';
    expect(
      authorize(model, org('PF-E23000001'), {
        action: 'kms:GenerateDataKey',
        resource: dataKey,
        context: viaS3,
      }).decision,
    ).toBe('ImplicitDeny');
  });

  it('lets ingest and the indexer read the pseudonym key, through Secrets Manager only, and no one else', () => {
    // Prepare
    const [secret, key] = [...model.encryption.secrets][0] ?? ['', ''];
    const viaSecrets = { 'kms:ViaService': `secretsmanager.${target.region}.amazonaws.com` };
    const fnRole = (fn: string) => roleNamed(model.functionRoles.get(`msht-dev-${fn}`) ?? '');
    const reads = (principal: Principal): boolean =>
      authorize(model, principal, { action: 'secretsmanager:GetSecretValue', resource: secret, context: tls })
        .decision === 'Allow' &&
      authorize(model, principal, { action: 'kms:Decrypt', resource: key, context: viaSecrets }).decision ===
        'Allow';
    const readers = [...model.functionRoles].filter(([, role]) => reads(roleNamed(role))).map(([fn]) => fn);

    // Assess
    expect(secret).toMatch(
      /^arn:aws:secretsmanager:eu-west-2:000000000000:secret:msht-dev-pseudonym-key-\w{6}$/,
    );
    expect(readers.sort()).toEqual(['msht-dev-indexer', 'msht-dev-ingest']);
    for (const person of [
      org('PF-E23000001'),
      roleNamed(nationalTeamRoleName(settings)),
      roleNamed(feedConsumerRoleName(settings)),
    ])
      expect(reads(person)).toBe(false);
    // The key policy lets the account decrypt only through Secrets Manager, even for a reader.
    expect(authorize(model, fnRole('ingest'), { action: 'kms:Decrypt', resource: key, context: {} })).toEqual(
      {
        decision: 'ImplicitDeny',
        reason: 'the key policy does not allow the kms:Decrypt action',
      },
    );
  });

  it('lets the bucket cleanup role delete objects through the bucket policy alone', () => {
    const cleanup = roleNamed(cleanupRole);
    const request = {
      action: 's3:DeleteObject',
      resource: `arn:aws:s3:::${landing}/incoming/x`,
      context: tls,
    };
    expect(authorize(model, cleanup, request)).toEqual({
      decision: 'Allow',
      reason: 'allowed by a resource-based policy',
    });
    expect(authorize(model, org('PF-E23000001'), request).decision).toBe('ImplicitDeny');
  });

  it('lets EventBridge, not a role, invoke a scheduled function through its Lambda permission', () => {
    const [fnArn, statements] = [...model.resourcePolicies].find(([arn]) => arn.includes(':function:')) ?? [];
    expect(statements?.[0]?.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(
      authorize(model, org('PF-E23000001'), { action: 'lambda:InvokeFunction', resource: fnArn ?? '' })
        .decision,
    ).toBe('ImplicitDeny');
  });
});
