import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { countIndexed } from '../../../functions/indexer/index-records.ts';
import { type IngestDeps, ingestObject } from '../../../functions/ingest/ingest-object.ts';
import { DEFAULT_LIMITS } from '../../../functions/ingest/limits.ts';
import { DEFAULT_PACK_LIMITS } from '../../../functions/ingest/pack.ts';
import type { ObjectRef } from '../../../functions/ingest/s3-event.ts';
import type { Ledger } from '../../../functions/shared/ledger.ts';
import { decodeRecordsMessage } from '../../../functions/shared/records-codec.ts';
import { type PublishUploadProgress, uploadProgressOf } from '../../../functions/shared/upload-progress.ts';
import type { PublishUploadStatus } from '../../../functions/shared/upload-status.ts';
import {
  type UploadLedgerEntry,
  type UploadProgress,
  type UploadStatus,
  type UploadStatusObject,
  uploadProgressKey,
  uploadStatusKey,
  uploadStatusOf,
} from '../../../schemas/index.ts';
import { TEST_KEY } from '../../support/pseudonym-key.ts';

// An in-memory world for ingest and the indexer's ledger step: S3 and SQS mocked with aws-sdk-client-mock,
// a ledger with the conditions of functions/shared/ledger.ts, status objects kept with their history,
// one injectable crash at the k-th ledger or status write (before or after it takes effect), and the
// indexer run on the messages queued so far right after the j-th write (as if concurrently).

export const LANDING = 'landing';
export const DATA = 'data';
export const ORG = 'PF-E23000001';

/** The process died: thrown by the injected fault, caught by the test's retry loop. */
export class Crash extends Error {}

type Stored = UploadLedgerEntry & { indexedAt?: string; indexedChunks: Set<string> };

const s3Mock = mockClient(S3Client);
const sqsMock = mockClient(SQSClient);

