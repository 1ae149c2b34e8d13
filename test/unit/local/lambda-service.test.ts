import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AnsweredRequest, GatewayResponse } from '../../../infra/local/iam/gateway.ts';
import type { Persona } from '../../../infra/local/iam/personas.ts';
import type { AuthorizationRequest, IncomingRequest } from '../../../infra/local/iam/request-types.ts';
import {
  createLambdaApi,
  functionUrlId,
  type InvocableFunction,
  localFunctionUrl,
} from '../../../infra/local/lambda-service.ts';

const region = 'eu-west-2';
const account = '111122223333';
const arnOf = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const caller: Persona = {
  profile: 'org-PF-1',
  roleArn: `arn:aws:iam::${account}:role/upload-PF-1`,
  sessionArn: `arn:aws:sts::${account}:assumed-role/upload-PF-1/org-PF-1`,
  accessKeyId: 'AKIA00000000000000PF',
  secretAccessKey: 'secret',
  statements: [],
};

type Call = { event: unknown; context: Context };
const fakeFunction = (
  name: string,
  behaviour: (event: unknown) => Promise<unknown>,
  url = false,
): { fn: InvocableFunction; calls: Call[] } => {
  const calls: Call[] = [];
  return {
    calls,
    fn: {
      fn: { name, region, accountId: account, settings: { timeoutSeconds: 10, memoryMb: 128 } },
      url,
      handler: async () => async (event, context) => {
        calls.push({ event, context });
        return behaviour(event);
      },
    },
  };
};

const REFUSED: GatewayResponse = {
  status: 403,
  headers: { 'x-amzn-errortype': 'AccessDeniedException' },
  body: 'no',
};

