import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { STAGES, type StageSettings } from '../config.ts';
import type { FunctionEnvironment } from '../function-env.ts';
import {
  FUNCTIONS,
  type FunctionSpec,
  functionName,
  HANDLER_NAMES,
  type HandlerName,
} from '../function-registry.ts';
import { createLocalClients, destroyLocalClients, type LocalClients } from './clients.ts';
import { type EmulatorPorts, LOCAL_ACCOUNT_ID, LOCAL_HOST, startEmulators } from './emulators.ts';
import { type FunctionRuntime, startFunctionRuntime } from './function-runtime.ts';
import { heapLimitsOf } from './heap-limits.ts';
import type { AnsweredRequest, GatewayDecision, GatewayResponse } from './iam/gateway.ts';
import { type LocalIam, startLocalIam } from './iam/local-iam.ts';
import { functionProfile, type Persona } from './iam/personas.ts';
import {
  applyEnvironment,
  functionProcessEnvironment,
  type LocalEndpoints,
  lambdaEnvironment,
  localFunctionEnvironments,
} from './lambda-env.ts';
import { createLambdaApi, type InvocableFunction } from './lambda-service.ts';
import { errorMessage, type LocalLog, stderrLog } from './log.ts';
import { createLocalResources, type LocalQueue } from './resources.ts';
import { startS3Notifications } from './s3-notifications.ts';
import { type LocalSchedule, type ScheduledHandler, startSchedule } from './schedule.ts';
import { startLocalSecretsManager } from './secrets-manager.ts';
import { type EventSourceMapping, type SqsHandler, startEventSourceMapping } from './sqs-event-source.ts';
import type { RestoredQueues } from './sqs-journal.ts';

export type { ScheduledHandler } from './schedule.ts';
export type { SqsHandler } from './sqs-event-source.ts';
export type { RestoredQueues } from './sqs-journal.ts';

/** The region the local stack pretends to be in (London, where the pipeline runs). */
export const LOCAL_REGION = 'eu-west-2';

/** The functions the local stack plays: the two queue consumers and these scheduled ones. */
const SCHEDULED = ['feedPublisher', 'pndExport', 'markerExpiry'] as const satisfies readonly HandlerName[];
type ScheduledName = (typeof SCHEDULED)[number];
type PlayedName = 'ingest' | 'indexer' | ScheduledName;

/** The module the local stack imports a function's `handler` from when none is given: its registry entry. */
const handlerModule = (name: HandlerName): URL => new URL(`../../${FUNCTIONS[name].entry}`, import.meta.url);

/** A scheduled function locally: how often it runs and, optionally, the handler to run. */
export type LocalScheduleOption = { readonly everyMs: number; readonly handler?: ScheduledHandler } | false;

/** The public ports: the IAM-checked S3, SQS and DynamoDB endpoints, the local STS, Lambda and Secrets Manager. */
export type LocalPorts = EmulatorPorts & {
  readonly sts: number;
  readonly lambda: number;
  readonly secretsmanager: number;
};

export type LocalStackOptions = {
  /** Stage settings to create resources from; default `STAGES.dev`. Tests pass copies with tiny timeouts. */
  readonly settings?: StageSettings;
  /** Keep S3 objects and DynamoDB tables here between runs; default: a temporary S3 folder, DynamoDB in memory. */
  readonly dataDir?: string;
  /** Public ports; each defaults to 0 (a free port). The emulators themselves listen on free ports behind them. */
  readonly ports?: Partial<LocalPorts>;
  readonly region?: string;
  /** Handlers to invoke; a missing one is imported from `functions/<name>/handler.ts`. */
  readonly handlers?: { readonly ingest?: SqsHandler; readonly indexer?: SqsHandler };
  /**
   * Scheduled functions (EventBridge in AWS). Default, when the real handlers run: the feed publisher
   * every second, the PND export every minute and the marker expiry pass every hour; with test handlers: none.
   * `false` turns one off.
   */
  readonly schedules?: Partial<Record<ScheduledName, LocalScheduleOption>>;
  /**
   * Run the real handlers in this process (with the `admin` credentials) instead of each in its own
   * worker thread with its own role's credentials. Only for tests that patch the AWS SDK in-process
   * (fault injection); default false.
   */
  readonly inProcessHandlers?: boolean;
  /** Batches in flight per queue; default 1. */
  readonly concurrency?: number;
  /**
   * Whether an SQS-triggered invocation past its function's timeout fails, as on Lambda; default true.
   * Tests that shorten timeouts only to get quick retries turn it off, so a loaded machine slows them
   * down instead of failing them (the visibility timeouts, and so the retries, stay short).
   */
  readonly enforceFunctionTimeouts?: boolean;
  /**
   * At a stop, how long invocations and scheduled runs in progress may take to finish before they are
   * abandoned (their messages reappear on the next start, as after a Lambda timeout); default 2000 ms.
   */
  readonly stopGraceMs?: number;
  /** Set `process.env` as Lambda would; default: only when a real handler is imported. */
  readonly applyEnv?: boolean;
  /** Powertools log level for the real handlers (`POWERTOOLS_LOG_LEVEL`); default: unset. */
  readonly logLevel?: string;
  /** Where the functions' logs go (their stdout and stderr); default this process's stdout and stderr. */
  readonly functionLogs?: NodeJS.WritableStream;
  readonly log?: LocalLog;
};

