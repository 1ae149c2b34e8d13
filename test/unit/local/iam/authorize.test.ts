import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize, type Principal } from '../../../../infra/local/iam/authorize.ts';
import type { IamModel } from '../../../../infra/local/iam/iam-model.ts';
import type { Statement } from '../../../../infra/local/iam/policy-evaluator.ts';

const account = '111122223333';
const root = `arn:aws:iam::${account}:root`;
const roleArn = `arn:aws:iam::${account}:role/uploader`;
const sessionArn = `arn:aws:sts::${account}:assumed-role/uploader/alice`;
const bucket = 'arn:aws:s3:::landing';
const object = `${bucket}/incoming/PF-1/a.csv`;
const key = `arn:aws:kms:eu-west-2:${account}:key/k`;
const queue = `arn:aws:sqs:eu-west-2:${account}:q`;

const model = (resourcePolicies: Record<string, Statement[]> = {}): IamModel => ({
  target: { partition: 'aws', region: 'eu-west-2', account },
  roles: new Map(),
  resourcePolicies: new Map(Object.entries(resourcePolicies)),
  encryption: { buckets: new Map(), queues: new Map(), tables: new Map(), secrets: new Map() },
  functionRoles: new Map(),
  warnings: [],
});
const principal = (statements: Statement[], extra: Partial<Principal> = {}): Principal => ({
  arn: roleArn,
  account,
  statements,
  ...extra,
});
const allow = (action: string, resource: string, extra: Partial<Statement> = {}): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});
const deny = (action: string, resource: string, extra: Partial<Statement> = {}): Statement => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});
const put = { action: 's3:PutObject', resource: object };
const tlsDeny = deny('s3:*', `${bucket}*`, {
  Principal: { AWS: '*' },
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('identity-based policies', () => {
  it('allow what they allow, and name the action when nothing allows it', () => {
    const p = principal([allow('s3:PutObject', `${bucket}/incoming/PF-1/*`)]);
    expect(authorize(model(), p, put)).toEqual({
      decision: 'Allow',
      reason: 'allowed by an identity-based policy',
    });
    expect(authorize(model(), p, { action: 's3:GetObject', resource: object })).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no identity-based policy allows the s3:GetObject action',
    });
  });

  it('see aws:PrincipalArn (the role, also for a session) and aws:PrincipalAccount', () => {
    const p = (arn: string) =>
      principal(
        [
          allow('s3:PutObject', '*', {
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': roleArn },
              StringEquals: { 'aws:PrincipalAccount': account },
            },
          }),
        ],
        { arn },
      );
    expect(authorize(model(), p(roleArn), put).decision).toBe('Allow');
    expect(authorize(model(), p(sessionArn), put).decision).toBe('Allow');
    expect(authorize(model(), p(`arn:aws:iam::${account}:role/other`), put).decision).toBe('ImplicitDeny');
  });

  it('an explicit deny wins', () => {
    const p = principal([allow('s3:*', '*'), deny('s3:PutObject', `${bucket}/*`)]);
    expect(authorize(model(), p, put)).toEqual({
      decision: 'ExplicitDeny',
      reason: 'explicit deny in an identity-based policy',
    });
  });
});

