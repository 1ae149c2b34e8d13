import { gunzip, isGzip, peek } from './byte-source.ts';
import type { TextEncoding } from './inspect.ts';

/**
 * Turns an object's bytes into text: gunzips when the bytes are gzip, then decodes with the encoding
 * the inspection chose (UTF-8, Windows-1252 or UTF-16). A byte-order mark is dropped. CRLF and LF are
 * left to the parsers.
 */
export async function* decodeText(
  source: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
): AsyncGenerator<string> {
  const { first, all } = await peek(source);
  const bytes = isGzip(first) ? gunzip(all) : all;
  const decoder = new TextDecoder(encoding);
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
