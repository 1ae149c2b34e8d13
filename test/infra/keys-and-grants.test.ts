import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PipelineStack } from '../../infra/stack.ts';
import { buildTestApp, resourcesOf, synthTemplate } from './build.ts';

// Key policies, service principals and the landing bucket's encryption rule, over the whole template.
let template: Template;
let stack: PipelineStack;

beforeAll(() => {
  const built = buildTestApp('dev', { bundle: false });
  stack = built.stack;
  template = synthTemplate(built);
});

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS?: unknown; Service?: unknown } | '*';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const actionsOf = (s: Statement): string[] => [s.Action].flat();
const conditionKeys = (s: Statement): string[] => Object.values(s.Condition ?? {}).flatMap(Object.keys);

/** Using a key: what it protects can be read or written with these. */
const USE = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant|\*)/;
/** Administering a key: its policy, state, deletion, rotation, aliases, tags and grants. */
const ADMIN =
  /^kms:(PutKeyPolicy|Create(Key|Alias)|Update|Enable|Disable|Delete|ScheduleKeyDeletion|CancelKeyDeletion|TagResource|UntagResource|RevokeGrant|RotateKeyOnDemand|ImportKeyMaterial|\*)/;

describe('key policies', () => {
  const keys = () =>
    Object.entries(resourcesOf(template, 'AWS::KMS::Key')).map(
      ([id, key]) =>
        [id, (key.Properties?.KeyPolicy as { Statement: Statement[] } | undefined)?.Statement ?? []] as const,
    );

  it('separate administration (the account root) from use, in every one of the 12 keys', () => {
    expect(keys()).toHaveLength(12);
    for (const [id, statements] of keys()) {
      for (const s of statements) {
        const actions = actionsOf(s);
        const both = actions.some((a) => USE.test(a)) && actions.some((a) => ADMIN.test(a));
        expect([id, s.Sid, both]).toEqual([id, s.Sid, false]);
      }
      const admin = statements.filter((s) => actionsOf(s).some((a) => ADMIN.test(a)));
      expect([id, admin.map((s) => s.Sid)]).toEqual([id, ['AllowKeyAdministration']]);
      expect([id, admin[0]?.Condition]).toEqual([id, undefined]);
    }
  });

  it('let the account’s principals use a key only through the one service it serves, in this account', () => {
    const servedBy: Record<string, string> = {};
    for (const [id, statements] of keys()) {
      const use = statements.filter((s) => s.Principal !== '*' && s.Principal?.AWS !== undefined);
      for (const s of use.filter((u) => actionsOf(u).some((a) => USE.test(a)))) {
        expect([id, s.Sid, Object.keys(s.Condition?.StringEquals ?? {}).sort()]).toEqual([
          id,
          s.Sid,
          ['kms:CallerAccount', 'kms:ViaService'],
        ]);
        const via = JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService']);
        servedBy[id] = /"(s3|sqs|dynamodb|logs|sns|secretsmanager)\."/.exec(via)?.[1] ?? via;
      }
    }
    const idOf = (c: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(c.node.defaultChild as CfnElement);
    expect(servedBy).toMatchObject({
      [idOf(stack.landing.key as never)]: 's3',
      [idOf(stack.data.key as never)]: 's3',
      [idOf(stack.ingestQueue.key as never)]: 'sqs',
      [idOf(stack.scheduledFailures.key as never)]: 'sqs',
      [idOf(stack.uploads.key as never)]: 'dynamodb',
      [idOf(stack.alarms.topic.masterKey as never)]: 'sns',
      [idOf(stack.pseudonymKey.key as never)]: 'secretsmanager',
    });
    expect(Object.keys(servedBy)).toHaveLength(12);
  });
});

describe('service principals', () => {
  it('every resource-policy statement for an AWS service names this account and the source resource', () => {
    // Key, queue, topic and bucket policies. Role trust policies (lambda.amazonaws.com) are not resource
    // grants to a service acting for another resource, and are left out.
    const statements = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
    )
      .filter(([, r]) => r.Type !== 'AWS::IAM::Role')
      .flatMap(([id, r]) => {
        const doc = (r.Properties?.KeyPolicy ?? r.Properties?.PolicyDocument) as
          | { Statement: Statement[] }
          | undefined;
        return (doc?.Statement ?? []).map((s) => [id, s] as const);
      })
      .filter(([, s]) => s.Principal !== '*' && s.Principal?.Service !== undefined);
    expect(statements.length).toBeGreaterThanOrEqual(10);
    for (const [id, s] of statements) {
      expect([id, s.Sid, conditionKeys(s)]).toEqual([
        id,
        s.Sid,
        expect.arrayContaining(['aws:SourceAccount', 'aws:SourceArn']),
      ]);
    }
  });
});

describe('the landing bucket', () => {
  it('denies any upload that asks for an encryption other than the landing key; no header means the key', () => {
    const landingId = stack.getLogicalId(stack.landing.bucket.node.defaultChild as CfnElement);
    const policy = Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: landingId }),
    );
    const denies = (
      (policy?.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? []
    ).filter((s) => s.Effect === 'Deny' && actionsOf(s).includes('s3:PutObject'));
    const keyArn = {
      'Fn::GetAtt': [stack.getLogicalId(stack.landing.key.node.defaultChild as CfnElement), 'Arn'],
    };
    expect(denies.map(({ Sid, Principal, Condition }) => ({ Sid, Principal, Condition }))).toEqual([
      {
        Sid: 'DenyUploadsNotEncryptedWithKms',
        Principal: { AWS: '*' },
        Condition: {
          Null: { 's3:x-amz-server-side-encryption': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        },
      },
      {
        Sid: 'DenyUploadsUnderAnotherKey',
        Principal: { AWS: '*' },
        Condition: {
          Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        },
      },
      {
        Sid: 'DenyUploadsWithCustomerKeys',
        Principal: { AWS: '*' },
        Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } },
      },
    ]);
    // The default that applies when no header is sent is that same key.
    expect(resourcesOf(template, 'AWS::S3::Bucket')[landingId]?.Properties?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          BucketKeyEnabled: true,
        },
      ],
    });
  });
});