describe('resource-based policies', () => {
  it('deny requests without TLS when the caller says so, for objects and the bucket alike', () => {
    const m = model({ [bucket]: [tlsDeny] });
    const p = principal([allow('s3:*', '*')]);
    const secure = (value: string) => ({ 'aws:SecureTransport': value });
    expect(authorize(m, p, { ...put, context: secure('true') }).decision).toBe('Allow');
    expect(authorize(m, p, { ...put, context: secure('false') })).toEqual({
      decision: 'ExplicitDeny',
      reason: 'explicit deny in a resource-based policy',
    });
    expect(
      authorize(m, p, { action: 's3:ListBucket', resource: bucket, context: secure('false') }).decision,
    ).toBe('ExplicitDeny');
  });

  it('grant on their own when they name the role, but only delegate when they name the account', () => {
    const p = principal([]);
    const named = (aws: string) =>
      model({ [bucket]: [allow('s3:PutObject', `${bucket}/*`, { Principal: { AWS: aws } })] });
    expect(authorize(named(roleArn), p, put)).toEqual({
      decision: 'Allow',
      reason: 'allowed by a resource-based policy',
    });
    expect(authorize(named(`arn:aws:iam::${account}:role/upl*`), p, put).decision).toBe('Allow');
    expect(authorize(named(root), p, put).decision).toBe('ImplicitDeny');
    expect(authorize(named(account), p, put).decision).toBe('ImplicitDeny');
    expect(authorize(named(root), principal([allow('s3:PutObject', '*')]), put).decision).toBe('Allow');
    expect(authorize(named(`arn:aws:iam::${account}:role/other`), p, put).decision).toBe('ImplicitDeny');
  });

  it('never match a role with a service principal', () => {
    const m = model({
      [queue]: [allow('sqs:SendMessage', queue, { Principal: { Service: 's3.amazonaws.com' } })],
    });
    expect(authorize(m, principal([]), { action: 'sqs:SendMessage', resource: queue }).decision).toBe(
      'ImplicitDeny',
    );
  });

  it('apply their denies to the whole account when they name it, and to all but those NotPrincipal names', () => {
    const p = principal([allow('sqs:*', '*')]);
    const request = { action: 'sqs:SendMessage', resource: queue };
    expect(
      authorize(model({ [queue]: [deny('sqs:*', queue, { Principal: { AWS: root } })] }), p, request)
        .decision,
    ).toBe('ExplicitDeny');
    const notMe = deny('sqs:*', queue, { NotPrincipal: { AWS: roleArn } });
    expect(authorize(model({ [queue]: [notMe] }), p, request).decision).toBe('Allow');
    expect(
      authorize(
        model({ [queue]: [notMe] }),
        principal([allow('sqs:*', '*')], { arn: `arn:aws:iam::${account}:role/x` }),
        request,
      ).decision,
    ).toBe('ExplicitDeny');
  });
});

describe('KMS key policies', () => {
  const decrypt = { action: 'kms:Decrypt', resource: key };
  it('deny every use of a key that has no key policy, whatever IAM says', () => {
    expect(authorize(model(), principal([allow('kms:*', '*')]), decrypt).decision).toBe('ImplicitDeny');
  });

  it('delegate to IAM when they allow the account root: then the identity policy must allow too', () => {
    const m = model({ [key]: [allow('kms:*', '*', { Principal: { AWS: root } })] });
    expect(authorize(m, principal([allow('kms:Decrypt', key)]), decrypt).decision).toBe('Allow');
    expect(authorize(m, principal([]), decrypt)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no identity-based policy allows the kms:Decrypt action',
    });
  });

  it('allow on their own when they name the role, and not at all when they name neither', () => {
    const direct = model({ [key]: [allow('kms:Decrypt', '*', { Principal: { AWS: roleArn } })] });
    expect(authorize(direct, principal([]), decrypt)).toEqual({
      decision: 'Allow',
      reason: 'allowed by the key policy',
    });
    const other = model({
      [key]: [allow('kms:*', '*', { Principal: { AWS: `arn:aws:iam::${account}:role/admin` } })],
    });
    expect(authorize(other, principal([allow('kms:*', '*')]), decrypt)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'the key policy does not allow the kms:Decrypt action',
    });
  });
});

describe('session policies', () => {
  const both = [allow('s3:PutObject', `${bucket}/*`)];
  it('bound the identity policies: both must allow', () => {
    const p = (session: Statement[]) => principal(both, { arn: sessionArn, sessionStatements: session });
    expect(authorize(model(), p(both), put).decision).toBe('Allow');
    expect(authorize(model(), p([allow('s3:GetObject', '*')]), put)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no session policy allows the s3:PutObject action',
    });
    expect(authorize(model(), p([allow('s3:*', '*'), deny('s3:Put*', '*')]), put).decision).toBe(
      'ExplicitDeny',
    );
  });

  it('bound a resource policy that names the role, but not one that names the session itself', () => {
    const p = principal([], { arn: sessionArn, sessionStatements: [] });
    const named = (aws: string) =>
      model({ [bucket]: [allow('s3:PutObject', `${bucket}/*`, { Principal: { AWS: aws } })] });
    expect(authorize(named(roleArn), p, put).decision).toBe('ImplicitDeny');
    expect(authorize(named(sessionArn), p, put)).toEqual({
      decision: 'Allow',
      reason: 'allowed by a resource-based policy',
    });
  });
});

