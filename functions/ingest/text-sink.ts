import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

/** Somewhere text is written in order: an S3 object being uploaded, or a local file. */
export type TextSink = {
  readonly write: (text: string) => Promise<void>;
  /** Finishes the output; resolves when it is durably stored. */
  readonly close: () => Promise<void>;
};

/** Text is handed to the stream in pieces of about this many characters: small writes cost more than the text. */
const BUFFER_CHARS = 64 * 1024;

/**
 * Wraps a writable stream as a TextSink with backpressure, buffering small writes and optionally
 * gzip-compressing on the way (level 1 by default: several times faster than the default level for
 * JSON Lines, at a modestly larger size). `consume` receives the byte stream and resolves once it has
 * stored everything (for example an S3 upload).
 */
export const streamSink = (
  consume: (stream: PassThrough) => Promise<void>,
  options: { gzip?: boolean; gzipLevel?: number } = {},
): TextSink => {
  const body = new PassThrough();
  const done = consume(body);
  done.catch(() => undefined);
  const input: Writable = options.gzip
    ? createGzip({ level: options.gzipLevel ?? constants.Z_BEST_SPEED })
    : body;
  if (options.gzip) input.pipe(body);
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const text = buffer;
    buffer = '';
    if (!input.write(text)) await Promise.race([once(input, 'drain'), done]);
  };
  return {
    write: async (text) => {
      buffer += text;
      if (buffer.length >= BUFFER_CHARS) await flush();
    },
    close: async () => {
      await flush();
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