export type WaitForIdleOptions = {
  /**
   * Rejects once the stack has made no progress for this long (default 30 s): no message received,
   * settled or moved, no AWS request from a function, no notification delivered. Work that keeps moving
   * is waited for however long it takes (up to `maxMs`).
   */
  readonly timeoutMs?: number;
  /** Rejects after this long even while progress is made; default: no limit. */
  readonly maxMs?: number;
  readonly pollMs?: number;
};

/** What a stop did. */
export type StopReport = {
  /** SQS-triggered invocations still running after the grace period: their messages will reappear. */
  readonly abandonedInvocations: number;
  readonly abandonedMessages: number;
  /** Scheduled runs still running after the grace period (they run again on the next start). */
  readonly abandonedScheduledRuns: number;
  readonly elapsedMs: number;
};

/** A running local stack. */
export type LocalStack = {
  readonly settings: StageSettings;
  /** The endpoints to use: IAM-checked S3, SQS and DynamoDB, and STS. */
  readonly endpoints: LocalEndpoints;
  /** IAM: the personas' keys, the credentials file, the decisions made so far. */
  readonly iam: {
    /** The AWS shared credentials file: profiles `org-{ORG}`, `national`, `feed`, `admin`. */
    readonly credentialsFile: string;
    /** The matching AWS config file (region per profile). */
    readonly configFile: string;
    /** The key pair of a profile (`org-PF-E23000001`, `national`, `feed`, `admin`, `fn-msht-dev-ingest`). */
    readonly credentials: (profile: string) => {
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
    };
    readonly personas: readonly Persona[];
    /** Requests authorised and refused so far. */
    readonly counts: () => { readonly allowed: number; readonly refused: number };
    readonly onDecision: (listener: (decision: GatewayDecision) => void) => void;
  };
  readonly resources: {
    /** Where organisations upload (incoming/). */
    readonly landingBucket: string;
    /** Where the pipeline writes reports/, curated/, aggregates/. */
    readonly bucket: string;
    readonly queueUrls: {
      readonly ingest: string;
      readonly ingestDlq: string;
      readonly records: string;
      readonly recordsDlq: string;
      readonly feed: string;
    };
    readonly tables: { readonly uploads: string; readonly markers: string; readonly feed: string };
  };
  /** The running scheduled functions by name (`feedPublisher`, `pndExport`, `markerExpiry`); `runNow()` invokes one at once. */
  readonly schedules: Readonly<Partial<Record<ScheduledName, LocalSchedule>>>;
  /**
   * The environment for code in this process (tests, handlers passed in): every function's variables,
   * the endpoints and the `admin` credentials (also set in `process.env` when `applyEnv`).
   */
  readonly env: Readonly<Record<string, string>>;
  /** Each function's own environment, as the CDK stack sets it on AWS (the same builder makes both). */
  readonly functionEnv: Readonly<Record<HandlerName, FunctionEnvironment>>;
  /**
   * Resolves once no S3 notification is on its way, no handler runs and both consumer queues are empty
   * (seen twice in a row); rejects after `timeoutMs` (default 30 s) naming the queues that still hold messages.
   */
  readonly waitForIdle: (options?: WaitForIdleOptions) => Promise<void>;
  /** What the SQS journal put back from the last run (with a data folder), for the start-up message. */
  readonly restored?: RestoredQueues;
  /**
   * Stops polling and the schedules, gives invocations in progress `stopGraceMs` to finish, abandons
   * the rest (their execution environments are ended and their messages left to reappear), then closes
   * the servers, idle keep-alive connections too. Idempotent.
   */
  readonly stop: () => Promise<StopReport>;
};