describe('callers from another account', () => {
  const other = '444455556666';
  const caller = (statements: Statement[]) =>
    principal(statements, { arn: `arn:aws:iam::${other}:role/consumer`, account: other });
  const request = { action: 'sqs:ReceiveMessage', resource: queue };
  const policy = (aws: string) => model({ [queue]: [allow('sqs:*', queue, { Principal: { AWS: aws } })] });

  it('need the resource policy to name them (or their account) and their own policy to allow', () => {
    const allowed = caller([allow('sqs:ReceiveMessage', queue)]);
    expect(authorize(model(), allowed, request)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no resource-based policy allows the sqs:ReceiveMessage action',
    });
    expect(authorize(policy(account), allowed, request).decision).toBe('ImplicitDeny');
    expect(authorize(policy(other), allowed, request).decision).toBe('Allow');
    expect(authorize(policy(`arn:aws:iam::${other}:role/consumer`), allowed, request).decision).toBe('Allow');
    expect(authorize(policy(other), caller([]), request).decision).toBe('ImplicitDeny');
  });
});

describe('properties', () => {
  const actions = fc.constantFrom('s3:PutObject', 's3:GetObject', 'kms:Decrypt', 'sqs:SendMessage');
  const resources = fc.constantFrom(object, bucket, key, queue);
  const patterns = fc.constantFrom('*', 's3:*', 's3:PutObject', 'kms:Decrypt', 'sqs:*');
  const resourcePatterns = fc.constantFrom('*', `${bucket}/*`, bucket, key, queue);
  const statement = fc.record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: patterns,
    Resource: resourcePatterns,
  });
  const resourceStatement = fc.record({
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: patterns,
    Resource: fc.constant('*'),
    Principal: fc.constantFrom<Statement['Principal']>(
      '*',
      { AWS: root },
      { AWS: roleArn },
      { Service: 's3.amazonaws.com' },
    ),
  });
  const world = fc.record({
    identity: fc.array(statement, { maxLength: 4 }),
    session: fc.option(fc.array(statement, { maxLength: 3 }), { nil: undefined }),
    policies: fc.record({
      [bucket]: fc.array(resourceStatement, { maxLength: 3 }),
      [key]: fc.array(resourceStatement, { maxLength: 3 }),
      [queue]: fc.array(resourceStatement, { maxLength: 3 }),
    }),
    action: actions,
    resource: resources,
  });

  it('a Deny that applies anywhere always wins', () => {
    fc.assert(
      fc.property(world, fc.constantFrom('identity', 'session', 'resource'), (w, where) => {
        const denial: Statement = {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          ...(where === 'resource' ? { Principal: '*' as const } : {}),
        };
        const policies = Object.fromEntries(
          Object.entries(w.policies).map(([arn, s]) => [arn, where === 'resource' ? [...s, denial] : s]),
        );
        const p = principal(where === 'identity' ? [...w.identity, denial] : w.identity, {
          arn: sessionArn,
          sessionStatements: where === 'session' ? [...(w.session ?? []), denial] : w.session,
        });
        const resourceHasPolicy =
          where !== 'resource' || policies[w.resource.startsWith(bucket) ? bucket : w.resource];
        if (resourceHasPolicy)
          expect(authorize(model(policies), p, { action: w.action, resource: w.resource }).decision).toBe(
            'ExplicitDeny',
          );
      }),
    );
  });

  it('a session policy never widens what the principal may do', () => {
    fc.assert(
      fc.property(world, (w) => {
        const m = model(w.policies);
        const request = { action: w.action, resource: w.resource };
        const without = authorize(m, principal(w.identity, { arn: sessionArn }), request);
        const withSession = authorize(
          m,
          principal(w.identity, { arn: sessionArn, sessionStatements: w.session ?? [] }),
          request,
        );
        if (without.decision !== 'Allow') expect(withSession.decision).not.toBe('Allow');
      }),
    );
  });

  it('adding an Allow to the identity policies never turns an Allow into a denial', () => {
    fc.assert(
      fc.property(world, statement, (w, extra) => {
        const m = model(w.policies);
        const request = { action: w.action, resource: w.resource };
        const before = authorize(m, principal(w.identity, { sessionStatements: w.session }), request);
        const after = authorize(
          m,
          principal([...w.identity, { ...extra, Effect: 'Allow' }], { sessionStatements: w.session }),
          request,
        );
        if (before.decision === 'Allow') expect(after.decision).toBe('Allow');
      }),
    );
  });
});

