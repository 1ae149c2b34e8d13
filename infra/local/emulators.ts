import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestHandler } from 'local-aws-sqs';
import { startDynamoDbEmulator } from './dynamodb/dynamodb-emulator.ts';
import { makeS3rverReadAfterWrite } from './s3-read-after-write.ts';
import { type JournaledQueue, openSqsJournal, type RestoredQueues } from './sqs-journal.ts';

/** The account id the SQS emulator puts in queue URLs and ARNs (it has no accounts). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Loopback only: nothing of the local stack listens on other interfaces. */
export const LOCAL_HOST = '127.0.0.1';

/** The ports of the three emulators; 0 asks the operating system for a free one. */
export type EmulatorPorts = { readonly s3: number; readonly sqs: number; readonly dynamodb: number };

/** Base URLs of the running emulators, e.g. `http://127.0.0.1:4568`. */
export type EmulatorEndpoints = { readonly s3: string; readonly sqs: string; readonly dynamodb: string };

/** What the S3 emulator tells about a request that emitted an event: needed to name the event as S3 would. */
export type S3RequestInfo = { readonly method: string; readonly query: Readonly<Record<string, unknown>> };

/** The record shape s3rver emits on its `event` emitter (a subset of a real S3 event record). */
export type S3rverEventRecord = {
  readonly eventName: string;
  readonly eventTime: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string };
  };
};

/** An S3 event as s3rver emits it, with the request that caused it (method and query string). */
export type S3rverEvent = { readonly Records: readonly S3rverEventRecord[] };

/**
 * A listener for S3 object events. A promise it returns holds back S3's answer to the request until it
 * settles: the notification is on the queue (and in the SQS journal) before the uploader hears "stored".
 */
export type S3EventListener = (
  event: S3rverEvent,
  request: S3RequestInfo | undefined,
) => Promise<unknown> | undefined;

/** The running emulators. `close()` stops all three servers (idempotent). */
export type Emulators = {
  readonly endpoints: EmulatorEndpoints;
  /** Calls the listener for every S3 object event, synchronously, before S3 answers the request. */
  readonly onS3Event: (listener: S3EventListener) => void;
  /**
   * Lets s3rver accept an access key. It only checks that a V4-signed request's key is one it knows
   * (it verifies no V4 signature); the IAM gateway in front of it has verified the signature already.
   */
  readonly acceptS3Key: (accessKeyId: string, secretAccessKey: string) => void;
  /** The port queue URLs carry: the public one the SDKs use (the gateway's), not the emulator's own. */
  readonly setSqsPublicPort: (port: number) => void;
  /**
   * With a data folder: wraps the queues created so far in the SQS journal (`{dataDir}/sqs/`) and puts
   * back what it holds from the last run (sqs-journal.ts). Without one: nothing (queues in memory).
   */
  readonly restoreQueues: () => RestoredQueues | undefined;
  /** Received messages the local stack abandoned at a stop: their receive does not count on restart. */
  readonly releaseSqsMessages: (queueName: string, messageIds: readonly string[]) => void;
  readonly close: () => Promise<void>;
};

export type EmulatorOptions = {
  readonly ports: EmulatorPorts;
  /**
   * Where s3rver keeps objects (`s3/`), the DynamoDB emulator its SQLite database (`dynamodb/`) and
   * the SQS journal its queues (`sqs/`); omitted: temporary files, removed on close, and SQS in memory.
   */
  readonly dataDir?: string;
  /** Region the SQS emulator writes into queue ARNs. */
  readonly region: string;
};

// s3rver ships no type declarations: these are the parts used here (see their READMEs).
type KoaContext = { readonly method: string; readonly query: Record<string, unknown> };
type KoaMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown>;
type S3rverInstance = EventEmitter & {
  middleware: KoaMiddleware[];
  callback(): Parameters<typeof createServer>[0];
  logger: { close(): void };
};
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  resetOnClose: boolean;
  vhostBuckets: boolean;
}) => S3rverInstance;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverClass;
type S3rverAccounts = {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};
const s3rverAccounts = require('s3rver/lib/models/account') as S3rverAccounts;

