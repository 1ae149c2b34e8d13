/**
 * IAM condition operators: the `Condition` block of a statement against a request context.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

/** A value a condition compares with: templates write numbers and booleans unquoted (`1.2`, `true`). */
export type ConditionValue = string | number | boolean;

/** A statement's `Condition` element: operator -> context key -> expected value(s). */
export type Condition = Readonly<Record<string, Readonly<Record<string, ConditionValue | ConditionValue[]>>>>;

/** The request context keys that conditions read; multivalued keys (e.g. `aws:TagKeys`) are arrays. */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** A condition operator this evaluator does not implement (it refuses rather than guess). */
export class UnsupportedConditionError extends Error {
  readonly operator: string;
  constructor(operator: string) {
    super(`Condition operator ${operator} is not supported by this evaluator`);
    this.name = 'UnsupportedConditionError';
    this.operator = operator;
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

const PATTERNS = new Map<string, RegExp>();

/** Whether `value` matches an IAM pattern with `*` (any run) and `?` (one character). */
export const wildcardMatch = (pattern: string, value: string, caseInsensitive = false): boolean => {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regExp = PATTERNS.get(cacheKey);
  if (!regExp) {
    const source = `^${escapeRegExp(pattern).replace(/\*/g, '.*').replace(/\?/g, '.')}$`;
    regExp = new RegExp(source, caseInsensitive ? 'is' : 's');
    PATTERNS.set(cacheKey, regExp);
  }
  return regExp.test(value);
};

/**
 * ArnEquals and ArnLike are the same operator: each of the six colon-separated parts is matched on its
 * own, with wildcards, so `*` in the region part cannot swallow the account part.
 */
const arnMatch = (pattern: string, value: string): boolean => {
  const parts = (arn: string) => {
    const split = arn.split(':');
    return [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const [p, v] = [parts(pattern), parts(value)];
  if (pattern.split(':').length < 6 || value.split(':').length < 6) return false;
  return p.every((segment, i) => wildcardMatch(segment, v[i] as string));
};

/** Epoch milliseconds of an IAM date: ISO 8601 or epoch seconds. */
const toDate = (value: string): number => (/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value));

type Compare = (expected: string, actual: string) => boolean;
const numeric =
  (test: (e: number, a: number) => boolean): Compare =>
  (expected, actual) => {
    const [e, a] = [Number(expected), Number(actual)];
    return !Number.isNaN(e) && !Number.isNaN(a) && test(e, a);
  };
const date =
  (test: (e: number, a: number) => boolean): Compare =>
  (expected, actual) => {
    const [e, a] = [toDate(expected), toDate(actual)];
    return !Number.isNaN(e) && !Number.isNaN(a) && test(e, a);
  };

/**
 * Each operator as a positive comparison of one expected with one actual value, and whether it is the
 * negation of that comparison (the Not operators: true when the actual value matches none expected).
 */
const OPERATORS: Readonly<Record<string, { readonly compare: Compare; readonly negated: boolean }>> = {
  StringEquals: { compare: (e, a) => e === a, negated: false },
  StringNotEquals: { compare: (e, a) => e === a, negated: true },
  StringEqualsIgnoreCase: { compare: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: true },
  StringLike: { compare: (e, a) => wildcardMatch(e, a), negated: false },
  StringNotLike: { compare: (e, a) => wildcardMatch(e, a), negated: true },
  ArnEquals: { compare: arnMatch, negated: false },
  ArnLike: { compare: arnMatch, negated: false },
  ArnNotEquals: { compare: arnMatch, negated: true },
  ArnNotLike: { compare: arnMatch, negated: true },
  NumericEquals: { compare: numeric((e, a) => a === e), negated: false },
  NumericNotEquals: { compare: numeric((e, a) => a === e), negated: true },
  NumericLessThan: { compare: numeric((e, a) => a < e), negated: false },
  NumericLessThanEquals: { compare: numeric((e, a) => a <= e), negated: false },
  NumericGreaterThan: { compare: numeric((e, a) => a > e), negated: false },
  NumericGreaterThanEquals: { compare: numeric((e, a) => a >= e), negated: false },
  DateEquals: { compare: date((e, a) => a === e), negated: false },
  DateNotEquals: { compare: date((e, a) => a === e), negated: true },
  DateLessThan: { compare: date((e, a) => a < e), negated: false },
  DateLessThanEquals: { compare: date((e, a) => a <= e), negated: false },
  DateGreaterThan: { compare: date((e, a) => a > e), negated: false },
  DateGreaterThanEquals: { compare: date((e, a) => a >= e), negated: false },
  Bool: { compare: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
};

const OPERATOR = /^(ForAnyValue:|ForAllValues:)?([A-Za-z]+?)(IfExists)?$/;

const asStrings = (value: ConditionValue | readonly ConditionValue[]): string[] =>
  (Array.isArray(value) ? value : [value]).map(String);

/** Whether one operator's test of one context key holds. */
export const conditionHolds = (
  operator: string,
  key: string,
  expected: ConditionValue | readonly ConditionValue[],
  context: RequestContext,
): boolean => {
  const match = OPERATOR.exec(operator);
  const [, qualifier, name = '', ifExists] = match ?? [];
  const raw = context[key];
  const actual = raw === undefined ? undefined : typeof raw === 'string' ? [raw] : [...raw];
  if (name === 'Null' && !qualifier && !ifExists) {
    // Null: true means "the key is absent", false means "present" (an empty set counts as absent).
    const absent = actual === undefined || actual.length === 0;
    return asStrings(expected).some((value) => (value.toLowerCase() === 'true') === absent);
  }
  const spec = match ? OPERATORS[name] : undefined;
  if (!spec) throw new UnsupportedConditionError(operator);
  const expectedValues = asStrings(expected);
  const valueHolds = (value: string): boolean => {
    const matches = expectedValues.some((e) => spec.compare(e, value));
    return spec.negated ? !matches : matches;
  };
  if (qualifier === 'ForAllValues:') {
    // Vacuously true for a missing or empty key: the documented trap of ForAllValues.
    return actual === undefined || actual.every(valueHolds);
  }
  if (actual === undefined || actual.length === 0) {
    // A missing key fails a positive test; IfExists, and the negated operators, let it pass.
    if (qualifier === 'ForAnyValue:') return Boolean(ifExists);
    return Boolean(ifExists) || spec.negated;
  }
  // ForAnyValue, and a single-valued operator given several values: any value that holds suffices.
  return actual.some(valueHolds);
};

/** Whether every test of a `Condition` element holds (operators AND, keys AND, values OR). */
export const conditionsHold = (condition: Condition | undefined, context: RequestContext): boolean =>
  Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, context)),
  );