describe('role trust policies (sts:AssumeRole)', () => {
  const targetArn = `arn:aws:iam::${account}:role/target`;
  const withRole = (trust: Statement[]): IamModel => ({
    ...model(),
    roles: new Map([['target', { name: 'target', arn: targetArn, statements: [], trust }]]),
  });
  const assume = { action: 'sts:AssumeRole', resource: targetArn };
  const mayAssume = principal([allow('sts:AssumeRole', targetArn)]);
  const trusting = (aws: string): Statement => ({
    Effect: 'Allow',
    Principal: { AWS: aws },
    Action: 'sts:AssumeRole',
  });

  it('a trust policy naming the account root delegates to IAM: the identity policy must allow', () => {
    const m = withRole([trusting(root)]);
    expect(authorize(m, mayAssume, assume)).toEqual({
      decision: 'Allow',
      reason: 'allowed by an identity-based policy',
    });
    expect(authorize(m, principal([]), assume)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no identity-based policy allows the sts:AssumeRole action',
    });
  });

  it('a trust policy naming the caller role allows it by itself', () => {
    expect(authorize(withRole([trusting(roleArn)]), principal([]), assume)).toEqual({
      decision: 'Allow',
      reason: 'allowed by the trust policy',
    });
  });

  it('a trust policy naming another role refuses, whatever the identity policy allows', () => {
    const m = withRole([trusting(`arn:aws:iam::${account}:role/someone-else`)]);
    expect(authorize(m, mayAssume, assume)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'the trust policy does not allow the sts:AssumeRole action',
    });
    expect(authorize(m, principal([allow('*', '*')]), assume).decision).toBe('ImplicitDeny');
  });

  it('a role that is not in the model cannot be assumed', () => {
    expect(authorize(model(), mayAssume, assume)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'there is no trust policy, so nothing allows sts:AssumeRole',
    });
  });

  it('a trust policy trusting only a service never trusts a role', () => {
    const m = withRole([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(authorize(m, mayAssume, assume).decision).toBe('ImplicitDeny');
  });

  it('a deny in the trust policy wins over the account delegation', () => {
    const m = withRole([
      trusting(root),
      { Effect: 'Deny', Principal: { AWS: roleArn }, Action: 'sts:AssumeRole' },
    ]);
    expect(authorize(m, mayAssume, assume)).toEqual({
      decision: 'ExplicitDeny',
      reason: 'explicit deny in a resource-based policy',
    });
  });

  it('a session policy of the caller bounds a direct trust', () => {
    const m = withRole([trusting(roleArn)]);
    const narrowed = principal([], { arn: sessionArn, sessionStatements: [allow('s3:GetObject', '*')] });
    expect(authorize(m, narrowed, assume)).toEqual({
      decision: 'ImplicitDeny',
      reason: 'no session policy allows the sts:AssumeRole action',
    });
  });

  it('other actions on a role ARN are not gated by its trust policy', () => {
    const m = withRole([]);
    const p = principal([allow('iam:GetRole', targetArn)]);
    expect(authorize(m, p, { action: 'iam:GetRole', resource: targetArn }).decision).toBe('Allow');
  });
});
