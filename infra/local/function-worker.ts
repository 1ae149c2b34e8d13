// One Lambda execution environment of the local stack: a worker thread that imports a function's
// handler module and runs the invocations the main thread posts to it, one at a time. Started by
// infra/local/function-runtime.ts with the function's own environment (its env contract and its
// role's credentials), so the handler sees only what it would see on Lambda.
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { InvocationMessage, InvocationResult } from './function-runtime.ts';

const { entry } = workerData as { entry: string };
const port = parentPort;
if (!port) throw new Error('function-worker.ts runs as a worker thread');

const unsupported = (name: string) => (): never => {
  throw new Error(`context.${name}() is not supported by the local stack: return a promise instead`);
};

const module = (await import(entry)) as { handler?: (event: unknown, context: Context) => Promise<unknown> };
const handler = module.handler;
if (typeof handler !== 'function') throw new Error(`${entry} does not export a handler function`);

port.on('message', (message: InvocationMessage) => {
  const { id, event, context } = message;
  const lambdaContext: Context = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(context.deadline - Date.now())),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
  handler(event, lambdaContext).then(
    (result) => port.postMessage({ id, ok: true, result } satisfies InvocationResult),
    (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      port.postMessage({
        id,
        ok: false,
        error: { name: error.name, message: error.message, stack: error.stack ?? '' },
      } satisfies InvocationResult);
    },
  );
});
port.postMessage({ ready: true });
