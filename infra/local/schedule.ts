import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { ScheduledFunctionSettings } from '../config.ts';
import { createLambdaContext } from './lambda-context.ts';
import { errorMessage, type LocalLog } from './log.ts';

/** A Lambda handler invoked by an EventBridge schedule. */
export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/** A running local schedule: runs in progress, a way to run once now, and a stop. */
export type LocalSchedule = {
  readonly name: string;
  readonly busy: () => number;
  /** Invokes the handler now (after a run in progress) and resolves with its result. */
  readonly runNow: () => Promise<unknown>;
  readonly stop: () => Promise<void>;
};

/** An EventBridge "Scheduled Event", as a rule with a schedule expression sends it. */
export const scheduledEvent = (ruleName: string, region: string, accountId: string): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: accountId,
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [`arn:aws:events:${region}:${accountId}:rule/${ruleName}`],
  detail: {},
});

/**
 * Plays an EventBridge schedule for one function: invokes the handler every `everyMs` (locally much
 * more often than in AWS), one run at a time as reserved concurrency 1 does. A failed run is logged
 * and the next one runs on time, as a scheduled invocation that failed would be retried.
 */
export const startSchedule = (options: {
  readonly name: string;
  readonly everyMs: number;
  readonly handler: ScheduledHandler;
  readonly settings: ScheduledFunctionSettings;
  readonly region: string;
  readonly accountId: string;
  readonly log: LocalLog;
}): LocalSchedule => {
  let running: Promise<unknown> = Promise.resolve();
  let busy = 0;
  let stopped = false;
  const fn = {
    name: options.name,
    region: options.region,
    accountId: options.accountId,
    settings: { ...options.settings, batchSize: 1, maxReceiveCount: 1, maxBatchingWindowSeconds: 0 },
  };
  const invoke = (): Promise<unknown> => {
    const run = running.then(async () => {
      busy++;
      try {
        return await options.handler(
          scheduledEvent(options.name, options.region, options.accountId),
          createLambdaContext(fn),
        );
      } finally {
        busy--;
      }
    });
    running = run.catch(() => undefined);
    return run;
  };
  const timer = setInterval(() => {
    if (stopped || busy > 0) return;
    invoke().catch((err: unknown) =>
      options.log('warn', 'Scheduled invocation failed', {
        function: options.name,
        error: errorMessage(err),
      }),
    );
  }, options.everyMs);
  timer.unref();
  return {
    name: options.name,
    busy: () => busy,
    runNow: invoke,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
