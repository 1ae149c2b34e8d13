/**
 * A controlled vocabulary: each canonical value with the other spellings an extract may use. Matching is
 * case-, accent- and punctuation-insensitive; the canonical value itself (with `_` read as a space or
 * dropped) always matches.
 */
export type Vocabulary<T extends string = string> = { readonly [K in T]: readonly string[] };

/** Matching key of a vocabulary entry or an extract value. */
export const vocabularyKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();

const lookups = new WeakMap<object, ReadonlyMap<string, string>>();

const lookupOf = (vocabulary: Vocabulary): ReadonlyMap<string, string> => {
  const cached = lookups.get(vocabulary);
  if (cached) return cached;
  const map = new Map<string, string>();
  for (const [value, synonyms] of Object.entries(vocabulary) as [string, readonly string[]][]) {
    for (const label of [value, value.replace(/_/g, ''), ...synonyms]) {
      const key = vocabularyKey(label);
      if (key !== '' && !map.has(key)) map.set(key, value);
    }
  }
  lookups.set(vocabulary, map);
  return map;
};

/** The canonical value an extract value stands for, or undefined when the vocabulary does not know it. */
export const lookupVocabulary = <T extends string>(vocabulary: Vocabulary<T>, text: string): T | undefined =>
  lookupOf(vocabulary).get(vocabularyKey(text)) as T | undefined;
