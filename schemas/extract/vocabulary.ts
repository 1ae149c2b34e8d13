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

type Lookup = {
  readonly byKey: ReadonlyMap<string, string>;
  /** Results by text exactly as given, so a spelling seen before skips the key folding (bounded). */
  readonly byText: Map<string, string | undefined>;
};

const lookups = new WeakMap<object, Lookup>();
/** The cache of texts is bounded by size: at most this many texts, each at most MAX_CACHED_TEXT_CHARS long. */
const MAX_CACHED_TEXTS = 2048;
const MAX_CACHED_TEXT_CHARS = 256;

const lookupOf = (vocabulary: Vocabulary): Lookup => {
  const cached = lookups.get(vocabulary);
  if (cached) return cached;
  const map = new Map<string, string>();
  for (const [value, synonyms] of Object.entries(vocabulary) as [string, readonly string[]][]) {
    for (const label of [value, value.replace(/_/g, ''), ...synonyms]) {
      const key = vocabularyKey(label);
      if (key !== '' && !map.has(key)) map.set(key, value);
    }
  }
  const lookup = { byKey: map, byText: new Map<string, string | undefined>() };
  lookups.set(vocabulary, lookup);
  return lookup;
};

/** The canonical value an extract value stands for, or undefined when the vocabulary does not know it. */
export const lookupVocabulary = <T extends string>(
  vocabulary: Vocabulary<T>,
  text: string,
): T | undefined => {
  const { byKey, byText } = lookupOf(vocabulary);
  if (text.length > MAX_CACHED_TEXT_CHARS) return byKey.get(vocabularyKey(text)) as T | undefined;
  const hit = byText.get(text);
  if (hit !== undefined || byText.has(text)) return hit as T | undefined;
  const value = byKey.get(vocabularyKey(text));
  if (byText.size >= MAX_CACHED_TEXTS) byText.clear();
  byText.set(text, value);
  return value as T | undefined;
};

const orders = new WeakMap<object, readonly string[]>();

/** The canonical values of a vocabulary in their defined order (computed once per vocabulary). */
export const vocabularyValues = <T extends string>(vocabulary: Vocabulary<T>): readonly T[] => {
  let values = orders.get(vocabulary);
  if (!values) {
    values = Object.freeze(Object.keys(vocabulary));
    orders.set(vocabulary, values);
  }
  return values as readonly T[];
};
