/**
 * Memoises a pure function of one string in a bounded cache. Extract values repeat heavily (a column of
 * sexes, nationalities or classifications holds a handful of spellings), so the normaliser looks each
 * spelling up once. The cache is cleared when full, which bounds memory whatever the file holds.
 * Cached results are frozen: callers share them, so none may change one.
 */
export const memoByText = <R>(fn: (text: string) => R, maxEntries = 4096): ((text: string) => R) => {
  const cache = new Map<string, R>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as R;
    const value = deepFreeze(fn(text));
    if (cache.size >= maxEntries) cache.clear();
    cache.set(text, value);
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
