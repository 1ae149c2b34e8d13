import { afterEach, describe, expect, it } from 'vitest';
import { type FunctionRuntime, startFunctionRuntime } from '../../../infra/local/function-runtime.ts';
import { createLambdaContext } from '../../../infra/local/lambda-context.ts';

const entry = new URL('./fixtures/worker-handler.ts', import.meta.url);
const fn = {
  name: 'msht-dev-test',
  region: 'eu-west-2',
  accountId: '111122223333',
  settings: { timeoutSeconds: 30, memoryMb: 256 },
};
const context = () => createLambdaContext(fn);

describe('startFunctionRuntime', () => {
  const runtimes: FunctionRuntime[] = [];
  const start = (env: Record<string, string>, file = entry): FunctionRuntime => {
    const runtime = startFunctionRuntime({ name: fn.name, entry: file, env });
    runtimes.push(runtime);
    return runtime;
  };
  afterEach(async () => {
    delete process.env.MSHT_PARENT_ONLY;
    await Promise.all(runtimes.splice(0).map((r) => r.stop()));
  });

  it('runs the handler in a worker that sees exactly the environment it was given', async () => {
    process.env.MSHT_PARENT_ONLY = 'the parent only';
    const env = { AWS_REGION: 'eu-west-2', AWS_ACCESS_KEY_ID: 'AKIAFUNCTION00000001', TABLE_NAME: 'markers' };
    const runtime = start(env);
    await runtime.ready();
    const result = (await runtime.handler({ kind: 'env' }, context())) as {
      env: Record<string, string>;
      threadId: number;
      functionName: string;
    };
    expect(result.env).toEqual(env);
    expect(result.env.MSHT_PARENT_ONLY).toBeUndefined();
    expect(result.threadId).toBeGreaterThan(0);
    expect(result.functionName).toBe(fn.name);
  });

  it('reuses one environment across invocations, one event after another', async () => {
    const runtime = start({});
    const first = (await runtime.handler({ kind: 'echo', value: [1, 'a'] }, context())) as Record<
      string,
      unknown
    >;
    const second = (await runtime.handler({ kind: 'echo', value: { b: 2 } }, context())) as Record<
      string,
      unknown
    >;
    expect(first).toMatchObject({ value: [1, 'a'], invocations: 1 });
    expect(second).toMatchObject({ value: { b: 2 }, invocations: 2, threadId: first.threadId });
  });

  it('rejects with the handler error, its name and message kept', async () => {
    const runtime = start({});
    const error = (await runtime
      .handler({ kind: 'throw', message: 'no such marker' }, context())
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FixtureError');
    expect(error.message).toBe('no such marker');
    expect(error.stack).toContain('worker-handler.ts');
    // The environment survives a handler error.
    expect(await runtime.handler({ kind: 'echo', value: 1 }, context())).toMatchObject({ invocations: 2 });
  });

  it("context.getRemainingTimeInMillis() counts down from the invocation's deadline", async () => {
    const runtime = start({});
    await runtime.ready();
    const { before, after } = (await runtime.handler({ kind: 'remaining', waitMs: 120 }, context())) as {
      before: number;
      after: number;
    };
    expect(before).toBeLessThanOrEqual(30_000);
    expect(before).toBeGreaterThan(25_000);
    expect(before - after).toBeGreaterThanOrEqual(100);
    expect(Number.isInteger(after)).toBe(true);
  });

  it('a worker that exits fails the invocation in flight; the next one starts a fresh environment', async () => {
    const runtime = start({});
    const first = (await runtime.handler({ kind: 'echo', value: 0 }, context())) as { threadId: number };
    const hung = runtime.handler({ kind: 'hang' }, context());
    const exit = runtime.handler({ kind: 'exit' }, context());
    await expect(exit).rejects.toThrow(`The ${fn.name} execution environment exited (code 3)`);
    await expect(hung).rejects.toThrow('exited (code 3)');
    const next = (await runtime.handler({ kind: 'echo', value: 1 }, context())) as {
      threadId: number;
      invocations: number;
    };
    expect(next.threadId).not.toBe(first.threadId);
    expect(next.invocations).toBe(1);
  });

  it('ready() rejects a module without a handler export, and so does an invocation', async () => {
    const runtime = start({}, new URL('./fixtures/no-handler.ts', import.meta.url));
    await expect(runtime.ready()).rejects.toThrow(/Cannot load the msht-dev-test handler .*no-handler\.ts/);
    await expect(runtime.handler({ kind: 'echo', value: 1 }, context())).rejects.toThrow();
  });

  it('stop() terminates the worker: the invocation in flight fails and later ones are refused', async () => {
    const runtime = start({});
    await runtime.ready();
    const hung = runtime.handler({ kind: 'hang' }, context());
    // Let the message reach the worker before stopping.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.stop();
    await expect(hung).rejects.toThrow('execution environment exited');
    await expect(runtime.handler({ kind: 'echo', value: 1 }, context())).rejects.toThrow(
      `The ${fn.name} function has been stopped`,
    );
  });
});
