import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  resolveValue,
  roleStatements,
  type Statement,
  TEST_TARGET,
  type TemplateJson,
  wildcardMatch,
} from '../../../../infra/local/iam/policy-evaluator.ts';
import { TemplateResolutionError } from '../../../../infra/local/iam/template.ts';

const allow = (
  action: string | string[],
  resource: string | string[],
  extra: Partial<Statement> = {},
): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});

describe('wildcardMatch', () => {
  it('matches * across any run, including slashes, and ? as one character', () => {
    expect(
      wildcardMatch('arn:aws:s3:::b/incoming/PF-1/*', 'arn:aws:s3:::b/incoming/PF-1/2026-10/a.csv'),
    ).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b/incoming/PF-1/*', 'arn:aws:s3:::b/incoming/PF-12/a.csv')).toBe(
      false,
    );
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObbject')).toBe(false);
  });

  it('treats regular-expression characters in patterns literally', () => {
    expect(wildcardMatch('arn:aws:s3:::b/a.b', 'arn:aws:s3:::b/aXb')).toBe(false);
    expect(wildcardMatch('arn:aws:s3:::b/(x)+', 'arn:aws:s3:::b/(x)+')).toBe(true);
  });

  it('is case-sensitive for resources and case-insensitive when asked (actions)', () => {
    expect(wildcardMatch('arn:aws:s3:::b/Reports/*', 'arn:aws:s3:::b/reports/x')).toBe(false);
    expect(wildcardMatch('S3:getobject', 's3:GetObject', true)).toBe(true);
  });

  it('a pattern without wildcards matches exactly itself, for any string', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const pattern = a.replace(/[*?]/g, '');
        expect(wildcardMatch(pattern, b)).toBe(pattern === b);
      }),
    );
  });

  it('prefix/* matches every key under the prefix and nothing that does not start with it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (prefix, rest) => {
        const p = prefix.replace(/[*?]/g, '');
        expect(wildcardMatch(`${p}/*`, `${p}/${rest}`)).toBe(true);
        if (!rest.startsWith(`${p}/`)) expect(wildcardMatch(`${p}/*`, rest)).toBe(false);
      }),
    );
  });
});

describe('evaluate', () => {
  const object = 'arn:aws:s3:::b/incoming/PF-1/a.csv';

  it('allows what an Allow statement names and implicitly denies everything else', () => {
    const statements = [allow('s3:PutObject', 'arn:aws:s3:::b/incoming/PF-1/*')];
    expect(evaluate(statements, { action: 's3:PutObject', resource: object })).toBe('Allow');
    expect(evaluate(statements, { action: 's3:GetObject', resource: object })).toBe('ImplicitDeny');
    expect(
      evaluate(statements, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/incoming/PF-2/a.csv' }),
    ).toBe('ImplicitDeny');
  });

  it('lets an explicit Deny win over any Allow', () => {
    const statements: Statement[] = [
      allow('s3:*', 'arn:aws:s3:::b/*'),
      { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/incoming/*' },
    ];
    expect(evaluate(statements, { action: 's3:PutObject', resource: object })).toBe('ExplicitDeny');
    expect(evaluate(statements, { action: 's3:GetObject', resource: object })).toBe('Allow');
  });

  it('honours NotAction and NotResource', () => {
    const statements: Statement[] = [
      { Effect: 'Allow', NotAction: 's3:Delete*', NotResource: 'arn:aws:s3:::b/curated/*' },
    ];
    expect(evaluate(statements, { action: 's3:GetObject', resource: object })).toBe('Allow');
    expect(evaluate(statements, { action: 's3:DeleteObject', resource: object })).toBe('ImplicitDeny');
    expect(evaluate(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/curated/x' })).toBe(
      'ImplicitDeny',
    );
  });

  it('applies a condition only when the request context satisfies it; a missing key fails it', () => {
    const statements = [
      allow('kms:Decrypt', 'arn:aws:kms:eu-west-2:1:key/k', {
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
      }),
    ];
    const request = { action: 'kms:Decrypt', resource: 'arn:aws:kms:eu-west-2:1:key/k' };
    expect(
      evaluate(statements, { ...request, context: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } }),
    ).toBe('Allow');
    expect(
      evaluate(statements, { ...request, context: { 'kms:ViaService': 'sqs.eu-west-2.amazonaws.com' } }),
    ).toBe('ImplicitDeny');
    expect(evaluate(statements, request)).toBe('ImplicitDeny');
  });

  it('matches StringLike with wildcards, treats IfExists and negated operators as IAM does', () => {
    const list = allow('s3:ListBucket', 'arn:aws:s3:::b', {
      Condition: { StringLike: { 's3:prefix': ['incoming/PF-1/', 'incoming/PF-1/*'] } },
    });
    const request = { action: 's3:ListBucket', resource: 'arn:aws:s3:::b' };
    expect(evaluate([list], { ...request, context: { 's3:prefix': 'incoming/PF-1/2026-10/' } })).toBe(
      'Allow',
    );
    expect(evaluate([list], { ...request, context: { 's3:prefix': 'incoming/' } })).toBe('ImplicitDeny');
    expect(evaluate([list], request)).toBe('ImplicitDeny');

    const ifExists = allow('s3:ListBucket', 'arn:aws:s3:::b', {
      Condition: { StringLikeIfExists: { 's3:prefix': 'incoming/*' } },
    });
    expect(evaluate([ifExists], request)).toBe('Allow');
    const notEquals = allow('s3:ListBucket', 'arn:aws:s3:::b', {
      Condition: { StringNotEquals: { 's3:prefix': 'curated/' } },
    });
    expect(evaluate([notEquals], request)).toBe('Allow');
    expect(evaluate([notEquals], { ...request, context: { 's3:prefix': 'curated/' } })).toBe('ImplicitDeny');
  });

  it('refuses a condition operator it cannot evaluate rather than guess', () => {
    const statements = [
      allow('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
    ];
    expect(() => evaluate(statements, { action: 's3:GetObject', resource: object })).toThrow(/not supported/);
  });
});

describe('resolving a template', () => {
  const template: TemplateJson = {
    Resources: {
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: { 'Fn::Join': ['-', ['data', { Ref: 'AWS::AccountId' }]] } },
      },
      Key: { Type: 'AWS::KMS::Key' },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            {
              PolicyName: 'inline',
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 's3:GetObject',
                    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/reports/*']] },
                  },
                ],
              },
            },
          ],
        },
      },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': ['Key', 'Arn'] } },
            ],
          },
        },
      },
    },
  };

  it('resolves Ref, Fn::GetAtt, Fn::Join and pseudo parameters to concrete ARNs', () => {
    expect(resolveValue(template, { 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe(
      `arn:aws:s3:::data-${TEST_TARGET.account}`,
    );
    expect(resolveValue(template, { Ref: 'AWS::Region' })).toBe(TEST_TARGET.region);
  });

  it('collects inline and attached statements of a role', () => {
    const statements = roleStatements(template, 'Role');
    expect(statements).toHaveLength(2);
    expect(
      evaluate(statements, {
        action: 's3:GetObject',
        resource: `arn:aws:s3:::data-${TEST_TARGET.account}/reports/x.json`,
      }),
    ).toBe('Allow');
  });

  it('throws on an intrinsic it cannot resolve rather than leave a token in an ARN', () => {
    expect(() => resolveValue(template, { 'Fn::ImportValue': 'x' })).toThrow(
      /Cannot resolve Fn::ImportValue/,
    );
    expect(() => resolveValue(template, { Ref: 'Missing' })).toThrow(/No resource Missing/);
    expect(() => resolveValue(template, { 'Fn::GetAtt': ['Bucket', 'DomainName'] })).toThrow(
      /Cannot resolve/,
    );
  });
});

describe('resolving what the pipeline template uses', () => {
  const template: TemplateJson = {
    Resources: {
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms' } },
      Key: { Type: 'AWS::KMS::Key' },
      Rule: { Type: 'AWS::Events::Rule' },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } },
      Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service/' } },
      Custom: { Type: 'Custom::S3AutoDeleteObjects' },
    },
  };
  const { account, region } = TEST_TARGET;

  it('gives a topic its ARN for Ref, a key its id, an unnamed resource its logical id', () => {
    expect(resolveValue(template, { Ref: 'Topic' })).toBe(`arn:aws:sns:${region}:${account}:alarms`);
    expect(resolveValue(template, { Ref: 'Key' })).toBe('Key');
    expect(resolveValue(template, { 'Fn::GetAtt': ['Key', 'Arn'] })).toBe(
      `arn:aws:kms:${region}:${account}:key/Key`,
    );
    expect(resolveValue(template, { 'Fn::GetAtt': ['Rule', 'Arn'] })).toBe(
      `arn:aws:events:${region}:${account}:rule/Rule`,
    );
    expect(resolveValue(template, { 'Fn::GetAtt': ['Role', 'Arn'] })).toBe(
      `arn:aws:iam::${account}:role/service/Role`,
    );
    expect(resolveValue(template, { 'Fn::GetAtt': ['Queue', 'QueueName'] })).toBe('q');
  });

  // Fn::Sub's own `${...}` syntax, not JavaScript template placeholders.
  const partitionSub = 'arn:$' + '{AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
  const sub = '$' + '{Topic.TopicName}-$' + '{X}-$' + '{!Literal}';

  it('substitutes Fn::Sub variables, pseudo parameters, attributes and escapes', () => {
    expect(resolveValue(template, { 'Fn::Sub': partitionSub })).toBe(
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    );
    expect(resolveValue(template, { 'Fn::Sub': [sub, { X: { Ref: 'Key' } }] })).toBe(
      'alarms-Key-$' + '{Literal}',
    );
  });

  it('names the resource type it cannot resolve', () => {
    expect(() => resolveValue(template, { Ref: 'Custom' })).toThrow(
      /Ref of Custom::S3AutoDeleteObjects Custom/,
    );
    expect(() => resolveValue(template, { 'Fn::GetAtt': ['Custom', 'Arn'] })).toThrow(
      TemplateResolutionError,
    );
    expect(() => resolveValue(template, { 'Fn::Sub': '$' + '{Custom.Arn}' })).toThrow(
      /Custom::S3AutoDeleteObjects/,
    );
  });
});
