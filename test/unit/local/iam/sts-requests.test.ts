// @aws-sdk/client-sts is not installed; the SDK's nested STS client (what its credential providers use)
// has the same AssumeRole serializer and parser.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  assumeRoleResponse,
  getCallerIdentityResponse,
  parseStsRequest,
  stsAuthorizationRequests,
} from '../../../../infra/local/iam/sts-requests.ts';
import { cannedServer, clientOptions } from './aws-sdk-server.ts';

const ROLE = 'arn:aws:iam::111122223333:role/msht-dev-indexer';
const session = {
  assumedRoleArn: 'arn:aws:sts::111122223333:assumed-role/msht-dev-indexer/local',
  assumedRoleId: 'AROAEXAMPLE0000000001:local',
  accessKeyId: 'ASIAEXAMPLE000000001',
  secretAccessKey: 'secret/with+chars',
  sessionToken: 'token<&>',
  expiration: new Date('2026-12-02T11:15:00.000Z'),
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const form = (body: string) =>
  parseStsRequest(
    {
      method: 'POST',
      path: '/',
      query: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    Buffer.from(body),
  );

describe('STS through the SDK client', () => {
  it('parses what the client sends and the client parses the answer', async () => {
    const server = await cannedServer(assumeRoleResponse(session, 'req-1'));
    closers.push(server.close);
    const sts = new STSClient(clientOptions(server.endpoint));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
    const output = await sts.send(
      new AssumeRoleCommand({
        RoleArn: ROLE,
        RoleSessionName: 'local',
        Policy: policy,
        DurationSeconds: 900,
      }),
    );
    expect(output.Credentials).toEqual({
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    });
    expect(output.AssumedRoleUser).toEqual({
      Arn: session.assumedRoleArn,
      AssumedRoleId: session.assumedRoleId,
    });
    expect(output.$metadata.requestId).toBe('req-1');

    const seen = server.seen[0];
    if (!seen) throw new Error('the SDK sent nothing');
    const parsed = parseStsRequest(
      { method: seen.method, path: seen.url, query: '', headers: seen.headers as Record<string, string> },
      Buffer.from(seen.body),
    );
    expect(parsed).toEqual({
      action: 'AssumeRole',
      roleArn: ROLE,
      sessionName: 'local',
      policy,
      durationSeconds: 900,
    });
    expect(stsAuthorizationRequests(parsed)).toEqual([{ action: 'sts:AssumeRole', resource: ROLE }]);
  });
});

describe('parseStsRequest', () => {
  it('reads GetCallerIdentity, which needs no permission', () => {
    const parsed = form('Action=GetCallerIdentity&Version=2011-06-15');
    expect(parsed).toEqual({ action: 'GetCallerIdentity' });
    expect(stsAuthorizationRequests(parsed)).toEqual([]);
  });

  it('defaults the duration to an hour and refuses what it cannot serve', () => {
    expect(form(`Action=AssumeRole&RoleArn=${encodeURIComponent(ROLE)}&RoleSessionName=s`)).toEqual({
      action: 'AssumeRole',
      roleArn: ROLE,
      sessionName: 's',
      durationSeconds: 3600,
    });
    expect(form('Action=AssumeRole&RoleSessionName=s')).toMatchObject({ action: 'Invalid' });
    expect(form(`Action=AssumeRole&RoleArn=${ROLE}&RoleSessionName=s&DurationSeconds=60`)).toMatchObject({
      action: 'Invalid',
    });
    expect(form('Action=GetSessionToken')).toMatchObject({ action: 'Invalid' });
  });
});

describe('getCallerIdentityResponse', () => {
  it('is the document STS sends', () => {
    const response = getCallerIdentityResponse(
      { arn: session.assumedRoleArn, userId: session.assumedRoleId, account: '111122223333' },
      'req-2',
    );
    expect(response.status).toBe(200);
    expect(response.body).toBe(
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
        '<Arn>arn:aws:sts::111122223333:assumed-role/msht-dev-indexer/local</Arn><UserId>AROAEXAMPLE0000000001:local</UserId>' +
        '<Account>111122223333</Account></GetCallerIdentityResult>' +
        '<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
    );
  });
});
