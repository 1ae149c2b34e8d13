import { createGunzip } from 'node:zlib';

/** Bytes that open every gzip stream. https://www.rfc-editor.org/rfc/rfc1952#page-6 */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/** Looks at the first chunk of a byte stream without losing it. */
export const peek = async (
  source: AsyncIterable<Uint8Array>,
): Promise<{ first: Uint8Array | undefined; all: AsyncIterable<Uint8Array> }> => {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done ? undefined : head.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    if (first) yield first;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, all: all() };
};

/** Re-chunks a byte stream so that its first chunk holds at least `n` bytes (unless the stream is shorter). */
export async function* atLeast(source: AsyncIterable<Uint8Array>, n: number): AsyncGenerator<Uint8Array> {
  const head: Uint8Array[] = [];
  let size = 0;
  let started = false;
  for await (const chunk of source) {
    if (started) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    size += chunk.length;
    if (size >= n) {
      started = true;
      yield head.length === 1 ? chunk : Buffer.concat(head);
    }
  }
  if (!started && size > 0) yield Buffer.concat(head);
}

/** Whether bytes start like a gzip stream, whatever the file is called. */
export const isGzip = (first: Uint8Array | undefined): boolean =>
  first !== undefined && startsWith(first, GZIP_MAGIC);

/** Decompresses a gzip byte stream. */
export async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflate = createGunzip();
  const writable = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        inflate.off('drain', done);
        inflate.off('close', done);
        resolve();
      };
      inflate.once('drain', done);
      inflate.once('close', done);
    });
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        if (inflate.destroyed) return;
        if (!inflate.write(chunk)) await writable();
      }
      inflate.end();
    } catch (error) {
      inflate.destroy(error as Error);
    }
  })();
  try {
    yield* inflate;
  } finally {
    inflate.destroy();
    await feed;
  }
}
