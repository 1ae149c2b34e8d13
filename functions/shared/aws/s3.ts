import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Opens an object as a Node stream of bytes; the object is never held whole in memory. */
export const openObject = async (s3: S3Client, bucket: string, key: string): Promise<Readable> => {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = res.Body;
  if (body instanceof Readable) return body;
  if (body && 'transformToWebStream' in body) {
    return Readable.fromWeb(body.transformToWebStream() as WebReadableStream);
  }
  throw new Error(`S3 returned no body for s3://${bucket}/${key}`);
};

/**
 * Streams a body to S3 with a multipart upload (parts of 8 MiB), so large outputs never sit whole in
 * memory. The bucket's default encryption (SSE-KMS in AWS) applies.
 */
export const uploadStream = async (
  s3: S3Client,
  params: {
    bucket: string;
    key: string;
    body: Readable | Buffer | string;
    contentType: string;
    contentEncoding?: string;
  },
): Promise<void> => {
  const upload = new Upload({
    client: s3,
    partSize: 8 * 1024 * 1024,
    queueSize: 2,
    params: {
      Bucket: params.bucket,
      Key: params.key,
      Body: params.body,
      ContentType: params.contentType,
      ...(params.contentEncoding ? { ContentEncoding: params.contentEncoding } : {}),
    },
  });
  await upload.done();
};

/** Writes a small object in one request. */
export const putObject = async (
  s3: S3Client,
  params: { bucket: string; key: string; body: string | Buffer; contentType: string },
): Promise<void> => {
  await s3.send(
    new PutObjectCommand({
      Bucket: params.bucket,
      Key: params.key,
      Body: params.body,
      ContentType: params.contentType,
    }),
  );
};

/** Deletes an object; deleting a missing object is not an error (S3 semantics). */
export const deleteObject = async (s3: S3Client, bucket: string, key: string): Promise<void> => {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
};

/** Reads a small object as UTF-8 text. */
export const readObjectText = async (s3: S3Client, bucket: string, key: string): Promise<string> => {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!res.Body) throw new Error(`S3 returned no body for s3://${bucket}/${key}`);
  return res.Body.transformToString('utf-8');
};

/**
 * Reads a small JSON object and parses it with `schema`; undefined when there is no such key. Throws on
 * an object that is not valid JSON of that shape.
 */
export const readJsonObject = async <T>(
  s3: S3Client,
  bucket: string,
  key: string,
  schema: { parse: (value: unknown) => T },
): Promise<T | undefined> => {
  let text: string;
  try {
    text = await readObjectText(s3, bucket, key);
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
  return schema.parse(JSON.parse(text));
};
