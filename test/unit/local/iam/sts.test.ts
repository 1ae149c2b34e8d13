import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../../../infra/local/iam/authorize.ts';
import type { AnsweredRequest } from '../../../../infra/local/iam/gateway.ts';
import type { IamModel, RoleModel } from '../../../../infra/local/iam/iam-model.ts';
import { createKeyStore } from '../../../../infra/local/iam/key-store.ts';
import type { Persona } from '../../../../infra/local/iam/personas.ts';
import type { Statement } from '../../../../infra/local/iam/policy-evaluator.ts';
import { createLocalSts } from '../../../../infra/local/iam/sts.ts';

const account = '111122223333';
const root = `arn:aws:iam::${account}:root`;
const arnOf = (name: string) => `arn:aws:iam::${account}:role/${name}`;
const reader: RoleModel = {
  name: 'reader',
  arn: arnOf('reader'),
  statements: [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::data/*' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data' },
  ],
  trust: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'sts:AssumeRole' }],
};
const private_: RoleModel = {
  name: 'private',
  arn: arnOf('private'),
  statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  trust: [{ Effect: 'Allow', Principal: { AWS: arnOf('someone-else') }, Action: 'sts:AssumeRole' }],
};
const model: IamModel = {
  target: { partition: 'aws', region: 'eu-west-2', account },
  roles: new Map([
    ['reader', reader],
    ['private', private_],
  ]),
  resourcePolicies: new Map(),
  encryption: { buckets: new Map(), queues: new Map(), tables: new Map(), secrets: new Map() },
  functionRoles: new Map(),
  warnings: [],
};
const caller = (statements: Statement[]): Persona => ({
  profile: 'national',
  roleArn: arnOf('national'),
  sessionArn: `arn:aws:sts::${account}:assumed-role/national/national`,
  accessKeyId: 'AKIA0000000000000001',
  secretAccessKey: 'secret',
  statements,
});
const mayAssume = caller([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]);

const NOW = new Date('2026-12-02T10:00:00Z');
/** Issued keys are read at the fixed clock the STS ran at, never the machine's. */
const AT_ISSUE = NOW.getTime() + 1_000;
const call = (persona: Persona, form: Record<string, string>, now = NOW) => {
  const keys = createKeyStore([persona]);
  const sts = createLocalSts({ model, keys, templateName: (arn) => arn, now: () => now });
  const request: AnsweredRequest = {
    caller: persona,
    incoming: { method: 'POST', path: '/', query: '', headers: {} },
    body: Buffer.from(new URLSearchParams({ Version: '2011-06-15', ...form }).toString()),
    refusal: () => undefined,
  };
  return { keys, response: sts(request) };
};
const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const assumeForm = (roleArn: string, extra: Record<string, string> = {}) => ({
  Action: 'AssumeRole',
  RoleArn: roleArn,
  RoleSessionName: 'job',
  ...extra,
});

describe('createLocalSts: AssumeRole', () => {
  it('issues temporary credentials for the role when the caller may assume it and the role trusts the account', async () => {
    const { keys, response } = call(mayAssume, assumeForm(reader.arn, { DurationSeconds: '900' }));
    const answer = await response;
    expect(answer.status).toBe(200);
    const keyId = tag(answer.body, 'AccessKeyId') as string;
    expect(keyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(tag(answer.body, 'Arn')).toBe(`arn:aws:sts::${account}:assumed-role/reader/job`);
    expect(tag(answer.body, 'Expiration')).toBe('2026-12-02T10:15:00Z');
    const issued = keys.get(keyId, Date.parse('2026-12-02T10:14:59Z'));
    expect(issued).toMatchObject({
      roleArn: reader.arn,
      sessionArn: `arn:aws:sts::${account}:assumed-role/reader/job`,
      secretAccessKey: tag(answer.body, 'SecretAccessKey'),
      sessionToken: tag(answer.body, 'SessionToken'),
      statements: reader.statements,
    });
    expect(issued?.sessionStatements).toBeUndefined();
    expect(keys.get(keyId, Date.parse('2026-12-02T10:15:00Z'))).toBeUndefined();
  });

  it('refuses a caller whose identity policies do not allow sts:AssumeRole, even when the role trusts the account', async () => {
    const { keys, response } = call(caller([]), assumeForm(reader.arn));
    const answer = await response;
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>AccessDenied</Code>');
    expect(answer.body).toContain(
      `User: ${mayAssume.sessionArn} is not authorized to perform: sts:AssumeRole on resource: ${reader.arn}`,
    );
    const added: string[] = [];
    keys.onAdd((p) => added.push(p.profile));
    expect(added).toEqual(['national']);
  });

  it('refuses when the trust policy names another role, whatever the caller may do', async () => {
    const admin = caller([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const answer = await call(admin, assumeForm(private_.arn)).response;
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('the trust policy does not allow the sts:AssumeRole action');
  });

  it('refuses a role that does not exist (also an ARN that only ends in a known name)', async () => {
    for (const arn of [arnOf('missing'), `arn:aws:iam::999999999999:role/reader`]) {
      const answer = await call(mayAssume, assumeForm(arn)).response;
      expect(answer.status).toBe(403);
      expect(answer.body).toContain('the role does not exist');
    }
  });

  it('a session policy narrows the issued credentials', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/public/*' },
    };
    const { keys, response } = call(mayAssume, assumeForm(reader.arn, { Policy: JSON.stringify(policy) }));
    const answer = await response;
    const issued = keys.get(tag(answer.body, 'AccessKeyId') as string, AT_ISSUE) as Persona;
    expect(issued.sessionStatements).toEqual([policy.Statement]);
    const principal = {
      arn: issued.sessionArn,
      account,
      statements: issued.statements,
      ...(issued.sessionStatements ? { sessionStatements: issued.sessionStatements } : {}),
    };
    expect(
      authorize(model, principal, { action: 's3:GetObject', resource: 'arn:aws:s3:::data/public/a' })
        .decision,
    ).toBe('Allow');
    expect(
      authorize(model, principal, { action: 's3:GetObject', resource: 'arn:aws:s3:::data/private/a' })
        .decision,
    ).toBe('ImplicitDeny');
    expect(
      authorize(model, principal, { action: 's3:PutObject', resource: 'arn:aws:s3:::data/public/a' })
        .decision,
    ).toBe('ImplicitDeny');
  });

  it('a session policy never widens what the credentials may do', async () => {
    const actions = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 'sqs:SendMessage'];
    const resources = ['arn:aws:s3:::data/a', 'arn:aws:s3:::data', 'arn:aws:s3:::other/a', '*'];
    const statement = fc.record({
      Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
      Action: fc.oneof(fc.constantFrom(...actions), fc.constant('*'), fc.constant('s3:*')),
      Resource: fc.constantFrom(...resources, 'arn:aws:s3:::*'),
    });
    let allowedSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...actions),
        fc.constantFrom(...resources.filter((r) => r !== '*')),
        async (statements, action, resource) => {
          const form = assumeForm(reader.arn, { Policy: JSON.stringify({ Statement: statements }) });
          const { keys, response } = call(mayAssume, form);
          const issued = keys.get(tag((await response).body, 'AccessKeyId') as string, AT_ISSUE) as Persona;
          const narrowed = authorize(
            model,
            { arn: issued.sessionArn, account, statements: issued.statements, sessionStatements: statements },
            { action, resource },
          );
          const role = authorize(
            model,
            { arn: issued.sessionArn, account, statements: issued.statements },
            {
              action,
              resource,
            },
          );
          if (narrowed.decision === 'Allow') {
            allowedSeen += 1;
            expect(role.decision).toBe('Allow');
          }
        },
      ),
      { numRuns: 100 },
    );
    // Not vacuous: some narrowed sessions are still allowed something.
    expect(allowedSeen).toBeGreaterThan(0);
  });
});

describe('createLocalSts: GetCallerIdentity and invalid requests', () => {
  it('says who the key stands for', async () => {
    const answer = await call(caller([]), { Action: 'GetCallerIdentity' }).response;
    expect(answer.status).toBe(200);
    expect(tag(answer.body, 'Arn')).toBe(mayAssume.sessionArn);
    expect(tag(answer.body, 'UserId')).toBe(mayAssume.accessKeyId);
    expect(tag(answer.body, 'Account')).toBe(account);
  });

  it('answers 400 to an unsupported action, a missing session name and a bad duration', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ Action: 'GetSessionToken' }, 'Unsupported STS action: GetSessionToken'],
      [{ Action: 'AssumeRole', RoleArn: reader.arn }, 'AssumeRole requires RoleArn and RoleSessionName'],
      [assumeForm(reader.arn, { DurationSeconds: '60' }), 'DurationSeconds must be a whole number'],
    ];
    for (const [form, message] of cases) {
      const { keys, response } = call(mayAssume, form);
      const answer = await response;
      expect(answer.status).toBe(400);
      expect(answer.body).toContain(message);
      const added: string[] = [];
      keys.onAdd((p) => added.push(p.profile));
      expect(added).toEqual(['national']);
    }
  });
});
