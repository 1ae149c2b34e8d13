import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presignPost } from '../../../../functions/upload-api/post-policy.ts';
import { verifyPostPolicy } from '../../../../infra/local/iam/post-policy.ts';
import type { Credentials, IncomingRequest } from '../../../../infra/local/iam/request-types.ts';
import { s3PayloadHash, verifySignedRequest } from '../../../../infra/local/iam/sigv4.ts';
import { ACCESS_KEY_ID, presignWithSdk, type SdkRequest, SECRET, signWithSdk } from './sdk-signer.ts';

const NOW = new Date('2026-12-02T10:15:00.000Z');
const TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN';
const SESSION_KEY_ID = 'ASIASESSION00000001';
const keys: Record<string, Credentials> = {
  [ACCESS_KEY_ID]: { secretAccessKey: SECRET },
  [SESSION_KEY_ID]: { secretAccessKey: SECRET, sessionToken: TOKEN },
};
const lookup = (id: string): Credentials | undefined => keys[id];
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const sqsBody = JSON.stringify({ QueueUrl: 'http://localhost:4566/000000000000/q', MessageBody: 'hello' });
const sqsRequest = {
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
  body: sqsBody,
};
const s3Request = {
  method: 'PUT',
  path: '/landing/incoming/NA-NCA/2026%2012/subjects%20one.csv',
  query: { 'x-id': 'PutObject' },
  headers: { 'x-amz-content-sha256': sha256('a,b\n1,2\n'), 'x-amz-server-side-encryption': 'aws:kms' },
};

const verifyBody = (request: IncomingRequest, body: string, now = NOW) =>
  verifySignedRequest(request, { body: Buffer.from(body) }, lookup, now);
const verifyS3 = (request: IncomingRequest, now = NOW) =>
  verifySignedRequest(request, s3PayloadHash(request), lookup, now);

