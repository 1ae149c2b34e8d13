/**
 * Drops keys whose value is undefined, so records hold no `undefined` (DynamoDB and deep equality):
 * a plain object with the other keys, in the same order, with the same values.
 *
 * An object of more than a dozen keys is made by an object literal of exactly its keys (a function per
 * set of keys, built once) rather than by adding keys one by one: V8 turns an object that gains more
 * than a dozen keys through `out[key] = v` into a slow dictionary, and a canonical record has about
 * thirty, which made `JSON.stringify` of every record about 60% and its compiled check about 45%
 * slower (docs/architecture.md, "Performance"). Keys are written as JSON string literals, so any key is
 * safe; the sets of keys come from the normaliser's code, and the cache of literals is bounded by
 * entries and characters all the same (test/property/compact.property.test.ts).
 */
export const compact = <T extends Record<string, unknown>>(value: T): T => {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) {
      keys.push(key);
      values.push(v);
    }
  }
  // `out.__proto__ = v` sets the prototype, which a literal's own key would not: such keys take the plain way.
  if (keys.length <= FAST_KEYED_KEYS || keys.includes('__proto__')) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i] as string] = values[i];
    return out as T;
  }
  return literalFor(keys)(values) as T;
};

/** Up to this many keys an object built by `out[key] = v` stays fast (V8 allows 12 beyond those in the object). */
const FAST_KEYED_KEYS = 12;

type Literal = (values: readonly unknown[]) => Record<string, unknown>;

const MAX_LITERALS = 256;
const MAX_LITERAL_CHARS = 64 * 1024;
const literals = new Map<string, Literal>();
let literalChars = 0;

/** The last literal used: the records of a file mostly share one set of keys, and comparing them is cheaper than joining them. */
let last: { keys: readonly string[]; literal: Literal } | undefined;

const sameKeys = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const literalFor = (keys: readonly string[]): Literal => {
  if (last !== undefined && sameKeys(last.keys, keys)) return last.literal;
  const literal = cachedLiteral(keys);
  last = { keys, literal };
  return literal;
};

const cachedLiteral = (keys: readonly string[]): Literal => {
  const signature = keys.join('\u0000');
  const cached = literals.get(signature);
  if (cached !== undefined) return cached;
  const body = keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(', ');
  const literal = new Function('v', `return { ${body} };`) as Literal;
  if (signature.length > MAX_LITERAL_CHARS) return literal;
  if (literals.size >= MAX_LITERALS || literalChars + signature.length > MAX_LITERAL_CHARS) {
    literals.clear();
    literalChars = 0;
  }
  literals.set(signature, literal);
  literalChars += signature.length;
  return literal;
};
