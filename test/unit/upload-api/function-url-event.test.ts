import { describe, expect, it } from 'vitest';
import { accountOfFunctionArn, functionUrlCaller } from '../../../functions/upload-api/function-url-event.ts';

const ACCOUNT = '123456789012';
const USER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/msht-dev-upload-NA-NCA/alice`;
const ON_AWS = { region: 'eu-west-2', accountId: ACCOUNT, loopbackAllowed: false };
const LOCAL = { ...ON_AWS, loopbackAllowed: true };

/** A Function URL request as Lambda delivers it (payload format 2.0, AWS_IAM auth), with overrides. */
const event = (
  overrides: { domainName?: string; version?: string; iamAccount?: string; method?: string | null } = {},
) => ({
  version: overrides.version ?? '2.0',
  rawPath: '/',
  body: '{}',
  isBase64Encoded: false,
  requestContext: {
    accountId: 'anonymous',
    domainName: overrides.domainName ?? 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-2.on.aws',
    ...(overrides.method === null ? {} : { http: { method: overrides.method ?? 'POST', path: '/' } }),
    authorizer: { iam: { userArn: USER_ARN, accountId: overrides.iamAccount ?? ACCOUNT } },
  },
});

describe('functionUrlCaller', () => {
  it('is the IAM caller of a Function URL request to this function’s region and account', () => {
    expect(functionUrlCaller(event(), ON_AWS)).toEqual({ userArn: USER_ARN, accountId: ACCOUNT });
  });

  it('is nobody for an event that did not come through the Function URL', () => {
    const forged = [
      {},
      null,
      'POST',
      event({ version: '1.0' }),
      event({ method: null }),
      event({ domainName: 'abc.execute-api.eu-west-2.amazonaws.com' }),
      event({ domainName: 'abc.lambda-url.us-east-1.on.aws' }), // another region's URL
      event({ domainName: '.lambda-url.eu-west-2.on.aws' }),
      event({ domainName: 'abc.lambda-url.eu-west-2.on.aws.example.com' }),
      event({ domainName: 'localhost' }), // loopback only on the local stack
      event({ domainName: '127.0.0.1:3000' }),
      event({ iamAccount: '210987654321' }), // a caller in another account
      { ...event(), requestContext: { ...event().requestContext, authorizer: {} } },
      {
        ...event(),
        requestContext: { ...event().requestContext, authorizer: { iam: { accountId: ACCOUNT } } },
      },
    ];
    for (const e of forged) expect([e, functionUrlCaller(e, ON_AWS)]).toEqual([e, undefined]);
  });

  it('takes a loopback domain for the URL’s only on the local stack', () => {
    for (const domainName of ['localhost', '127.0.0.1', '127.0.0.1:3000', '[::1]:8080', '::1']) {
      expect([domainName, functionUrlCaller(event({ domainName }), LOCAL)?.userArn]).toEqual([
        domainName,
        USER_ARN,
      ]);
      expect([domainName, functionUrlCaller(event({ domainName }), ON_AWS)]).toEqual([domainName, undefined]);
    }
    expect(functionUrlCaller(event({ domainName: 'evil.example.com' }), LOCAL)).toBeUndefined();
  });

  it('is nobody when the function does not know its own account', () => {
    expect(functionUrlCaller(event(), { ...ON_AWS, accountId: '' })).toBeUndefined();
  });
});

describe('accountOfFunctionArn', () => {
  it('is the account of the function ARN Lambda gives, or empty', () => {
    expect(accountOfFunctionArn(`arn:aws:lambda:eu-west-2:${ACCOUNT}:function:msht-dev-upload-api`)).toBe(
      ACCOUNT,
    );
    expect(accountOfFunctionArn(undefined)).toBe('');
    expect(accountOfFunctionArn('msht-dev-upload-api')).toBe('');
  });
});