const setup = (refuse: (r: AuthorizationRequest) => boolean = () => false) => {
  const asked: AuthorizationRequest[][] = [];
  const echo = fakeFunction('msht-dev-echo', async (event) => ({ got: event }));
  const failing = fakeFunction('msht-dev-failing', async () => {
    const error = new Error('the table is gone');
    error.name = 'ResourceNotFoundException';
    throw error;
  });
  const api = fakeFunction(
    'msht-dev-upload-api',
    async () => ({ statusCode: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }),
    true,
  );
  const broken = fakeFunction('msht-dev-broken-api', async () => Promise.reject(new Error('boom')), true);
  const lambda = createLambdaApi({
    functions: new Map([
      ['msht-dev-echo', echo.fn],
      ['msht-dev-failing', failing.fn],
      ['msht-dev-upload-api', api.fn],
      ['msht-dev-broken-api', broken.fn],
    ]),
    region,
    account,
  });
  const call = (incoming: Partial<IncomingRequest> & { path: string }, body: Buffer | string = '') => {
    const request: AnsweredRequest = {
      caller,
      incoming: { method: 'POST', query: '', headers: {}, ...incoming },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      refusal: (requests) => {
        asked.push([...requests]);
        return requests.some(refuse) ? REFUSED : undefined;
      },
    };
    return lambda(request);
  };
  return { call, asked, echo, failing, api, broken };
};
const invokePath = (name: string) => `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;

describe('createLambdaApi: Invoke', () => {
  it('asks lambda:InvokeFunction on the function ARN and returns the handler result', async () => {
    const { call, asked, echo } = setup();
    const answer = await call({ path: invokePath('msht-dev-echo') }, '{"month":"2026-10"}');
    expect(asked).toEqual([[{ action: 'lambda:InvokeFunction', resource: arnOf('msht-dev-echo') }]]);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-amz-executed-version']).toBe('$LATEST');
    expect(JSON.parse(answer.body)).toEqual({ got: { month: '2026-10' } });
    expect(echo.calls[0]?.context.invokedFunctionArn).toBe(arnOf('msht-dev-echo'));
    expect(echo.calls[0]?.context.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
  });

  it('accepts the function ARN in the path, and an empty body as an empty event', async () => {
    const { call, asked, echo } = setup();
    const answer = await call({ path: invokePath(arnOf('msht-dev-echo')) });
    expect(asked[0]?.[0]?.resource).toBe(arnOf('msht-dev-echo'));
    expect(JSON.parse(answer.body)).toEqual({ got: {} });
    expect(echo.calls).toHaveLength(1);
  });

  it('returns the refusal without running the handler', async () => {
    const { call, echo } = setup(() => true);
    expect(await call({ path: invokePath('msht-dev-echo') }, '{}')).toBe(REFUSED);
    expect(echo.calls).toEqual([]);
  });

  it('an Event invocation answers 202 at once and runs the handler', async () => {
    const { call, echo } = setup();
    const answer = await call(
      { path: invokePath('msht-dev-echo'), headers: { 'x-amz-invocation-type': 'Event' } },
      '{"a":1}',
    );
    expect(answer).toEqual({ status: 202, headers: {}, body: '' });
    await expect.poll(() => echo.calls.length).toBe(1);
    expect(echo.calls[0]?.event).toEqual({ a: 1 });
  });

  it('a handler error is a 200 with x-amz-function-error Unhandled and the error payload', async () => {
    const { call } = setup();
    const answer = await call({ path: invokePath('msht-dev-failing') }, '{}');
    expect(answer.status).toBe(200);
    expect(answer.headers['x-amz-function-error']).toBe('Unhandled');
    expect(JSON.parse(answer.body)).toMatchObject({
      errorType: 'ResourceNotFoundException',
      errorMessage: 'the table is gone',
    });
  });

  it('an unknown function is a 404 ResourceNotFoundException (after the permission check)', async () => {
    const { call, asked } = setup();
    const answer = await call({ path: invokePath('msht-dev-missing') }, '{}');
    expect(asked).toHaveLength(1);
    expect(answer.status).toBe(404);
    expect(answer.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(JSON.parse(answer.body).message).toBe(`Function not found: ${arnOf('msht-dev-missing')}`);
  });

  it('an unknown route is a 404 UnknownOperationException', async () => {
    const { call } = setup();
    const answer = await call({ method: 'GET', path: '/2015-03-31/functions' });
    expect(answer.status).toBe(404);
    expect(answer.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });
});

describe('createLambdaApi: Function URLs (AWS_IAM)', () => {
  const urlPath = new URL(localFunctionUrl('http://127.0.0.1:4566', 'msht-dev-upload-api')).pathname;

  it('asks lambda:InvokeFunctionUrl and lambda:InvokeFunction (via the URL) on the function', async () => {
    const { call, asked } = setup();
    await call({ path: `${urlPath}uploads` }, '{}');
    expect(asked).toEqual([
      [
        {
          action: 'lambda:InvokeFunctionUrl',
          resource: arnOf('msht-dev-upload-api'),
          context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
        },
        {
          action: 'lambda:InvokeFunction',
          resource: arnOf('msht-dev-upload-api'),
          context: { 'lambda:InvokedViaFunctionUrl': 'true' },
        },
      ],
    ]);
  });

  it('builds a payload 2.0 event naming the signer and answers with the handler response', async () => {
    const { call, api } = setup();
    const answer = await call(
      {
        method: 'PUT',
        path: `${urlPath}uploads/123`,
        query: 'month=2026-10',
        headers: { 'content-type': 'application/json', 'user-agent': 'test-agent', absent: undefined },
      },
      '{"file":"subjects.csv"}',
    );
    expect(answer).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    const event = api.calls[0]?.event as {
      headers: Record<string, string>;
      requestContext: { domainName: string };
    };
    const id = functionUrlId('msht-dev-upload-api');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/uploads/123',
      rawQueryString: 'month=2026-10',
      headers: { 'content-type': 'application/json', 'user-agent': 'test-agent' },
      body: '{"file":"subjects.csv"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: account,
        authorizer: {
          iam: { userArn: caller.sessionArn, accessKey: caller.accessKeyId, accountId: account },
        },
        domainName: `${id}.lambda-url.${region}.on.aws`,
        http: { method: 'PUT', path: '/uploads/123', userAgent: 'test-agent' },
      },
    });
    expect(event.requestContext.domainName.endsWith(`.lambda-url.${region}.on.aws`)).toBe(true);
    expect('absent' in event.headers).toBe(false);
  });

  it('passes a binary body base64-encoded', async () => {
    const { call, api } = setup();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80]);
    await call({ path: urlPath }, bytes);
    const event = api.calls[0]?.event as { body: string; isBase64Encoded: boolean; rawPath: string };
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64').equals(bytes)).toBe(true);
    expect(event.rawPath).toBe('/');
  });

  it('refused, never runs the handler', async () => {
    const { call, api } = setup((r) => r.action === 'lambda:InvokeFunction');
    expect(await call({ path: urlPath }, '{}')).toBe(REFUSED);
    expect(api.calls).toEqual([]);
  });

  it('a function without a URL, or an unknown one, is a 404; a handler error a 502', async () => {
    const { call, echo } = setup();
    expect((await call({ path: '/function-url/msht-dev-echo/' })).status).toBe(404);
    expect((await call({ path: '/function-url/msht-dev-missing/' })).status).toBe(404);
    expect(echo.calls).toEqual([]);
    const broken = await call({ path: '/function-url/msht-dev-broken-api/' });
    expect(broken.status).toBe(502);
    expect(JSON.parse(broken.body)).toEqual({ Message: 'Internal Server Error' });
  });

  it('function URL ids are stable per name', () => {
    expect(functionUrlId('a')).toBe(functionUrlId('a'));
    expect(functionUrlId('a')).not.toBe(functionUrlId('b'));
    expect(functionUrlId('a')).toMatch(/^[0-9a-f]{32}$/);
  });
});
