import { describe, expect, it } from 'vitest';
import { buildIamModel } from '../../../../infra/local/iam/iam-model.ts';
import type { TemplateJson } from '../../../../infra/local/iam/policy-evaluator.ts';
import { TemplateResolutionError } from '../../../../infra/local/iam/template.ts';

const target = { partition: 'aws', region: 'eu-west-2', account: '111122223333' };
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const lambdaTrust = doc({
  Effect: 'Allow',
  Action: 'sts:AssumeRole',
  Principal: { Service: 'lambda.amazonaws.com' },
});

const template: TemplateJson = {
  Resources: {
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: 'kms:*',
          Resource: '*',
        }),
      },
    },
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'b',
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { Ref: 'Key' } } },
          ],
        },
      },
    },
    Plain: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      },
    },
    BucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Bucket' },
        PolicyDocument: doc({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }),
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q', KmsMasterKeyId: arn('Key') } },
    QueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'Queue' }],
        PolicyDocument: doc({
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn('Queue'),
        }),
      },
    },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 't',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arn('Key') },
      },
    },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alarms' } },
    TopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'Topic' }],
        PolicyDocument: doc({
          Effect: 'Allow',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: { Ref: 'Topic' },
        }),
      },
    },
    Shared: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: 'shared',
        Roles: [{ Ref: 'Worker' }],
        PolicyDocument: doc({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn('Queue') }),
      },
    },
    Reader: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: doc({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: arn('Table') }),
      },
    },
    Worker: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: lambdaTrust,
        ManagedPolicyArns: [
          {
            'Fn::Sub': 'arn:$' + '{AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          },
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          { Ref: 'Shared' },
          { Ref: 'Reader' },
        ],
        Policies: [
          {
            PolicyName: 'inline',
            PolicyDocument: doc({
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [arn('Bucket'), '/*']] },
            }),
          },
        ],
      },
    },
    WorkerPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Worker' }],
        PolicyDocument: doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: arn('Key') }),
      },
    },
    Function: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'fn', Role: arn('Worker') } },
    Unnamed: { Type: 'AWS::Lambda::Function', Properties: { Role: arn('Worker') } },
    Permission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { Ref: 'Function' },
        Action: 'lambda:InvokeFunction',
        Principal: '444455556666',
        SourceAccount: '444455556666',
      },
    },
    UrlPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: arn('Function'),
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        FunctionUrlAuthType: 'AWS_IAM',
      },
    },
    // Not IAM: skipped, however unresolvable.
    Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::ImportValue': 'elsewhere' } } },
    Cleanup: {
      Type: 'Custom::S3AutoDeleteObjects',
      Properties: { ServiceToken: { 'Fn::GetAtt': ['Missing', 'Arn'] } },
    },
  },
};

describe('buildIamModel', () => {
  const model = buildIamModel(template, target);
  const keyArn = 'arn:aws:kms:eu-west-2:111122223333:key/Key';

  it('collects inline, attached and managed policies of a role, and warns of managed policies it cannot know', () => {
    const worker = model.roles.get('Worker');
    expect(worker?.arn).toBe('arn:aws:iam::111122223333:role/Worker');
    expect(worker?.trust).toEqual(lambdaTrust.Statement);
    expect(worker?.statements.map((s) => s.Action)).toEqual([
      's3:GetObject',
      'sqs:SendMessage',
      'kms:Decrypt',
      ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      'dynamodb:GetItem',
    ]);
    expect(model.warnings).toEqual([
      'role Worker: managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is not modelled; its permissions are ignored',
    ]);
  });

  it('keys resource policies by ARN: bucket, queue (from its URL), topic, key and function', () => {
    expect([...model.resourcePolicies.keys()].sort()).toEqual(
      [
        'arn:aws:s3:::b',
        'arn:aws:sqs:eu-west-2:111122223333:q',
        'arn:aws:sns:eu-west-2:111122223333:alarms',
        keyArn,
        'arn:aws:lambda:eu-west-2:111122223333:function:fn',
      ].sort(),
    );
    expect(model.resourcePolicies.get(keyArn)?.[0]?.Principal).toEqual({ AWS: '111122223333' });
  });

  it('turns Lambda permissions into Allow statements with their conditions', () => {
    expect(model.resourcePolicies.get('arn:aws:lambda:eu-west-2:111122223333:function:fn')).toEqual([
      {
        Sid: 'Permission',
        Effect: 'Allow',
        Principal: { AWS: '444455556666' },
        Action: 'lambda:InvokeFunction',
        Resource: 'arn:aws:lambda:eu-west-2:111122223333:function:fn',
        Condition: { StringEquals: { 'aws:SourceAccount': '444455556666' } },
      },
      {
        Sid: 'UrlPermission',
        Effect: 'Allow',
        Principal: '*',
        Action: 'lambda:InvokeFunctionUrl',
        Resource: 'arn:aws:lambda:eu-west-2:111122223333:function:fn',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
    ]);
  });

  it('knows which customer-managed key encrypts each bucket, queue and table (a key id becomes its ARN)', () => {
    expect(model.encryption.buckets).toEqual(new Map([['b', keyArn]]));
    expect(model.encryption.queues).toEqual(new Map([['q', keyArn]]));
    expect(model.encryption.tables).toEqual(new Map([['t', keyArn]]));
  });

  it('maps each function, named or not, to its role', () => {
    expect(model.functionRoles).toEqual(
      new Map([
        ['fn', 'Worker'],
        ['Unnamed', 'Worker'],
      ]),
    );
  });

  it('is strict about what IAM needs: an unresolvable policy or an unknown function role throws', () => {
    const broken = (resources: TemplateJson['Resources']) => () =>
      buildIamModel({ Resources: { ...template.Resources, ...resources } }, target);
    expect(
      broken({
        Bad: {
          Type: 'AWS::IAM::Policy',
          Properties: {
            Roles: [{ Ref: 'Worker' }],
            PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: arn('Cleanup') }),
          },
        },
      }),
    ).toThrow(/Custom::S3AutoDeleteObjects/);
    expect(
      broken({
        Stray: {
          Type: 'AWS::Lambda::Function',
          Properties: { Role: 'arn:aws:iam::111122223333:role/elsewhere' },
        },
      }),
    ).toThrow(TemplateResolutionError);
  });
});