const bytesOf = async (body: unknown): Promise<Buffer> => {
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

export type World = ReturnType<typeof createWorld>;

export type WorldOptions = {
  readonly fault?: { readonly at: number; readonly when: 'before' | 'after' };
  readonly indexAfter?: number;
};

export const createWorld = ({ fault, indexAfter }: WorldOptions = {}) => {
  const objects = new Map<string, Buffer>();
  const entries = new Map<string, Stored>();
  /** Every write of a status object, in order, and every ledger write, as `status:X` / `ledger:op:X`. */
  const log: string[] = [];
  const queued: string[] = [];
  let steps = 0;
  let clock = Date.parse('2026-11-01T00:00:00.000Z');
  const now = (): string => {
    clock += 1000;
    return new Date(clock).toISOString();
  };

  /** A write that may be the one the fault kills the process at. */
  const step = async <T>(what: string, apply: () => T): Promise<T> => {
    steps++;
    if (fault && steps === fault.at && fault.when === 'before') throw new Crash(`before ${what}`);
    const result = apply();
    log.push(what);
    if (steps === indexAfter) await index();
    if (fault && steps === fault.at && fault.when === 'after') throw new Crash(`after ${what}`);
    return result;
  };

  s3Mock.reset();
  sqsMock.reset();
  s3Mock.on(GetObjectCommand).callsFake(({ Bucket, Key }) => {
    const body = objects.get(`${Bucket}/${Key}`);
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: Object.assign(Readable.from([body]), { transformToString: async () => body.toString() }) };
  });
  s3Mock.on(PutObjectCommand).callsFake(async ({ Bucket, Key, Body }) => {
    objects.set(`${Bucket}/${Key}`, await bytesOf(Body));
    return { ETag: '"e"' };
  });
  s3Mock.on(DeleteObjectCommand).callsFake(({ Bucket, Key }) => {
    objects.delete(`${Bucket}/${Key}`);
    return {};
  });
  sqsMock.on(SendMessageBatchCommand).callsFake(({ Entries = [] }: SendMessageBatchCommandInput) => {
    for (const e of Entries) queued.push(String(e.MessageBody));
    return {
      Successful: Entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })),
      Failed: [],
    };
  });

  /** Delivers every message queued so far to the indexer's ledger step, again after a crash. */
  async function index(): Promise<void> {
    for (const body of queued.splice(0)) {
      const message = decodeRecordsMessage(body);
      for (;;) {
        try {
          await countIndexed(
            { ...deps, publishProgress },
            message.uploadId,
            message.chunk,
            message.records.length,
          );
          break;
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
      }
    }
  }

  const read = (uploadId: string): UploadLedgerEntry | undefined => {
    const stored = entries.get(uploadId);
    if (!stored) return undefined;
    const { indexedChunks: _chunks, ...entry } = structuredClone(stored);
    return entry;
  };
  const must = (uploadId: string): Stored => {
    const stored = entries.get(uploadId);
    if (!stored) throw new Error(`ConditionalCheckFailed: ${uploadId} is not in the ledger`);
    return stored;
  };

  /** The ledger's conditions as functions/shared/ledger.ts writes them to DynamoDB. */
  const ledger: Ledger = {
    get: async (uploadId) => read(uploadId),
    begin: async (entry) => {
      const existing = read(entry.uploadId);
      if (existing) return { created: false, entry: existing };
      return step(`ledger:begin:${entry.status}`, () => {
        entries.set(entry.uploadId, { ...structuredClone(entry), indexedChunks: new Set() });
        return { created: true, entry };
      });
    },
    update: async (uploadId, changes) =>
      step(`ledger:update:${changes.status ?? '-'}`, () => {
        const stored = must(uploadId);
        for (const [k, v] of Object.entries(changes)) if (v !== undefined) Object.assign(stored, { [k]: v });
      }),
    findCompletedBySha256: async (org, sha256, except) =>
      [...entries.keys()]
        .map((id) => read(id) as UploadLedgerEntry)
        .filter((e) => e.org === org && e.sha256 === sha256 && e.uploadId !== except)
        .find((e) => e.status === 'QUEUED' || e.status === 'INDEXED'),
    complete: async (uploadId, counts, extra) =>
      step('ledger:complete:QUEUED', () => {
        const stored = must(uploadId);
        Object.assign(stored, {
          status: 'QUEUED',
          ...extra,
          counts: { ...counts, indexed: stored.counts.indexed },
        });
      }),
    recordIndexed: async (uploadId, chunkId, count) =>
      step(`ledger:recordIndexed:${chunkId}`, () => {
        const stored = must(uploadId);
        if (stored.indexedChunks.has(chunkId)) return false;
        stored.indexedChunks.add(chunkId);
        stored.counts = { ...stored.counts, indexed: stored.counts.indexed + count };
        return true;
      }),
    finishIfIndexed: async (uploadId) => {
      const stored = entries.get(uploadId);
      if (stored?.status !== 'QUEUED' || stored.counts.indexed < stored.counts.accepted) return false;
      return step('ledger:finishIfIndexed:INDEXED', () => {
        Object.assign(stored, { status: 'INDEXED', indexedAt: now() });
        return true;
      });
    },
    listByOrg: async (org) =>
      [...entries.keys()].map((id) => read(id) as UploadLedgerEntry).filter((e) => e.org === org),
  };

  /** Status objects as written, by upload id, every version kept. */
  const statusHistory = new Map<string, UploadStatus[]>();
  const publishStatus: PublishUploadStatus = async (entry) =>
    step(`status:${entry.status}`, () => {
      objects.set(
        `${DATA}/${uploadStatusKey(entry.org, entry.uploadId)}`,
        Buffer.from(JSON.stringify(uploadStatusOf(entry))),
      );
      statusHistory.set(entry.uploadId, [...(statusHistory.get(entry.uploadId) ?? []), entry.status]);
    });

  /** Progress objects as written, by upload id, every version kept. */
  const progressHistory = new Map<string, UploadProgress[]>();
  const publishProgress: PublishUploadProgress = async (entry, at) =>
    step('progress', () => {
      const progress = uploadProgressOf(entry, at);
      objects.set(
        `${DATA}/${uploadProgressKey(entry.org, entry.uploadId)}`,
        Buffer.from(JSON.stringify(progress)),
      );
      progressHistory.set(entry.uploadId, [...(progressHistory.get(entry.uploadId) ?? []), progress]);
    });

  const deps: IngestDeps = {
    s3: new S3Client({ region: 'eu-west-2', credentials: { accessKeyId: 'k', secretAccessKey: 's' } }),
    sqs: new SQSClient({ region: 'eu-west-2', credentials: { accessKeyId: 'k', secretAccessKey: 's' } }),
    ledger,
    publishStatus,
    bucket: DATA,
    recordsQueueUrl: 'https://sqs.eu-west-2.amazonaws.com/111122223333/records',
    limits: DEFAULT_LIMITS,
    pack: { ...DEFAULT_PACK_LIMITS, maxRecords: 2 },
    pseudonymKey: async () => TEST_KEY,
    now,
    log: () => undefined,
  };

  /** Puts an upload in the landing bucket and returns the reference its S3 event gives. */
  const put = (key: string, body: string): ObjectRef => {
    objects.set(`${LANDING}/${key}`, Buffer.from(body));
    return { bucket: LANDING, key, size: Buffer.byteLength(body), eTag: `etag-${key}` };
  };

  return {
    deps,
    ledger,
    log,
    /** Every object written or put, by `{bucket}/{key}`, and every records message queued and not yet indexed. */
    objects,
    queued,
    statusHistory,
    progressHistory,
    put,
    /** The steps taken so far (ledger and status writes). */
    steps: () => steps,
    /** The status object of an upload, as an organisation would read it. */
    statusObject: (org: string, uploadId: string): UploadStatusObject | undefined => {
      const body = objects.get(`${DATA}/${uploadStatusKey(org as typeof ORG, uploadId)}`);
      return body ? (JSON.parse(body.toString()) as UploadStatusObject) : undefined;
    },
    /** Ingests `ref` as SQS would deliver its event: again after a crash, until it goes through. */
    ingest: async (ref: ObjectRef) => {
      for (;;) {
        try {
          return await ingestObject(deps, ref);
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
      }
    },
    index,
  };
};