const loadHandler = async <H>(name: PlayedName): Promise<H> => {
  const url = handlerModule(name);
  let module: { handler?: unknown };
  try {
    module = (await import(url.href)) as { handler?: unknown };
  } catch (err) {
    throw new Error(`Cannot load the ${name} handler from ${url.pathname}: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  if (typeof module.handler !== 'function')
    throw new Error(`${url.pathname} does not export a handler function`);
  return module.handler as H;
};

type QueueDepth = { readonly queue: LocalQueue; readonly visible: number; readonly notVisible: number };

/** Whether `work` settled within `graceMs`; it is left to run on otherwise. */
const withinGrace = async (work: Promise<unknown>, graceMs: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, graceMs));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

const queueDepth = async (clients: LocalClients, queue: LocalQueue): Promise<QueueDepth> => {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    queue,
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    notVisible: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
};

/**
 * Starts the embedded local stack: the S3, SQS and DynamoDB emulators on loopback, the resources of the
 * stage, S3 notifications to the ingest queue, and one SQS event source mapping per function.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const settings = options.settings ?? STAGES.dev;
  const region = options.region ?? LOCAL_REGION;
  const log = options.log ?? stderrLog;
  const emulators = await startEmulators({
    ports: { s3: 0, sqs: 0, dynamodb: 0 },
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    region,
  });
  /** Each stops one part within the grace period it is given and says what it abandoned. */
  const stoppers: ((graceMs: number) => Promise<Partial<StopReport>>)[] = [];
  const graceMs = options.stopGraceMs ?? 2000;
  let restoreEnv = (): void => undefined;
  let iam: LocalIam | undefined;
  let clients: LocalClients | undefined;
  const runtimes = new Map<HandlerName, FunctionRuntime>();
  let lambdaApi: ((request: AnsweredRequest) => Promise<GatewayResponse>) | undefined;

  const shutdown = async (): Promise<StopReport> => {
    const started = Date.now();
    const report = { abandonedInvocations: 0, abandonedMessages: 0, abandonedScheduledRuns: 0 };
    try {
      const parts = await Promise.all(stoppers.splice(0).map((stop) => stop(graceMs)));
      for (const part of parts) {
        report.abandonedInvocations += part.abandonedInvocations ?? 0;
        report.abandonedMessages += part.abandonedMessages ?? 0;
        report.abandonedScheduledRuns += part.abandonedScheduledRuns ?? 0;
      }
      // Ends every execution environment, and with it whatever an abandoned invocation was doing.
      const stopping = [...runtimes.values()];
      runtimes.clear();
      await Promise.all(stopping.map((r) => r.stop()));
    } finally {
      if (clients) destroyLocalClients(clients);
      await iam?.close();
      await emulators.close();
      restoreEnv();
    }
    return { ...report, elapsedMs: Date.now() - started };
  };

  try {
    const upstream = (url: string): number => Number(new URL(url).port);
    // The pseudonym key: generated on first start into the data folder (aws/secrets/), like the keys.
    const secrets = await startLocalSecretsManager({
      target: { partition: 'aws', region, account: LOCAL_ACCOUNT_ID },
      secrets: [
        {
          name: settings.pseudonyms.secretName,
          initialValue: () =>
            JSON.stringify({ version: settings.pseudonyms.keyVersion, key: randomBytes(32).toString('hex') }),
        },
      ],
      ...(options.dataDir === undefined ? {} : { folder: join(options.dataDir, 'aws') }),
    });
    iam = await startLocalIam({
      settings,
      region,
      account: LOCAL_ACCOUNT_ID,
      host: LOCAL_HOST,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ports: { s3: 0, sqs: 0, dynamodb: 0, sts: 0, lambda: 0, secretsmanager: 0, ...options.ports },
      lambda: () => lambdaApi,
      secretsManager: secrets.answer,
      upstreams: {
        s3: upstream(emulators.endpoints.s3),
        sqs: upstream(emulators.endpoints.sqs),
        dynamodb: upstream(emulators.endpoints.dynamodb),
      },
    });
    const { keys } = iam;
    keys.onAdd((persona) => emulators.acceptS3Key(persona.accessKeyId, persona.secretAccessKey));
    const endpoints = iam.endpoints;
    emulators.setSqsPublicPort(upstream(endpoints.sqs));
    const admin = keys.byProfile('admin');
    const c = createLocalClients(endpoints, region, admin);
    clients = c;
    const resources = await createLocalResources(c, settings, secrets.arnOf(settings.pseudonyms.secretName));
    // Before anything sends or receives: the queues get back what they held when the last run ended.
    const restored = emulators.restoreQueues();
    if (restored) {
      const messages = Object.values(restored.queues).reduce((n, q) => n + q.messages, 0);
      if (messages > 0 || restored.expired > 0)
        log('info', 'SQS queues restored from the journal', { ...restored });
    }
    const env = lambdaEnvironment({
      settings,
      resources,
      endpoints,
      region,
      credentials: admin,
      ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    });
    const functionEnv = localFunctionEnvironments(settings, resources);
    const importsRealHandler = !options.handlers?.ingest || !options.handlers?.indexer;
    const importsScheduledHandler = Object.values(options.schedules ?? {}).some((o) => o && !o.handler);
    if (options.applyEnv ?? (importsRealHandler || importsScheduledHandler))
      restoreEnv = applyEnvironment(env);
    /** A function's execution environment, started at its first use: its own env and its own role's keys. */
    const runtimeFor = (name: HandlerName): FunctionRuntime => {
      const existing = runtimes.get(name);
      if (existing) return existing;
      const fnName = functionName(name, settings);
      const runtime = startFunctionRuntime({
        name: fnName,
        entry: handlerModule(name),
        env: functionProcessEnvironment({
          env: functionEnv[name],
          functionName: fnName,
          memoryMb: FUNCTIONS[name].settings(settings).memoryMb,
          endpoints,
          region,
          credentials: keys.byProfile(functionProfile(fnName)),
          ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
        }),
        resourceLimits: heapLimitsOf(
          FUNCTIONS[name].settings(settings).memoryMb,
          (FUNCTIONS[name] as FunctionSpec).nodeOptions,
        ),
        ...(options.functionLogs ? { logs: options.functionLogs } : {}),
      });
      runtimes.set(name, runtime);
      return runtime;
    };
    /** A real handler: in its own execution environment (or in this process, for fault tests). */
    const realHandler = async <H>(name: PlayedName): Promise<H> => {
      if (options.inProcessHandlers) return loadHandler<H>(name);
      const runtime = runtimeFor(name);
      await runtime.ready();
      return runtime.handler as H;
    };
    // Every function of the template can be invoked through the local Lambda API, as its own role.
    const invocable = new Map<string, InvocableFunction>();
    for (const name of HANDLER_NAMES) {
      const fnName = functionName(name, settings);
      if (!iam.model.functionRoles.has(fnName)) continue;
      invocable.set(fnName, {
        fn: {
          name: fnName,
          region,
          accountId: LOCAL_ACCOUNT_ID,
          settings: FUNCTIONS[name].settings(settings),
        },
        handler: async () => {
          const runtime = runtimeFor(name);
          await runtime.ready();
          return runtime.handler;
        },
        url: FUNCTIONS[name].trigger.kind === 'url',
      });
    }
    lambdaApi = createLambdaApi({ functions: invocable, region, account: LOCAL_ACCOUNT_ID });
    const [ingestHandler, indexerHandler] = await Promise.all([
      options.handlers?.ingest ?? realHandler<SqsHandler>('ingest'),
      options.handlers?.indexer ?? realHandler<SqsHandler>('indexer'),
    ]);

    const notifications = startS3Notifications({
      onS3Event: emulators.onS3Event,
      s3: c.s3,
      sqs: c.sqs,
      bucket: resources.landingBucket,
      queueUrl: resources.queues.ingest.url,
      region,
      log,
    });
    stoppers.push(async (grace) => {
      await withinGrace(notifications.stop(), grace);
      return {};
    });

    const mapping = (
      name: 'ingest' | 'indexer',
      queue: LocalQueue,
      handler: SqsHandler,
    ): EventSourceMapping =>
      startEventSourceMapping({
        sqs: c.sqs,
        queue,
        region,
        fn: {
          name: functionName(name, settings),
          region,
          accountId: LOCAL_ACCOUNT_ID,
          settings: settings.functions[name],
        },
        handler,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.enforceFunctionTimeouts === false ? { enforceTimeout: false } : {}),
        onAbandon: (ids) => emulators.releaseSqsMessages(queue.name, ids),
        log,
      });
    const mappings = [
      mapping('ingest', resources.queues.ingest, ingestHandler),
      mapping('indexer', resources.queues.records, indexerHandler),
    ];
    stoppers.push(async (grace) => {
      const reports = await Promise.all(mappings.map((m) => m.stop(grace)));
      return {
        abandonedInvocations: reports.reduce((n, r) => n + r.abandonedInvocations, 0),
        abandonedMessages: reports.reduce((n, r) => n + r.abandonedMessages, 0),
      };
    });

    // The marker expiry pass scans the whole markers table (review dates are days; daily on AWS): every
    // minute, it read every marker each minute and took more of the stack than the pipeline did at
    // 100,000 rows. Hourly still runs it on the day a review falls due.
    const defaults = { feedPublisher: 1000, pndExport: 60_000, markerExpiry: 3_600_000 } as const;
    const schedules: Partial<Record<ScheduledName, LocalSchedule>> = {};
    for (const name of SCHEDULED) {
      const option = options.schedules?.[name] ?? (importsRealHandler ? { everyMs: defaults[name] } : false);
      if (option === false) continue;
      // A scheduled function's execution environment starts at its first run (a cold start), as on Lambda.
      const handler =
        option.handler ??
        (options.inProcessHandlers
          ? await loadHandler<ScheduledHandler>(name)
          : (runtimeFor(name).handler as ScheduledHandler));
      schedules[name] = startSchedule({
        name: functionName(name, settings),
        everyMs: option.everyMs,
        handler,
        settings: settings.scheduled[name],
        region,
        accountId: LOCAL_ACCOUNT_ID,
        log,
      });
    }
    stoppers.unshift(async (grace) => {
      const finished = await Promise.all(Object.values(schedules).map((s) => withinGrace(s.stop(), grace)));
      return { abandonedScheduledRuns: finished.filter((done) => !done).length };
    });

    const localIam = iam;
    let stopping: Promise<StopReport> | undefined;
    /**
     * AWS requests that do work: everything but the polls (ReceiveMessage by the event source mappings,
     * GetQueueAttributes by waitForIdle), which go on whether or not anything moves.
     */
    let workRequests = 0;
    const POLLS = new Set(['sqs:ReceiveMessage', 'sqs:GetQueueAttributes']);
    iam.onDecision((decision) => {
      if (!POLLS.has(decision.action ?? '')) workRequests++;
    });
    const waitForIdle = async ({
      timeoutMs = 30_000,
      maxMs = Number.POSITIVE_INFINITY,
      pollMs = 50,
    }: WaitForIdleOptions = {}): Promise<void> => {
      const started = Date.now();
      let lastProgress = started;
      let quietChecks = 0;
      let previous = '';
      for (;;) {
        if (stopping) throw new Error('The local stack has been stopped');
        const pending = notifications.pending();
        const running = mappings.reduce((n, m) => n + m.busy(), 0);
        const depths = await Promise.all(mappings.map((m) => queueDepth(c, m.queue)));
        const holding = depths.filter((d) => d.visible + d.notVisible > 0);
        quietChecks = pending === 0 && running === 0 && holding.length === 0 ? quietChecks + 1 : 0;
        if (quietChecks >= 2) return;
        // Progress: anything that moved since the last check.
        const state = JSON.stringify([
          pending,
          running,
          depths.map((d) => [d.visible, d.notVisible]),
          mappings.map((m) => m.settled()),
          workRequests,
        ]);
        const now = Date.now();
        if (state !== previous) lastProgress = now;
        previous = state;
        const stalled = now - lastProgress >= timeoutMs;
        if (stalled || now - started >= maxMs) {
          const reasons = [
            ...holding.map(
              (d) =>
                `queue ${d.queue.name} still holds messages (ApproximateNumberOfMessages=${d.visible}, ` +
                `ApproximateNumberOfMessagesNotVisible=${d.notVisible})`,
            ),
            ...(running > 0 ? [`${running} handler invocation(s) still running`] : []),
            ...(pending > 0 ? [`${pending} S3 notification(s) not yet delivered`] : []),
          ];
          const why = stalled
            ? `no progress for ${timeoutMs} ms (after ${now - started} ms of waiting)`
            : `still busy after ${maxMs} ms`;
          throw new Error(
            `The local stack was not idle: ${why}: ${reasons.join('; ') || 'it was busy at the last check'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    };

    return {
      settings,
      endpoints,
      iam: {
        credentialsFile: localIam.credentialsFile,
        configFile: localIam.configFile,
        credentials: (profile) => {
          const { accessKeyId, secretAccessKey } = keys.byProfile(profile);
          return { accessKeyId, secretAccessKey };
        },
        personas: localIam.personas,
        counts: localIam.counts,
        onDecision: localIam.onDecision,
      },
      resources: {
        landingBucket: resources.landingBucket,
        bucket: resources.bucket,
        queueUrls: {
          ingest: resources.queues.ingest.url,
          ingestDlq: resources.queues.ingestDlq.url,
          records: resources.queues.records.url,
          recordsDlq: resources.queues.recordsDlq.url,
          feed: resources.queues.feed.url,
        },
        tables: resources.tables,
      },
      schedules,
      env,
      functionEnv,
      waitForIdle,
      ...(restored ? { restored } : {}),
      stop: () => {
        stopping ??= shutdown();
        return stopping;
      },
    };
  } catch (err) {
    await shutdown().catch(() => undefined);
    throw err;
  }
};
