import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { organisationOfCaller } from '../../../functions/upload-api/caller.ts';
import type { UploadApiConfig } from '../../../functions/upload-api/config.ts';
import { issueUpload, PRESIGN_SECONDS } from '../../../functions/upload-api/issue-upload.ts';
import { presignPost } from '../../../functions/upload-api/post-policy.ts';
import { NodeSha256 } from '../../support/node-sha256.ts';

const ACCOUNT = '123456789012';
const CONFIG: UploadApiConfig = {
  landingBucket: 'msht-dev-landing-123456789012-eu-west-2',
  prefix: 'msht-dev',
  organisations: ['PF-E23000001', 'NA-NCA'],
  maxFileBytes: 512 * 1024 * 1024,
  signerRoleArn: `arn:aws:iam::${ACCOUNT}:role/msht-dev-upload-form-signer`,
};
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const NOW = new Date('2026-11-05T10:20:30.456Z');
const roleArn = (role: string, account = ACCOUNT) => `arn:aws:sts::${account}:assumed-role/${role}/alice`;
const deps = {
  config: CONFIG,
  signingCredentials: async () => CREDENTIALS,
  region: 'eu-west-2',
  formUrl: 'https://form',
  now: NOW,
};

const policyOf = (fields: Readonly<Record<string, string>>) =>
  JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };

describe('organisationOfCaller', () => {
  const options = { prefix: 'msht-dev', accountId: ACCOUNT, organisations: CONFIG.organisations };

  it('is the organisation of the upload role that signed the request', () => {
    expect(organisationOfCaller(roleArn('msht-dev-upload-PF-E23000001'), options)).toBe('PF-E23000001');
    expect(organisationOfCaller(roleArn('msht-dev-upload-NA-NCA'), options)).toBe('NA-NCA');
  });

  it('is nobody for any other identity', () => {
    for (const arn of [
      undefined,
      '',
      roleArn('msht-dev-national-team'),
      roleArn('msht-dev-feed-consumer'),
      roleArn('msht-prod-upload-PF-E23000001'),
      roleArn('msht-dev-upload-PF-E23000002'), // a real force, not configured in this stage
      roleArn('msht-dev-upload-PF-E23000001', '210987654321'), // another account
      `arn:aws:iam::${ACCOUNT}:user/msht-dev-upload-PF-E23000001`,
      `${roleArn('msht-dev-upload-PF-E23000001')}/extra`,
    ]) {
      expect([arn, organisationOfCaller(arn, options)]).toEqual([arn, undefined]);
    }
  });
});

describe('presignPost', () => {
  const request = {
    bucket: CONFIG.landingBucket,
    region: 'eu-west-2',
    key: 'incoming/NA-NCA/2026-10/subjects.csv',
    keyPrefix: 'incoming/NA-NCA/',
    minBytes: 1,
    maxBytes: 1000,
    expiresInSeconds: 900,
    now: NOW,
    credentials: CREDENTIALS,
  };

  it('signs the policy as the AWS SDK’s Signature Version 4 signer does', async () => {
    const post = presignPost(request);
    const signer = new SignatureV4({
      credentials: CREDENTIALS,
      region: 'eu-west-2',
      service: 's3',
      sha256: NodeSha256,
    });
    const expected = await signer.sign(post.fields.Policy ?? '', { signingDate: NOW });
    expect(post.fields['X-Amz-Signature']).toBe(expected);
    expect(post.fields).toMatchObject({
      key: request.key,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${CREDENTIALS.accessKeyId}/20261105/eu-west-2/s3/aws4_request`,
      'X-Amz-Date': '20261105T102030Z',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
    });
  });

  it('limits the bucket, the key prefix, the size and the time, and signs every form field it sets', () => {
    const post = presignPost(request);
    const policy = policyOf(post.fields);
    expect(policy.expiration).toBe('2026-11-05T10:35:30.456Z');
    expect(policy.conditions).toEqual([
      { bucket: CONFIG.landingBucket },
      ['starts-with', '$key', 'incoming/NA-NCA/'],
      ['content-length-range', 1, 1000],
      { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
      { 'x-amz-credential': post.fields['X-Amz-Credential'] },
      { 'x-amz-date': '20261105T102030Z' },
      { 'x-amz-security-token': CREDENTIALS.sessionToken },
    ]);
  });

  it('refuses a key outside the prefix it signs for', () => {
    expect(() => presignPost({ ...request, key: 'incoming/PF-E23000001/2026-10/subjects.csv' })).toThrow(
      RangeError,
    );
  });
});

describe('issueUpload', () => {
  const force = { userArn: roleArn('msht-dev-upload-PF-E23000001'), accountId: ACCOUNT };

  it('gives a force a form for its own prefix, as large as ingest accepts, for 15 minutes', async () => {
    const answer = await issueUpload({ fileName: 'subjects.csv', period: '2026-10' }, force, deps);
    if (answer.status !== 200) throw new Error(JSON.stringify(answer));
    expect(answer.body).toMatchObject({
      url: 'https://form',
      key: 'incoming/PF-E23000001/2026-10/subjects.csv',
      maxBytes: CONFIG.maxFileBytes,
      expiresAt: new Date(NOW.getTime() + PRESIGN_SECONDS * 1000).toISOString(),
    });
    expect(policyOf(answer.body.fields).conditions).toContainEqual([
      'starts-with',
      '$key',
      'incoming/PF-E23000001/',
    ]);
  });

  it('refuses anyone but an upload role (403), whatever the body says', async () => {
    const answer = await issueUpload(
      { fileName: 'subjects.csv', period: '2026-10' },
      { userArn: roleArn('msht-dev-national-team'), accountId: ACCOUNT },
      deps,
    );
    expect(answer.status).toBe(403);
  });

  it('refuses a body naming an organisation, a path, or a file the pipeline cannot read (400)', async () => {
    for (const body of [
      { fileName: 'subjects.csv', period: '2026-10', org: 'NA-NCA' },
      { fileName: '../NA-NCA/subjects.csv', period: '2026-10' },
      { fileName: 'a/subjects.csv', period: '2026-10' },
      { fileName: 'victims.xlsx', period: '2026-10' },
      { fileName: 'subjects.csv', period: '2026-13' },
      null,
    ]) {
      const answer = await issueUpload(body, force, deps);
      expect([body, answer.status]).toEqual([body, 400]);
    }
  });
});