describe('verifySignedRequest with the Authorization header', () => {
  it.each([
    ['sqs', sqsRequest],
    [
      'dynamodb',
      {
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.GetItem',
        },
        body: '{"TableName":"markers","Key":{"pk":{"S":"a"}}}',
      },
    ],
    [
      'sts',
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
    ],
  ])('accepts a %s request the SDK signed, with its body hash', async (service, request) => {
    const signed = await signWithSdk(service, request, NOW);
    expect(verifyBody(signed, request.body)).toEqual({
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
      region: 'eu-west-2',
      service,
    });
  });

  it('accepts an S3 request the SDK signed (path as sent, hash from x-amz-content-sha256)', async () => {
    const signed = await signWithSdk('s3', s3Request, NOW);
    expect(verifyS3(signed)).toMatchObject({ ok: true, service: 's3' });
  });

  it('accepts S3 paths with // and .. that must not be normalised', async () => {
    const signed = await signWithSdk('s3', { ...s3Request, path: '/landing/a//b/../c.csv' }, NOW);
    expect(verifyS3(signed)).toMatchObject({ ok: true });
  });

  it('accepts a session key with its token and refuses it with another or none', async () => {
    const session = (sessionToken: string | undefined, service = 'sqs', request: SdkRequest = sqsRequest) =>
      signWithSdk(service, request, NOW, { accessKeyId: SESSION_KEY_ID, sessionToken });
    expect(verifyBody(await session(TOKEN), sqsBody)).toMatchObject({
      ok: true,
      accessKeyId: SESSION_KEY_ID,
    });
    expect(verifyBody(await session('another-token'), sqsBody)).toMatchObject({
      code: 'InvalidClientTokenId',
    });
    expect(verifyBody(await session(undefined), sqsBody)).toMatchObject({ code: 'InvalidClientTokenId' });
    // A long-term key presenting a session token is refused too.
    const longTerm = await signWithSdk('sqs', sqsRequest, NOW, { sessionToken: TOKEN });
    expect(verifyBody(longTerm, sqsBody)).toMatchObject({ code: 'InvalidClientTokenId' });
    // S3 names the token itself.
    expect(verifyS3(await session('another-token', 's3', s3Request))).toMatchObject({ code: 'InvalidToken' });
  });

  it.each([
    ['the method', (r: IncomingRequest) => ({ ...r, method: 'GET' })],
    ['the path', (r: IncomingRequest) => ({ ...r, path: '/other' })],
    ['the query', (r: IncomingRequest) => ({ ...r, query: 'a=1' })],
    [
      'a signed header',
      (r: IncomingRequest) => ({ ...r, headers: { ...r.headers, 'x-amz-target': 'AmazonSQS.DeleteQueue' } }),
    ],
    ['the host', (r: IncomingRequest) => ({ ...r, headers: { ...r.headers, host: 'elsewhere:4566' } })],
    [
      'the date',
      (r: IncomingRequest) => ({ ...r, headers: { ...r.headers, 'x-amz-date': '20261202T101501Z' } }),
    ],
  ])('refuses a request when %s was changed', async (_, tamper) => {
    const signed = await signWithSdk('sqs', sqsRequest, NOW);
    expect(verifyBody(tamper(signed), sqsBody)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a changed body, a changed S3 content hash, a wrong secret and an unknown key', async () => {
    const signed = await signWithSdk('sqs', sqsRequest, NOW);
    expect(verifyBody(signed, `${sqsBody} `)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const s3 = await signWithSdk('s3', s3Request, NOW);
    expect(
      verifyS3({ ...s3, headers: { ...s3.headers, 'x-amz-content-sha256': sha256('other') } }),
    ).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const wrongSecret = await signWithSdk('sqs', sqsRequest, NOW, { secretAccessKey: 'not-the-secret' });
    expect(verifyBody(wrongSecret, sqsBody)).toMatchObject({ code: 'SignatureDoesNotMatch' });
    const unknown = {
      ...signed,
      headers: {
        ...signed.headers,
        authorization: signed.headers.authorization?.replace(ACCESS_KEY_ID, 'AKIDNOBODY'),
      },
    };
    expect(verifyBody(unknown, sqsBody)).toMatchObject({ code: 'InvalidClientTokenId' });
    const s3Unknown = {
      ...s3,
      headers: {
        ...s3.headers,
        authorization: s3.headers.authorization?.replace(ACCESS_KEY_ID, 'AKIDNOBODY'),
      },
    };
    expect(verifyS3(s3Unknown)).toMatchObject({ code: 'InvalidAccessKeyId' });
  });

  it('refuses a request signed more than 15 minutes from now, either way', async () => {
    const signed = await signWithSdk('sqs', sqsRequest, NOW);
    expect(verifyBody(signed, sqsBody, new Date(NOW.getTime() + 14 * 60_000))).toMatchObject({ ok: true });
    expect(verifyBody(signed, sqsBody, new Date(NOW.getTime() + 16 * 60_000))).toMatchObject({
      code: 'RequestExpired',
    });
    expect(verifyBody(signed, sqsBody, new Date(NOW.getTime() - 16 * 60_000))).toMatchObject({
      code: 'RequestExpired',
    });
  });

  it('calls an unsigned request unauthenticated and a malformed header incomplete', async () => {
    const unsigned = { method: 'GET', path: '/', query: '', headers: { host: 'localhost' } };
    expect(verifyBody(unsigned, '')).toMatchObject({ code: 'MissingAuthenticationToken' });
    expect(
      verifyBody({ ...unsigned, headers: { ...unsigned.headers, authorization: 'AWS AKID:sig' } }, ''),
    ).toMatchObject({ code: 'IncompleteSignature' });
    expect(
      verifyBody(
        { ...unsigned, headers: { ...unsigned.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } },
        '',
      ),
    ).toMatchObject({ code: 'IncompleteSignature' });
  });

  it('refuses a request carrying both a header and a query signature', async () => {
    const signed = await signWithSdk('sqs', sqsRequest, NOW);
    const both = { ...signed, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00' };
    expect(verifyBody(both, sqsBody)).toMatchObject({ code: 'IncompleteSignature' });
  });

  it('round-trips random paths, queries and bodies for S3 and SQS', async () => {
    const segment = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 12 }), {
          maxKeys: 4,
        }),
        fc.string({ maxLength: 200 }),
        async (segments, query, body) => {
          // The SDK puts each segment on the wire encoded once (S3's serializer does that for keys).
          const path = `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
          const request = { method: 'POST', path, query, headers: { 'content-type': 'text/plain' }, body };
          const sqs = await signWithSdk('sqs', request, NOW);
          expect(verifyBody(sqs, body)).toMatchObject({ ok: true });
          const s3 = await signWithSdk(
            's3',
            { ...request, headers: { ...request.headers, 'x-amz-content-sha256': sha256(body) } },
            NOW,
          );
          expect(verifyS3(s3)).toMatchObject({ ok: true });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('verifySignedRequest with a presigned URL', () => {
  const get = {
    method: 'GET',
    path: '/landing/incoming/NA-NCA/report%20(1).csv',
    query: { 'x-id': 'GetObject' },
    // What @aws-sdk/s3-request-presigner adds before presigning.
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  };

  it('accepts it until it expires, then refuses it', async () => {
    const presigned = await presignWithSdk('s3', get, NOW, 300);
    expect(presigned.headers.authorization).toBeUndefined();
    expect(verifyS3(presigned)).toMatchObject({ ok: true, service: 's3' });
    expect(verifyS3(presigned, new Date(NOW.getTime() + 299_000))).toMatchObject({ ok: true });
    expect(verifyS3(presigned, new Date(NOW.getTime() + 301_000))).toMatchObject({
      ok: false,
      code: 'RequestExpired',
    });
  });

  it('carries the session token in the query', async () => {
    const presigned = await presignWithSdk('s3', get, NOW, 300, {
      accessKeyId: SESSION_KEY_ID,
      sessionToken: TOKEN,
    });
    expect(presigned.query).toContain('X-Amz-Security-Token=');
    expect(verifyS3(presigned)).toMatchObject({ ok: true });
  });

  it('refuses a changed query, path or signature', async () => {
    const presigned = await presignWithSdk('s3', get, NOW, 300);
    expect(
      verifyS3({ ...presigned, query: presigned.query.replace('X-Amz-Expires=300', 'X-Amz-Expires=900') }),
    ).toMatchObject({ code: 'SignatureDoesNotMatch' });
    expect(verifyS3({ ...presigned, path: '/landing/other.csv' })).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(
      verifyS3({
        ...presigned,
        query: presigned.query.replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000'),
      }),
    ).toMatchObject({ code: 'SignatureDoesNotMatch' });
  });
});

describe('verifyPostPolicy', () => {
  const credentials = { accessKeyId: SESSION_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN };
  /** A form signed by hand with other conditions (the upload API always signs the same ones). */
  const presignWith = (conditions: unknown[]): Record<string, string> => {
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, '20261202'), 'eu-west-2'), 's3'), 'aws4_request');
    const fields = {
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': `${ACCESS_KEY_ID}/20261202/eu-west-2/s3/aws4_request`,
      'x-amz-date': '20261202T101500Z',
    };
    const all = [...conditions, ...Object.entries(fields).map(([name, value]) => ({ [name]: value }))];
    const policy = Buffer.from(
      JSON.stringify({ expiration: '2026-12-02T11:00:00Z', conditions: all }),
    ).toString('base64');
    return { ...fields, policy, 'x-amz-signature': createHmac('sha256', key).update(policy).digest('hex') };
  };
  const post = presignPost({
    bucket: 'landing',
    region: 'eu-west-2',
    key: 'incoming/NA-NCA/2026-12/subjects.csv',
    keyPrefix: 'incoming/NA-NCA/',
    minBytes: 1,
    maxBytes: 1000,
    expiresInSeconds: 900,
    now: NOW,
    credentials,
  });

  it('accepts the form the upload API signs (a round trip)', () => {
    expect(verifyPostPolicy(post.fields, 'landing', lookup, NOW)).toEqual({
      ok: true,
      accessKeyId: SESSION_KEY_ID,
      region: 'eu-west-2',
      service: 's3',
    });
  });

  it('reads field names in any case', () => {
    const lower = Object.fromEntries(
      Object.entries(post.fields).map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(verifyPostPolicy(lower, 'landing', lookup, NOW)).toMatchObject({ ok: true });
  });

  it('refuses another bucket, a key outside the prefix, an extra field, an expired policy', () => {
    expect(verifyPostPolicy(post.fields, 'other', lookup, NOW)).toMatchObject({ code: 'AccessDenied' });
    expect(
      verifyPostPolicy({ ...post.fields, key: 'incoming/OTHER/x.csv' }, 'landing', lookup, NOW),
    ).toMatchObject({ code: 'AccessDenied' });
    expect(verifyPostPolicy({ ...post.fields, acl: 'public-read' }, 'landing', lookup, NOW)).toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('acl'),
    });
    expect(
      verifyPostPolicy({ ...post.fields, 'x-ignore-note': 'anything' }, 'landing', lookup, NOW),
    ).toMatchObject({ ok: true });
    expect(verifyPostPolicy(post.fields, 'landing', lookup, new Date(NOW.getTime() + 901_000))).toMatchObject(
      {
        code: 'AccessDenied',
        message: expect.stringContaining('expired'),
      },
    );
  });

  it('refuses a changed policy, a wrong token, an unknown key and an unsigned form', () => {
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8'));
    policy.conditions[1] = ['starts-with', '$key', ''];
    const forged = Buffer.from(JSON.stringify(policy)).toString('base64');
    expect(verifyPostPolicy({ ...post.fields, Policy: forged }, 'landing', lookup, NOW)).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(
      verifyPostPolicy({ ...post.fields, 'X-Amz-Security-Token': 'other' }, 'landing', lookup, NOW),
    ).toMatchObject({ code: 'InvalidToken' });
    expect(verifyPostPolicy(post.fields, 'landing', () => undefined, NOW)).toMatchObject({
      code: 'InvalidAccessKeyId',
    });
    expect(verifyPostPolicy({ key: 'x' }, 'landing', lookup, NOW)).toMatchObject({
      code: 'MissingAuthenticationToken',
    });
  });

  it('checks eq and exact key conditions', () => {
    const exact = presignWith([{ bucket: 'landing' }, { key: 'a.csv' }, ['eq', '$Content-Type', 'text/csv']]);
    expect(
      verifyPostPolicy({ ...exact, key: 'a.csv', 'Content-Type': 'text/csv' }, 'landing', lookup, NOW),
    ).toMatchObject({ ok: true });
    expect(
      verifyPostPolicy({ ...exact, key: 'b.csv', 'Content-Type': 'text/csv' }, 'landing', lookup, NOW),
    ).toMatchObject({ code: 'AccessDenied' });
    expect(
      verifyPostPolicy({ ...exact, key: 'a.csv', 'Content-Type': 'text/plain' }, 'landing', lookup, NOW),
    ).toMatchObject({ code: 'AccessDenied' });
  });
});
