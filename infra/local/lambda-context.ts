import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSettings } from '../config.ts';

/** What a Lambda context needs of a function's settings. */
export type ContextSettings = Pick<FunctionSettings, 'timeoutSeconds' | 'memoryMb'>;

/** The function an invocation belongs to, as Lambda would describe it. */
export type LocalFunction<S extends ContextSettings = FunctionSettings> = {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly settings: S;
};

const unsupported = (name: string) => (): never => {
  throw new Error(`context.${name}() is not supported by the local stack: return a promise instead`);
};

/**
 * A Lambda-like `Context` for one invocation: names and ARN of the function, a fresh request id, and
 * `getRemainingTimeInMillis()` counting down from the function's timeout.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
export const createLambdaContext = (
  fn: LocalFunction<ContextSettings>,
  now: () => number = Date.now,
): Context => {
  const deadline = now() + fn.settings.timeoutSeconds * 1000;
  const day = new Date(now()).toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.name}`,
    memoryLimitInMB: String(fn.settings.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    // Whole milliseconds, as Lambda gives them.
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - now())),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
};
