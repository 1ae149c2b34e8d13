/** One `name=value` pair of a raw query string, both percent-decoded, in the order sent. */
export type QueryParameter = { readonly name: string; readonly value: string };

/** Percent-decodes; a malformed escape (`%zz`) is kept as sent rather than throwing (its signature will not match). */
export const percentDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * Splits a raw query string (no '?') into decoded pairs. A name without '=' has the value ''. '+' is kept
 * as '+': AWS signs and reads the query as RFC 3986 text, not as an HTML form (where '+' means space).
 */
export const parseQuery = (query: string): QueryParameter[] =>
  query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0
        ? { name: percentDecode(part), value: '' }
        : { name: percentDecode(part.slice(0, equals)), value: percentDecode(part.slice(equals + 1)) };
    });

/** The first value of each name (names compared exactly, as AWS does for query parameters). */
export const queryValues = (query: string): ReadonlyMap<string, string> => {
  const values = new Map<string, string>();
  for (const { name, value } of parseQuery(query)) if (!values.has(name)) values.set(name, value);
  return values;
};

/**
 * A JSON-protocol body as an object: `{}` when it is empty, not JSON or not an object, so the request
 * then names no resource and is authorised against `*`.
 */
export const jsonBodyOf = (body: Buffer): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
