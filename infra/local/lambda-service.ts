import { createHash, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { serviceError } from './iam/error-responses.ts';
import type { AnsweredRequest, GatewayResponse } from './iam/gateway.ts';
import { type ContextSettings, createLambdaContext, type LocalFunction } from './lambda-context.ts';

/** A function the local Lambda API can invoke: how Lambda would describe it, and its handler. */
export type InvocableFunction = {
  readonly fn: LocalFunction<ContextSettings>;
  readonly handler: () => Promise<(event: unknown, context: Context) => Promise<unknown>>;
  /** Whether it has a Function URL (AWS_IAM auth). */
  readonly url: boolean;
};

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const URL_PATH = /^\/function-url\/([^/]+)(\/.*)?$/;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): GatewayResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Lambda's REST-JSON error shape, which the SDK reads from `x-amzn-errortype`. */
const lambdaError = (status: number, type: string, message: string): GatewayResponse =>
  serviceError('lambda', status, type, message);

/** The id a Function URL's domain starts with: stable for a function name. */
export const functionUrlId = (name: string): string =>
  createHash('sha256').update(name).digest('hex').slice(0, 32);

/** The local URL of a function's Function URL (as `https://{id}.lambda-url.{region}.on.aws/` on AWS). */
export const localFunctionUrl = (endpoint: string, name: string): string =>
  `${endpoint}/function-url/${encodeURIComponent(name)}/`;

const nameOf = (value: string): string => {
  const decoded = decodeURIComponent(value);
  return decoded.includes(':function:')
    ? (decoded.split(':function:')[1]?.split(':')[0] ?? decoded)
    : decoded;
};

const errorPayload = (err: unknown) => {
  const error = err instanceof Error ? err : new Error(String(err));
  return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
};

/**
 * The Lambda API of the local stack: `Invoke` (POST /2015-03-31/functions/{name}/invocations), which
 * needs lambda:InvokeFunction, and Function URLs with AWS_IAM auth (any method on
 * /function-url/{name}/...), which need lambda:InvokeFunctionUrl and lambda:InvokeFunction with
 * `lambda:InvokedViaFunctionUrl = true`, as AWS requires since October 2025
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). The function runs in its own execution
 * environment, as its own role; a Function URL event names the signer in `requestContext.authorizer.iam`.
 */
export const createLambdaApi =
  (deps: {
    readonly functions: ReadonlyMap<string, InvocableFunction>;
    readonly region: string;
    readonly account: string;
  }) =>
  async (request: AnsweredRequest): Promise<GatewayResponse> => {
    const { incoming, caller, body, refusal } = request;
    const arnOf = (name: string): string => `arn:aws:lambda:${deps.region}:${deps.account}:function:${name}`;
    const invoke = INVOKE.exec(incoming.path);
    if (invoke && incoming.method === 'POST') {
      const name = nameOf(invoke[1] as string);
      const target = deps.functions.get(name);
      const refused = refusal([{ action: 'lambda:InvokeFunction', resource: arnOf(name) }]);
      if (refused) return refused;
      if (!target) return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${arnOf(name)}`);
      const event = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
      const run = async () => (await target.handler())(event, createLambdaContext(target.fn));
      if (incoming.headers['x-amz-invocation-type'] === 'Event') {
        run().catch(() => undefined);
        return { status: 202, headers: {}, body: '' };
      }
      try {
        const result = await run();
        return json(200, result ?? null, { 'x-amz-executed-version': '$LATEST' });
      } catch (err) {
        return json(200, errorPayload(err), {
          'x-amz-function-error': 'Unhandled',
          'x-amz-executed-version': '$LATEST',
        });
      }
    }
    const url = URL_PATH.exec(incoming.path);
    if (url) {
      const name = nameOf(url[1] as string);
      const target = deps.functions.get(name);
      const refused = refusal([
        {
          action: 'lambda:InvokeFunctionUrl',
          resource: arnOf(name),
          context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
        },
        {
          action: 'lambda:InvokeFunction',
          resource: arnOf(name),
          context: { 'lambda:InvokedViaFunctionUrl': 'true' },
        },
      ]);
      if (refused) return refused;
      if (!target?.url) return json(404, { Message: null });
      const id = functionUrlId(name);
      const now = new Date();
      const text = body.toString('utf8');
      const isText = Buffer.from(text, 'utf8').equals(body);
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url[2] ?? '/',
        rawQueryString: incoming.query,
        headers: Object.fromEntries(
          Object.entries(incoming.headers).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        requestContext: {
          accountId: deps.account,
          apiId: id,
          authorizer: {
            iam: {
              accessKey: caller.accessKeyId,
              accountId: deps.account,
              callerId: caller.accessKeyId,
              userArn: caller.sessionArn,
              userId: caller.accessKeyId,
            },
          },
          domainName: `${id}.lambda-url.${deps.region}.on.aws`,
          domainPrefix: id,
          http: {
            method: incoming.method,
            path: url[2] ?? '/',
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: incoming.headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
        },
        body: isText ? text : body.toString('base64'),
        isBase64Encoded: !isText,
      };
      try {
        const result = (await (
          await target.handler()
        )(event, createLambdaContext(target.fn))) as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
        };
        return { status: result.statusCode ?? 200, headers: result.headers ?? {}, body: result.body ?? '' };
      } catch {
        return json(502, { Message: 'Internal Server Error' });
      }
    }
    return lambdaError(
      404,
      'UnknownOperationException',
      `The local Lambda API has no ${incoming.method} ${incoming.path}`,
    );
  };
