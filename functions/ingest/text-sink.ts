import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';

/** Somewhere text is written in order: an S3 object being uploaded, or a local file. */
export type TextSink = {
  readonly write: (text: string) => Promise<void>;
  /** Finishes the output; resolves when it is durably stored. */
  readonly close: () => Promise<void>;
};

/**
 * Wraps a writable stream (optionally gzip-compressed on the way) as a TextSink with backpressure.
 * `done` resolves when the consumer of the stream has stored everything (for example an S3 upload).
 */
export const streamSink = (
  consume: (stream: PassThrough) => Promise<void>,
  options: { gzip?: boolean } = {},
): TextSink => {
  const body = new PassThrough();
  const done = consume(body);
  done.catch(() => undefined);
  const input: Writable = options.gzip ? createGzip() : body;
  if (options.gzip) input.pipe(body);
  return {
    write: async (text) => {
      if (!input.write(text)) await Promise.race([once(input, 'drain'), done]);
    },
    close: async () => {
      input.end();
      await done;
    },
  };
};

/** A sink that keeps everything in memory; for tests and small outputs. */
export const memorySink = (): TextSink & { readonly text: () => string } => {
  const parts: string[] = [];
  return {
    write: async (text) => {
      parts.push(text);
    },
    close: async () => undefined,
    text: () => parts.join(''),
  };
};
