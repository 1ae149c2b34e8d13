import { describe, expect, it } from 'vitest';
import type { IamModel } from '../../../../infra/local/iam/iam-model.ts';
import { impliedKmsRequests } from '../../../../infra/local/iam/kms-implied.ts';

const account = '111122223333';
const region = 'eu-west-2';
const bucketKey = `arn:aws:kms:${region}:${account}:key/bucket-key`;
const queueKey = `arn:aws:kms:${region}:${account}:key/queue-key`;
const model: IamModel = {
  target: { partition: 'aws', region, account },
  roles: new Map(),
  resourcePolicies: new Map(),
  encryption: {
    buckets: new Map([['landing', bucketKey]]),
    queues: new Map([['ingest', queueKey]]),
    tables: new Map(),
    secrets: new Map(),
  },
  functionRoles: new Map(),
  warnings: [],
};
// kms:CallerAccount is not the implied request's: authorize() adds it to every KMS request.
const via = (service: string) => ({ 'kms:ViaService': `${service}.${region}.amazonaws.com` });
const object = 'arn:aws:s3:::landing/incoming/PF-1/a.csv';

describe('impliedKmsRequests', () => {
  it('an S3 put needs kms:GenerateDataKey on the bucket key, via S3', () => {
    expect(impliedKmsRequests(model, { action: 's3:PutObject', resource: object })).toEqual([
      { action: 'kms:GenerateDataKey', resource: bucketKey, context: via('s3') },
    ]);
  });

  it('a multipart part or completion also needs kms:Decrypt', () => {
    expect(
      impliedKmsRequests(model, { action: 's3:PutObject', resource: object }, { multipart: true }).map(
        (r) => r.action,
      ),
    ).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  it('an S3 get needs kms:Decrypt', () => {
    expect(impliedKmsRequests(model, { action: 's3:GetObject', resource: object })).toEqual([
      { action: 'kms:Decrypt', resource: bucketKey, context: via('s3') },
    ]);
  });

  it('SSE-S3 (AES256) needs no key, even on a bucket with a default key', () => {
    const request = {
      action: 's3:PutObject',
      resource: object,
      context: { 's3:x-amz-server-side-encryption': 'AES256' },
    };
    expect(impliedKmsRequests(model, request)).toEqual([]);
  });

  it('an explicit key id is the key asked, on any bucket', () => {
    const explicit = `arn:aws:kms:${region}:${account}:key/explicit`;
    const request = {
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::unencrypted/x',
      context: {
        's3:x-amz-server-side-encryption': 'aws:kms',
        's3:x-amz-server-side-encryption-aws-kms-key-id': explicit,
      },
    };
    expect(impliedKmsRequests(model, request)).toEqual([
      { action: 'kms:GenerateDataKey', resource: explicit, context: via('s3') },
    ]);
  });

  it('asks nothing for a bucket without a key, bucket-level requests or other object actions', () => {
    expect(impliedKmsRequests(model, { action: 's3:PutObject', resource: 'arn:aws:s3:::plain/x' })).toEqual(
      [],
    );
    expect(impliedKmsRequests(model, { action: 's3:ListBucket', resource: 'arn:aws:s3:::landing' })).toEqual(
      [],
    );
    expect(impliedKmsRequests(model, { action: 's3:DeleteObject', resource: object })).toEqual([]);
  });

  it('SQS send needs kms:GenerateDataKey and receive kms:Decrypt on the queue key, via SQS', () => {
    const queue = `arn:aws:sqs:${region}:${account}:ingest`;
    expect(impliedKmsRequests(model, { action: 'sqs:SendMessage', resource: queue })).toEqual([
      { action: 'kms:GenerateDataKey', resource: queueKey, context: via('sqs') },
    ]);
    expect(impliedKmsRequests(model, { action: 'sqs:ReceiveMessage', resource: queue })).toEqual([
      { action: 'kms:Decrypt', resource: queueKey, context: via('sqs') },
    ]);
    expect(impliedKmsRequests(model, { action: 'sqs:DeleteMessage', resource: queue })).toEqual([]);
    expect(
      impliedKmsRequests(model, {
        action: 'sqs:SendMessage',
        resource: `arn:aws:sqs:${region}:${account}:plain`,
      }),
    ).toEqual([]);
  });

  it('asks nothing for DynamoDB', () => {
    expect(
      impliedKmsRequests(model, {
        action: 'dynamodb:PutItem',
        resource: `arn:aws:dynamodb:${region}:${account}:table/t`,
      }),
    ).toEqual([]);
  });
});
