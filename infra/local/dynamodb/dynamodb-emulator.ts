import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { isLevelDbFolder } from './storage.ts';
import type { WorkerMessage, WorkerOptions } from './worker.ts';

/** The database file in a data folder's `dynamodb/`. */
export const DATABASE_FILE = 'dynamodb.sqlite';

export type DynamoDbEmulatorOptions = {
  readonly host: string;
  /** 0 asks the operating system for a free port. */
  readonly port: number;
  /** The folder the database lives in (created); omitted: a temporary file, removed on close. */
  readonly directory?: string;
  readonly region: string;
  readonly account: string;
};

/** A running emulator: its endpoint, its worker's thread id, and `close()` (idempotent, never hangs). */
export type DynamoDbEmulator = {
  readonly endpoint: string;
  readonly port: number;
  readonly close: () => Promise<void>;
};

/** The young generation of the emulator's worker thread: three 16 MB semi-spaces. */
const YOUNG_GENERATION_MB = 48;

/** How long close waits for the worker before terminating it. */
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Starts the DynamoDB emulator in its own worker thread (its CPU off the main event loop), listening on
 * its own port, with its items in SQLite under `directory`.
 */
export const startDynamoDbEmulator = async (options: DynamoDbEmulatorOptions): Promise<DynamoDbEmulator> => {
  let directory = options.directory;
  let temporary: string | undefined;
  if (directory) {
    if (isLevelDbFolder(directory))
      throw new Error(
        `${directory} holds a DynamoDB written by dynalite (LevelDB), which the local stack no longer reads: ` +
          'move that folder away (or start with a new --data folder) and the tables are created afresh.',
      );
    await mkdir(directory, { recursive: true });
  } else {
    temporary = await mkdtemp(join(tmpdir(), 'msht-local-dynamodb-'));
    directory = temporary;
  }
  const workerOptions: WorkerOptions = {
    file: join(directory, DATABASE_FILE),
    host: options.host,
    port: options.port,
    region: options.region,
    account: options.account,
  };
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    workerData: workerOptions,
    // 16 MB semi-spaces: a worker thread's default young generation (192 MB) grew to over 100 MB of
    // mostly empty space under the pipeline's load, for no measurable gain.
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const removeTemporary = async (): Promise<void> => {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const onMessage = (message: WorkerMessage): void => {
        if (message.kind === 'listening') resolve(message.port);
        else if (message.kind === 'error')
          reject(
            message.code === 'EADDRINUSE'
              ? new Error(
                  `Cannot start the local DynamoDB emulator: port ${options.port} on ${options.host} is in use`,
                )
              : new Error(`Cannot start the local DynamoDB emulator: ${message.message}`),
          );
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The local DynamoDB emulator exited (code ${code})`)));
    });
  } catch (err) {
    await worker.terminate();
    await removeTemporary();
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const done = new Promise<void>((resolve) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'closed') resolve();
      });
    });
    worker.postMessage({ kind: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([done.then(() => exited), exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await worker.terminate();
    await removeTemporary();
  };
  return {
    endpoint: `http://${options.host}:${port}`,
    port,
    close: () => {
      closed ??= close();
      return closed;
    },
  };
};
