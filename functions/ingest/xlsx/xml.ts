import { SaxesParser } from 'saxes';
import { FileRejectedError } from '../../shared/errors.ts';
import { XLSX_LIMITS } from './xlsx-limits.ts';
import { shownName } from './zip.ts';

/** What a reader of one XML part is told: elements by local name (any `x:` prefix dropped), and text. */
export type XmlHandlers = {
  readonly open: (name: string, attributes: Readonly<Record<string, string>>) => void;
  readonly close?: (name: string) => void;
  readonly text?: (text: string) => void;
};

/** At most this many characters go to the parser at once, so a hostile token is noticed early. */
const WRITE_CHARS = 64 * 1024;

const localName = (name: string): string => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/**
 * Parses one XML part as it is inflated (saxes: no DTD, no entity expansion), yielding after each chunk
 * so that the caller can hand on what the handlers gathered. Rejects (`CORRUPT_XLSX`) XML that is not
 * well-formed, holds a DOCTYPE (no workbook part has one; it is how entity bombs start), or has a text,
 * tag or attribute longer than XLSX_LIMITS.maxXmlTokenBytes (the parser would hold it whole).
 */
export async function* parseXmlPart(
  source: AsyncIterable<Uint8Array>,
  part: string,
  file: string,
  handlers: XmlHandlers,
): AsyncGenerator<void> {
  const reject = (message: string): never => {
    throw new FileRejectedError('CORRUPT_XLSX', message, { context: { file } });
  };
  const parser = new SaxesParser({ position: false });
  // Characters written since the parser last reported something: what it holds unreported.
  let pending = 0;
  parser.on('opentag', (tag) => {
    pending = 0;
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  if (handlers.close) {
    const close = handlers.close;
    parser.on('closetag', (tag) => {
      pending = 0;
      close(localName(tag.name));
    });
  } else {
    parser.on('closetag', () => {
      pending = 0;
    });
  }
  if (handlers.text) {
    const text = handlers.text;
    parser.on('text', (t) => {
      pending = 0;
      text(t);
    });
    parser.on('cdata', (t) => {
      pending = 0;
      text(t);
    });
  }
  parser.on('doctype', () =>
    reject(`The workbook part ${shownName(part)} declares a DOCTYPE, which no workbook has`),
  );
  parser.on('error', () => reject(`The workbook part ${shownName(part)} is not well-formed XML`));
  const decoder = new TextDecoder('utf-8');
  const write = (text: string): void => {
    for (let at = 0; at < text.length; at += WRITE_CHARS) {
      const piece = at === 0 && text.length <= WRITE_CHARS ? text : text.slice(at, at + WRITE_CHARS);
      pending += piece.length;
      parser.write(piece);
      if (pending > XLSX_LIMITS.maxXmlTokenBytes) {
        reject(
          `The workbook part ${shownName(part)} has a text or tag longer than ${XLSX_LIMITS.maxXmlTokenBytes} characters, more than any cell holds`,
        );
      }
    }
  };
  for await (const chunk of source) {
    write(decoder.decode(chunk, { stream: true }));
    yield;
  }
  write(decoder.decode());
  parser.close();
}
