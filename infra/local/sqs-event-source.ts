import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createLambdaContext, type LocalFunction } from './lambda-context.ts';
import { errorMessage, type LocalLog } from './log.ts';
import type { LocalQueue } from './resources.ts';
import { type BatchOutcome, interpretBatchResponse, toSqsEvent } from './sqs-event.ts';

/** An SQS-triggered Lambda handler, as both pipeline functions export it. */
// biome-ignore lint/suspicious/noConfusingVoidType: Lambda's own SQSHandler type returns `SQSBatchResponse | void`.
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export type EventSourceMappingOptions = {
  readonly sqs: SQSClient;
  readonly queue: LocalQueue;
  readonly region: string;
  readonly fn: LocalFunction;
  readonly handler: SqsHandler;
  /** Batches in flight at once (Lambda scales this up; one is enough locally). */
  readonly concurrency?: number;
  /**
   * Whether an invocation that runs past the function's timeout fails (as on Lambda; the default). Tests
   * whose subject is not the timeout turn it off: a loaded machine then slows them, never fails them.
   */
  readonly enforceTimeout?: boolean;
  /** Told the message ids of every batch abandoned at a stop (the SQS journal does not count that receive). */
  readonly onAbandon?: (messageIds: readonly string[]) => void;
  readonly log: LocalLog;
};

/** What a stop did: the invocations still running after the grace period, and their messages. */
export type MappingStopReport = { readonly abandonedInvocations: number; readonly abandonedMessages: number };

/** A running poller: invocations in progress, and a stop that lets them finish. */
export type EventSourceMapping = {
  readonly queue: LocalQueue;
  /** Batches received and not yet settled (handler running or deletes pending). */
  readonly busy: () => number;
  /** Batches settled so far (a measure of progress). */
  readonly settled: () => number;
  /**
   * Stops receiving, lets invocations in progress finish and settle for up to `graceMs` (default: as
   * long as they take), then abandons the rest: their results no longer count and their messages are
   * left to reappear, as a Lambda invocation that timed out leaves them.
   */
  readonly stop: (graceMs?: number) => Promise<MappingStopReport>;
};

/** SQS hands out at most 10 messages per ReceiveMessage. */
export const MAX_RECEIVE_BATCH = 10;

const TIMED_OUT = Symbol('timed out');

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Plays Lambda's SQS event source mapping with ReportBatchItemFailures: receives up to `batchSize`
 * messages (waiting up to the batching window), invokes the handler with a real `SQSEvent` and
 * `Context`, then deletes every message not listed in `batchItemFailures`. A throw, a timeout or a
 * malformed response deletes nothing: the messages reappear after the visibility timeout and reach the
 * DLQ after maxReceiveCount receives. https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export const startEventSourceMapping = (options: EventSourceMappingOptions): EventSourceMapping => {
  const { sqs, queue, fn, log } = options;
  const settings = fn.settings;
  const abort = new AbortController();
  let busy = 0;
  let settledBatches = 0;
  let abandoned = false;
  const inFlight = new Set<readonly Message[]>();
  const timeoutMs = options.enforceTimeout === false ? undefined : settings.timeoutSeconds * 1000;
  const fields = { function: fn.name, queue: queue.name };

  const receive = async (): Promise<Message[]> => {
    const result = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.max(1, Math.min(settings.batchSize, MAX_RECEIVE_BATCH)),
        // local-aws-sqs reads only the older AttributeNames; SQS accepts both.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        // local-aws-sqs waits until the batch is full or this time has passed: Lambda's batching window.
        WaitTimeSeconds: Math.min(20, Math.ceil(settings.maxBatchingWindowSeconds)),
      }),
      { abortSignal: abort.signal },
    );
    return result.Messages ?? [];
  };

  const invoke = async (messages: Message[]): Promise<BatchOutcome> => {
    const event = toSqsEvent(messages, { arn: queue.arn, region: options.region });
    const ids = event.Records.map((r) => r.messageId);
    const running = Promise.resolve().then(() => options.handler(event, createLambdaContext(fn)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      if (timeoutMs !== undefined) timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    try {
      const response = await Promise.race([running, timeout]);
      if (response === TIMED_OUT) {
        // Lambda would end the invocation; here it runs on, but its result no longer counts.
        running.catch(() => undefined);
        return { ok: false, reason: `timed out after ${settings.timeoutSeconds} s` };
      }
      return interpretBatchResponse(response, ids);
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    } finally {
      clearTimeout(timer);
    }
  };

  const settle = async (messages: Message[], outcome: BatchOutcome): Promise<void> => {
    if (!outcome.ok) {
      log('warn', 'Invocation failed: the whole batch returns to the queue', {
        ...fields,
        messages: messages.length,
        reason: outcome.reason,
      });
      return;
    }
    const done = messages.filter((m) => m.MessageId && !outcome.failedIds.has(m.MessageId));
    if (outcome.failedIds.size > 0) {
      log('info', 'Partial batch failure: failed messages return to the queue', {
        ...fields,
        failed: outcome.failedIds.size,
        deleted: done.length,
      });
    }
    if (done.length === 0) return;
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    if (result.Failed && result.Failed.length > 0) {
      log('warn', 'Some processed messages could not be deleted', {
        ...fields,
        failed: result.Failed.length,
      });
    }
  };

  const worker = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        messages = await receive();
      } catch (err) {
        if (abort.signal.aborted) return;
        log('warn', 'ReceiveMessage failed', { ...fields, error: errorMessage(err) });
        await sleep(250, abort.signal);
        continue;
      }
      if (messages.length === 0) {
        await sleep(10, abort.signal);
        continue;
      }
      busy++;
      inFlight.add(messages);
      try {
        const started = Date.now();
        const outcome = await invoke(messages);
        // Abandoned at a stop: the stack is closing, and the messages are left to reappear.
        if (abandoned) return;
        log('info', 'Invocation finished', {
          ...fields,
          messages: messages.length,
          failed: outcome.ok ? outcome.failedIds.size : messages.length,
          durationMs: Date.now() - started,
        });
        await settle(messages, outcome);
        settledBatches++;
      } catch (err) {
        if (!abandoned) log('error', 'Could not settle a batch', { ...fields, error: errorMessage(err) });
      } finally {
        inFlight.delete(messages);
        busy--;
      }
    }
  };

  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => worker());
  let stopped: Promise<MappingStopReport> | undefined;
  const stop = async (graceMs: number): Promise<MappingStopReport> => {
    abort.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      if (Number.isFinite(graceMs)) timer = setTimeout(resolve, Math.max(0, graceMs));
    });
    await Promise.race([Promise.all(workers), grace]);
    clearTimeout(timer);
    abandoned = true;
    let abandonedMessages = 0;
    for (const batch of inFlight) {
      abandonedMessages += batch.length;
      options.onAbandon?.(batch.flatMap((m) => (m.MessageId ? [m.MessageId] : [])));
    }
    return { abandonedInvocations: inFlight.size, abandonedMessages };
  };
  return {
    queue,
    busy: () => busy,
    settled: () => settledBatches,
    stop: (graceMs = Number.POSITIVE_INFINITY) => {
      stopped ??= stop(graceMs);
      return stopped;
    },
  };
};
