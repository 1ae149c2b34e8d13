// The DynamoDB emulator's worker thread: its own HTTP server and SQLite database, off the main event loop.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { EmulatorContext } from './emulator-context.ts';
import { createDynamoDbServer } from './server.ts';
import { Storage } from './storage.ts';

/** What the main thread gives the worker. */
export type WorkerOptions = {
  readonly file: string;
  readonly host: string;
  readonly port: number;
  readonly region: string;
  readonly account: string;
};

/** Messages from the worker to the main thread. */
export type WorkerMessage =
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'error'; readonly message: string; readonly code?: string }
  | { readonly kind: 'closed' };

/** How long a close waits for requests in flight before it drops their connections. */
const CLOSE_GRACE_MS = 2000;

const options = workerData as WorkerOptions;
const port = parentPort;
if (!port) throw new Error('The DynamoDB emulator must run in a worker thread');

let storage: Storage | undefined;
let server: Server | undefined;
try {
  storage = new Storage(options.file);
  const context: EmulatorContext = {
    storage,
    region: options.region,
    account: options.account,
    now: () => Date.now() / 1000,
  };
  const http = createDynamoDbServer(context);
  server = http;
  server.keepAliveTimeout = 60_000;
  server.once('error', (err: NodeJS.ErrnoException) => {
    port.postMessage({
      kind: 'error',
      message: err.message,
      ...(err.code ? { code: err.code } : {}),
    } satisfies WorkerMessage);
  });
  server.listen(options.port, options.host, () => {
    port.postMessage({
      kind: 'listening',
      port: (http.address() as AddressInfo).port,
    } satisfies WorkerMessage);
  });
} catch (err) {
  port.postMessage({
    kind: 'error',
    message: err instanceof Error ? err.message : String(err),
  } satisfies WorkerMessage);
}

port.on('message', (message: { kind: string }) => {
  if (message.kind !== 'close') return;
  const finish = (): void => {
    storage?.close();
    port.postMessage({ kind: 'closed' } satisfies WorkerMessage);
    port.close();
  };
  if (!server?.listening) {
    finish();
    return;
  }
  const timer = setTimeout(() => server?.closeAllConnections(), CLOSE_GRACE_MS);
  server.close(() => {
    clearTimeout(timer);
    finish();
  });
  server.closeIdleConnections();
});