const listen = (server: Server, port: number, name: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Cannot start the local ${name} emulator: port ${port} on ${LOCAL_HOST} is in use`, {
              cause: err,
            })
          : err,
      );
    server.once('error', onError);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });

/** How long a closing server lets requests in progress finish before it drops their connections. */
export const CLOSE_DRAIN_MS = 250;

/** Closes a server: idle keep-alive connections at once, busy ones after CLOSE_DRAIN_MS. */
export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    const drop = setTimeout(() => server.closeAllConnections(), CLOSE_DRAIN_MS);
    server.close((err) => {
      clearTimeout(drop);
      if (err) reject(err);
      else resolve();
    });
    // The SDK keeps connections alive; idle ones would otherwise hold the server open.
    server.closeIdleConnections();
  });

const url = (address: AddressInfo): string => `http://${LOCAL_HOST}:${address.port}`;

/**
 * Starts the DynamoDB emulator (infra/local/dynamodb/, in its own worker thread), s3rver (S3) and
 * local-aws-sqs (SQS, JSON protocol, in this thread), on loopback. S3, DynamoDB and SQS (through its
 * journal) persist under `dataDir` when one is given.
 */
export const startEmulators = async (options: EmulatorOptions): Promise<Emulators> => {
  const { dataDir } = options;
  const s3Directory = dataDir ? join(dataDir, 's3') : await mkdtemp(join(tmpdir(), 'msht-local-s3-'));
  const dynamoPath = dataDir ? join(dataDir, 'dynamodb') : undefined;
  await mkdir(s3Directory, { recursive: true });

  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'Could not stop every local emulator');
  };
  if (!dataDir) closers.push(() => rm(s3Directory, { recursive: true, force: true }));

  try {
    const dynamo = await startDynamoDbEmulator({
      host: LOCAL_HOST,
      port: options.ports.dynamodb,
      ...(dynamoPath ? { directory: dynamoPath } : {}),
      region: options.region,
      account: LOCAL_ACCOUNT_ID,
    });
    closers.push(() => dynamo.close());

    // s3rver emits S3 events without the request; its Koa middleware runs first and keeps the request
    // in async context so a listener can tell a multipart completion from a form POST, as S3 does.
    const requests = new AsyncLocalStorage<S3RequestInfo & { readonly held: Promise<unknown>[] }>();
    makeS3rverReadAfterWrite();
    const s3 = new S3rver({
      address: LOCAL_HOST,
      port: options.ports.s3,
      silent: true,
      directory: s3Directory,
      resetOnClose: false,
      vhostBuckets: true,
    });
    s3.middleware.unshift(async (ctx, next) => {
      const held: Promise<unknown>[] = [];
      await requests.run({ method: ctx.method, query: { ...ctx.query }, held }, next);
      // Koa answers once the middleware has returned: after the request's notifications are queued.
      await Promise.allSettled(held);
    });
    const s3Server = createServer(s3.callback());
    const s3Address = await listen(s3Server, options.ports.s3, 'S3');
    closers.push(async () => {
      await closeServer(s3Server);
      s3.logger.close();
    });

    // createSqsServer() would not report a port in use, so the handler goes into a server of ours.
    const { requestHandler, service } = createRequestHandler({
      port: options.ports.sqs,
      hostname: LOCAL_HOST,
      region: options.region,
      accountId: LOCAL_ACCOUNT_ID,
      emulateQueueCreationLifecycle: false,
      emulateLazyQueues: false,
    });
    const journal = dataDir ? openSqsJournal(join(dataDir, 'sqs')) : undefined;
    if (journal) closers.push(async () => journal.close());
    const sqs = createServer((req, res) => void requestHandler(req, res));
    const sqsAddress = await listen(sqs, options.ports.sqs, 'SQS');
    service.PORT = sqsAddress.port; // queue URLs carry the real port
    closers.push(() => closeServer(sqs));

    let closed: Promise<void> | undefined;
    return {
      endpoints: {
        s3: url(s3Address),
        sqs: url(sqsAddress),
        dynamodb: dynamo.endpoint,
      },
      onS3Event: (listener) => {
        s3.on('event', (event: S3rverEvent) => {
          const store = requests.getStore();
          const delivered = listener(event, store && { method: store.method, query: store.query });
          if (delivered && store) store.held.push(delivered);
        });
      },
      acceptS3Key: (accessKeyId, secretAccessKey) => {
        s3rverAccounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
      },
      setSqsPublicPort: (port) => {
        service.PORT = port;
      },
      restoreQueues: () => journal?.attach(service.Queues as unknown as JournaledQueue[]),
      releaseSqsMessages: (queueName, messageIds) => journal?.release(queueName, messageIds),
      close: () => {
        closed ??= closeAll();
        return closed;
      },
    };
  } catch (err) {
    await closeAll().catch(() => undefined);
    throw err;
  }
};
