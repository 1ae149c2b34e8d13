/**
 * JSON parsing whose failure carries no input text. V8's `JSON.parse` errors quote the text they failed
 * on (`Unexpected token 'J', ..."name": John Smith"... is not valid JSON`), and a line of an extract, a
 * curated object or a queue message holds personal data, so the parser's message never leaves here:
 * only a fixed message and, when V8 gives one, the character position.
 */
export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly position?: number };

/** The position V8 reports (`... in JSON at position 11 (line 1 column 12)`): digits only, never text. */
const POSITION = /\bat position (\d{1,12})\b/;

/** Parses `text` as JSON; a syntax error gives its character position (0-based) at most. */
export const parseJsonText = (text: string): JsonParse => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const match = error instanceof Error ? POSITION.exec(error.message) : null;
    return match ? { ok: false, position: Number(match[1]) } : { ok: false };
  }
};

/** A fixed description of a JSON syntax error: `what` (our own words) and the 1-based character, if known. */
export const jsonSyntaxMessage = (what: string, failure: { readonly position?: number }): string =>
  failure.position === undefined
    ? `${what} is not valid JSON`
    : `${what} is not valid JSON (at character ${failure.position + 1})`;
