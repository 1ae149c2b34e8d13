import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';

/** What crosses to the worker for one invocation: the event and the context's plain fields. */
export type InvocationMessage = {
  readonly id: number;
  readonly event: unknown;
  readonly context: Omit<
    Context,
    'getRemainingTimeInMillis' | 'done' | 'fail' | 'succeed' | 'callbackWaitsForEmptyEventLoop'
  > & { readonly deadline: number };
};

export type InvocationResult =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { name: string; message: string; stack: string };
    };

/** A handler as the local stack calls it. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export type FunctionRuntime = {
  /** Invokes the function in its own environment; rejects with the handler's error, as Lambda reports it. */
  readonly handler: LocalHandler;
  /** Waits until the module has loaded (a cold start), so start-up errors show at once. */
  readonly ready: () => Promise<void>;
  readonly stop: () => Promise<void>;
};

/**
 * A Lambda execution environment for one function: a worker thread whose `process.env` is the
 * function's own environment (its env contract, region, endpoints, and its role's credentials) and
 * which imports the function's handler module, as Lambda runs each function apart from the others.
 * A worker that dies is replaced at the next invocation (a new execution environment).
 */
export const startFunctionRuntime = (options: {
  readonly name: string;
  readonly entry: URL;
  readonly env: Readonly<Record<string, string>>;
  /** V8 heap limits of the worker (heapLimitsOf: from the function's memory and node options). */
  readonly resourceLimits?: ResourceLimits;
  /** Where the function's stdout and stderr (its logs) go; default this process's stdout and stderr. */
  readonly logs?: NodeJS.WritableStream;
}): FunctionRuntime => {
  let worker: Worker | undefined;
  let loaded: Promise<void> | undefined;
  let nextId = 1;
  let stopped = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const failAll = (error: Error): void => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const start = (): Promise<void> => {
    const w = new Worker(new URL('./function-worker.ts', import.meta.url), {
      workerData: { entry: options.entry.href },
      env: { ...options.env },
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      stdout: options.logs !== undefined,
      stderr: options.logs !== undefined,
    });
    if (options.logs) {
      w.stdout.pipe(options.logs, { end: false });
      w.stderr.pipe(options.logs, { end: false });
    }
    worker = w;
    loaded = new Promise<void>((resolve, reject) => {
      w.on('message', (message: InvocationResult | { ready: true }) => {
        if ('ready' in message) return resolve();
        const waiting = pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id);
        if (message.ok) waiting.resolve(message.result);
        else {
          const error = new Error(message.error.message);
          error.name = message.error.name;
          error.stack = message.error.stack;
          waiting.reject(error);
        }
      });
      w.on('error', (err) => {
        reject(
          new Error(
            `Cannot load the ${options.name} handler from ${options.entry.pathname}: ${err.message}`,
            { cause: err },
          ),
        );
        failAll(
          new Error(`The ${options.name} execution environment failed: ${err.message}`, { cause: err }),
        );
      });
      w.on('exit', (code) => {
        if (worker === w) {
          worker = undefined;
          loaded = undefined;
        }
        failAll(new Error(`The ${options.name} execution environment exited (code ${code})`));
      });
    });
    // Never unhandled: the first invocation (or ready()) reports a failed start.
    loaded.catch(() => undefined);
    return loaded;
  };

  const handler: LocalHandler = async (event, context) => {
    if (stopped) throw new Error(`The ${options.name} function has been stopped`);
    if (!loaded) start();
    await loaded;
    const id = nextId++;
    const {
      getRemainingTimeInMillis,
      done: _d,
      fail: _f,
      succeed: _s,
      callbackWaitsForEmptyEventLoop: _c,
      ...fields
    } = context;
    const result = new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));
    worker?.postMessage({
      id,
      event,
      context: { ...fields, deadline: Date.now() + getRemainingTimeInMillis() },
    } satisfies InvocationMessage);
    return result;
  };

  return {
    handler,
    ready: () => {
      if (!loaded) start();
      return loaded as Promise<void>;
    },
    stop: async () => {
      stopped = true;
      const w = worker;
      worker = undefined;
      loaded = undefined;
      if (w) await w.terminate();
    },
  };
};
