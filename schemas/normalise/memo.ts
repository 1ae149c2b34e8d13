/** Texts longer than this are never cached: long values rarely repeat, and each would cost its length. */
export const MEMO_MAX_TEXT_CHARS = 256;

/** The cache is cleared once its keys hold this many characters (about 2 MiB of UTF-16), or `maxEntries`. */
export const MEMO_MAX_CACHED_CHARS = 1 << 20;

/**
 * Memoises a pure function of one string in a bounded cache. Extract values repeat heavily (a column of
 * sexes, nationalities or classifications holds a handful of spellings), so the normaliser looks each
 * spelling up once. The cache is bounded by size, not only by entries: a text over
 * `MEMO_MAX_TEXT_CHARS` is computed without caching, and the cache is cleared when its keys reach
 * `MEMO_MAX_CACHED_CHARS` characters or `maxEntries` entries, which bounds memory whatever the file holds
 * (a result is built from its text, so it is at most a small multiple of it).
 * Cached results are frozen: callers share them, so none may change one.
 */
export const memoByText = <R>(fn: (text: string) => R, maxEntries = 4096): ((text: string) => R) => {
  const cache = new Map<string, R>();
  let cachedChars = 0;
  return (text) => {
    if (text.length > MEMO_MAX_TEXT_CHARS) return deepFreeze(fn(text));
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as R;
    const value = deepFreeze(fn(text));
    if (cache.size >= maxEntries || cachedChars + text.length > MEMO_MAX_CACHED_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    cache.set(text, value);
    cachedChars += text.length;
    return value;
  };
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};
