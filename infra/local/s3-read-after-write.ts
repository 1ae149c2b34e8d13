import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * S3 is strongly consistent: a GET after a PUT's answer reads the whole new object, and a GET during a
 * PUT reads the old one or the new one, never a part. s3rver writes an object in place and answers
 * before the file is written (its putObject resolves when the bytes have passed its hash, not when they
 * are on disk), so a reader polling an object that is being replaced (a status object, say) could get
 * half of it. This makes its store behave as S3 does: an object is written to a temporary file, then
 * renamed over the old one (a reader that has opened the old file reads it to the end), and reads,
 * writes and deletes of one key take turns, so a GET never pairs one version's metadata with another's
 * bytes.
 */
type S3rverObject = {
  readonly bucket: string;
  readonly key: string;
  readonly content: Buffer | Readable;
  readonly metadata: Record<string, string>;
};
type FilesystemStore = {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
};

const require = createRequire(import.meta.url);
const Store = require('s3rver/lib/stores/filesystem') as { prototype: FilesystemStore };

let applied = false;

/** Patches s3rver's filesystem store once per process (idempotent). */
export const makeS3rverReadAfterWrite = (): void => {
  if (applied) return;
  applied = true;
  const turns = new Map<string, Promise<unknown>>();
  /** Runs `work` after every earlier operation on the same key has finished. */
  const inTurn = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const before = turns.get(id) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    turns.set(id, settled);
    void settled.then(() => {
      if (turns.get(id) === settled) turns.delete(id);
    });
    return mine;
  };
  const proto = Store.prototype;
  const { getObject, deleteObject } = proto;
  proto.getObject = function (bucket, key, options) {
    return inTurn(`${bucket}/${key}`, () => getObject.call(this, bucket, key, options));
  };
  proto.deleteObject = function (bucket, key) {
    return inTurn(`${bucket}/${key}`, () => deleteObject.call(this, bucket, key));
  };
  proto.putObject = function (object) {
    return inTurn(`${object.bucket}/${object.key}`, async () => {
      const path = this.getResourcePath(object.bucket, object.key, 'object');
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.part`;
      const md5 = createHash('md5');
      let size = 0;
      try {
        const chunks: AsyncIterable<Buffer> | Iterable<Buffer> = Buffer.isBuffer(object.content)
          ? [object.content]
          : object.content;
        await pipeline(
          Readable.from(chunks),
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              md5.update(chunk);
              size += chunk.length;
              yield chunk;
            }
          },
          createWriteStream(temporary),
        );
        await rename(temporary, path);
      } catch (err) {
        await rm(temporary, { force: true });
        throw err;
      }
      const digest = md5.digest('hex');
      await this.putMetadata(object.bucket, object.key, object.metadata, digest);
      return { size, md5: digest };
    });
  };
};
