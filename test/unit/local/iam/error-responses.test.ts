import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
// @aws-sdk/client-sts is not installed; the SDK's own nested STS client (what credential providers use
// for AssumeRole) shares its protocol code, so it parses STS errors as client-sts would.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AccessDeniedDetail,
  accessDenied,
  authFailure,
  type ErrorResponse,
} from '../../../../infra/local/iam/error-responses.ts';
import type { AuthFailure } from '../../../../infra/local/iam/request-types.ts';
import { cannedServer, clientOptions } from './aws-sdk-server.ts';

const detail = (action: string, resource: string): AccessDeniedDetail => ({
  principalArn: 'arn:aws:sts::000000000000:assumed-role/msht-dev-indexer/session',
  action,
  resource,
  reason: `no identity-based policy allows the ${action} action`,
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Sends one command through a real SDK client to a server that answers `response`; returns the error. */
const errorFromSdk = async (
  response: ErrorResponse,
  send: (endpoint: string) => Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }> => {
  const server = await cannedServer(response);
  closers.push(server.close);
  const error = await send(server.endpoint).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
};

const s3Get = (endpoint: string) =>
  new S3Client({ ...clientOptions(endpoint), forcePathStyle: true }).send(
    new GetObjectCommand({ Bucket: 'landing', Key: 'incoming/NA-NCA/a.csv' }),
  );
const dynamoGet = (endpoint: string) =>
  new DynamoDBClient(clientOptions(endpoint)).send(
    new GetItemCommand({ TableName: 'markers', Key: { pk: { S: 'a' } } }),
  );
const sqsSend = (endpoint: string) =>
  new SQSClient(clientOptions(endpoint)).send(
    new SendMessageCommand({ QueueUrl: `${endpoint}/000000000000/q`, MessageBody: 'x' }),
  );
const stsAssume = (endpoint: string) =>
  new STSClient(clientOptions(endpoint)).send(
    new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 's' }),
  );

const failure = (code: AuthFailure['code']): AuthFailure => ({ ok: false, code, message: `test ${code}` });

describe('accessDenied, as the SDK clients read it', () => {
  it('S3: AccessDenied, 403, with the IAM sentence', async () => {
    const d = detail('s3:GetObject', 'arn:aws:s3:::landing/incoming/NA-NCA/a.csv');
    const error = await errorFromSdk(accessDenied('s3', d), s3Get);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/msht-dev-indexer/session is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::landing/incoming/NA-NCA/a.csv because no identity-based policy allows the s3:GetObject action',
    );
  });

  it('DynamoDB: AccessDeniedException, 400', async () => {
    const d = detail('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-2:000000000000:table/markers');
    const response = accessDenied('dynamodb', d);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(response.body).__type).toBe('com.amazon.coral.service#AccessDeniedException');
    const error = await errorFromSdk(response, dynamoGet);
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toContain(
      'dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-2:000000000000:table/markers',
    );
  });

  it('SQS JSON: AccessDenied (the query-compatible code), with the message', async () => {
    const d = detail('sqs:SendMessage', 'arn:aws:sqs:eu-west-2:000000000000:q');
    const response = accessDenied('sqs-json', d);
    expect(response.headers['x-amzn-query-error']).toBe('AccessDenied;Sender');
    const error = await errorFromSdk(response, sqsSend);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toContain('sqs:SendMessage on resource: arn:aws:sqs:eu-west-2:000000000000:q');
  });

  it('STS: AccessDenied from the query protocol XML', async () => {
    const d = detail('sts:AssumeRole', 'arn:aws:iam::000000000000:role/r');
    const error = await errorFromSdk(accessDenied('sts', d), stsAssume);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.message).toContain('sts:AssumeRole on resource: arn:aws:iam::000000000000:role/r');
  });

  it('SQS query: the same ErrorResponse document in the SQS namespace, escaped', () => {
    const response = accessDenied(
      'sqs-query',
      { ...detail('sqs:SendMessage', 'arn:aws:sqs:x:1:q'), reason: 'a<b' },
      'rid',
    );
    expect(response.status).toBe(403);
    expect(response.body).toBe(
      '<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        '<Message>User: arn:aws:sts::000000000000:assumed-role/msht-dev-indexer/session is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:x:1:q because a&lt;b</Message>' +
        '<Detail/></Error><RequestId>rid</RequestId></ErrorResponse>',
    );
  });
});

describe('authFailure, as the SDK clients read it', () => {
  it.each([
    ['InvalidAccessKeyId', 'InvalidAccessKeyId', 403],
    ['SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403],
    ['MissingAuthenticationToken', 'AccessDenied', 403],
    ['RequestExpired', 'AccessDenied', 403],
    ['InvalidToken', 'InvalidToken', 400],
  ] as const)('S3: %s → %s', async (code, name, status) => {
    const error = await errorFromSdk(authFailure('s3', failure(code)), s3Get);
    expect([error.name, error.$metadata?.httpStatusCode, error.message]).toEqual([
      name,
      status,
      `test ${code}`,
    ]);
  });

  it.each([
    ['InvalidClientTokenId', 'UnrecognizedClientException'],
    ['InvalidToken', 'UnrecognizedClientException'],
    ['SignatureDoesNotMatch', 'InvalidSignatureException'],
    ['RequestExpired', 'InvalidSignatureException'],
    ['MissingAuthenticationToken', 'MissingAuthenticationTokenException'],
    ['IncompleteSignature', 'IncompleteSignatureException'],
  ] as const)('DynamoDB: %s → %s', async (code, name) => {
    const error = await errorFromSdk(authFailure('dynamodb', failure(code)), dynamoGet);
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual([name, 400]);
  });

  it.each([
    ['InvalidClientTokenId', 'InvalidClientTokenId', 403],
    ['SignatureDoesNotMatch', 'SignatureDoesNotMatch', 403],
    ['MissingAuthenticationToken', 'MissingAuthenticationToken', 403],
    ['RequestExpired', 'RequestExpired', 400],
  ] as const)('SQS JSON and STS: %s → %s', async (code, name, status) => {
    const sqs = await errorFromSdk(authFailure('sqs-json', failure(code)), sqsSend);
    expect([sqs.name, sqs.$metadata?.httpStatusCode, sqs.message]).toEqual([name, status, `test ${code}`]);
    const sts = await errorFromSdk(authFailure('sts', failure(code)), stsAssume);
    expect([sts.name, sts.$metadata?.httpStatusCode, sts.message]).toEqual([name, status, `test ${code}`]);
  });

  it('S3: a POST form breaking its policy is AccessDenied', () => {
    const response = authFailure('s3', {
      ok: false,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain(
      '<Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired.</Message>',
    );
  });
});
