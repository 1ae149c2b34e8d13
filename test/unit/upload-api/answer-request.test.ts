import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { answerUploadRequest } from '../../../functions/upload-api/answer-request.ts';
import { loadUploadApiConfig, type UploadApiConfig } from '../../../functions/upload-api/config.ts';
import { SIGNER_SESSION_SECONDS, signerSessionPolicy } from '../../../functions/upload-api/signer-session.ts';

const ACCOUNT = '123456789012';
const CONFIG: UploadApiConfig = {
  landingBucket: 'msht-dev-landing-123456789012-eu-west-2',
  prefix: 'msht-dev',
  organisations: ['PF-E23000001', 'NA-NCA'],
  maxFileBytes: 1000,
  signerRoleArn: `arn:aws:iam::${ACCOUNT}:role/msht-dev-upload-form-signer`,
};
const SESSION = {
  AccessKeyId: 'ASIASIGNERSESSION000',
  SecretAccessKey: 'signer-session-secret',
  SessionToken: 'signer-session-token',
  Expiration: new Date('2026-11-05T10:35:30Z'),
};
const NOW = new Date('2026-11-05T10:20:30.456Z');
const sts = mockClient(STSClient);
const FN = { region: 'eu-west-2', accountId: ACCOUNT, loopbackAllowed: false };

const request = (role: string, body: unknown, domainName = 'abc123.lambda-url.eu-west-2.on.aws') =>
  ({
    version: '2.0',
    rawPath: '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    requestContext: {
      accountId: 'anonymous',
      domainName,
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      authorizer: {
        iam: { accountId: ACCOUNT, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/alice` },
      },
    },
  }) as unknown as LambdaFunctionURLEvent;

const answer = (event: LambdaFunctionURLEvent) =>
  answerUploadRequest(event, {
    config: CONFIG,
    sts: new STSClient({ region: 'eu-west-2' }),
    fn: FN,
    formUrl: 'https://form',
    now: NOW,
  });

const UPLOAD = { fileName: 'subjects.csv', period: '2026-10' };

beforeEach(() => {
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: SESSION });
});

describe('answerUploadRequest', () => {
  it('signs the form with a 15-minute signer session named after, and scoped to, the caller’s organisation', async () => {
    // Act
    const result = await answer(request('msht-dev-upload-NA-NCA', UPLOAD));

    // Assess
    if (result.status !== 200) throw new Error(JSON.stringify(result));
    expect(result.body.fields).toMatchObject({
      key: 'incoming/NA-NCA/2026-10/subjects.csv',
      'X-Amz-Credential': `${SESSION.AccessKeyId}/20261105/eu-west-2/s3/aws4_request`,
      'X-Amz-Security-Token': SESSION.SessionToken,
    });
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      RoleArn: CONFIG.signerRoleArn,
      RoleSessionName: 'NA-NCA',
      DurationSeconds: SIGNER_SESSION_SECONDS,
    });
    expect(SIGNER_SESSION_SECONDS).toBe(900);
    const policy = JSON.parse(String(input?.Policy)) as ReturnType<typeof signerSessionPolicy>;
    expect(policy).toEqual(
      signerSessionPolicy({ landingBucket: CONFIG.landingBucket, org: 'NA-NCA', region: 'eu-west-2' }),
    );
  });

  it('names exactly the organisation’s own prefix in the session policy, and nothing else in S3', async () => {
    // Act
    await answer(request('msht-dev-upload-PF-E23000001', UPLOAD));

    // Assess
    const policy = JSON.parse(String(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.Policy)) as {
      Statement: { Action: string | string[]; Resource: string; Condition?: unknown }[];
    };
    const s3 = policy.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${CONFIG.landingBucket}/incoming/PF-E23000001/*`,
      }),
    ]);
    const kms = policy.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    expect(kms).toEqual([
      expect.objectContaining({
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' } },
      }),
    ]);
    expect(policy.Statement).toHaveLength(2);
  });

  it('refuses an invocation that did not come through the Function URL (403, no form, no session)', async () => {
    // Prepare: a direct Invoke with a requestContext forged for an organisation
    const forged = request('msht-dev-upload-NA-NCA', UPLOAD, 'attacker.example.com');
    const direct = { ...request('msht-dev-upload-NA-NCA', UPLOAD), version: undefined } as never;

    // Act and Assess
    for (const event of [forged, direct]) {
      const result = await answer(event);
      expect(result.status).toBe(403);
      expect(result.body).not.toHaveProperty('fields');
    }
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('assumes nothing for a caller that is not an upload role (403) or a body it cannot use (400)', async () => {
    expect((await answer(request('msht-dev-national-team', UPLOAD))).status).toBe(403);
    expect((await answer(request('msht-dev-upload-NA-NCA', 'fileName=subjects.csv'))).status).toBe(400);
    expect((await answer(request('msht-dev-upload-NA-NCA', { ...UPLOAD, org: 'PF-E23000001' }))).status).toBe(
      400,
    );
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('fails rather than sign with anything else when STS gives no credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    await expect(answer(request('msht-dev-upload-NA-NCA', UPLOAD))).rejects.toThrow(/no credentials/);
  });
});

describe('loadUploadApiConfig', () => {
  const env = {
    MSHT_PREFIX: 'msht-dev',
    MSHT_ORGANISATIONS: '["NA-NCA"]',
    MSHT_LANDING_BUCKET: CONFIG.landingBucket,
    MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN: CONFIG.signerRoleArn,
  };

  it('reads the signer role, and refuses to start without one or with something else', () => {
    expect(loadUploadApiConfig(env).signerRoleArn).toBe(CONFIG.signerRoleArn);
    expect(() => loadUploadApiConfig({ ...env, MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN: '' })).toThrow(
      'MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN is not set',
    );
    expect(() =>
      loadUploadApiConfig({ ...env, MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN: 'msht-dev-upload-form-signer' }),
    ).toThrow(/MSHT_UPLOAD_FORM_SIGNER_ROLE_ARN: must be the ARN of an IAM role/);
  });
});
