import { validationError } from './errors.ts';

/** A DynamoDB AttributeValue on the wire: an object with exactly one type key. */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] }
  | { readonly L: readonly AttributeValue[] }
  | { readonly M: Readonly<Record<string, AttributeValue>> };

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

/** An item: attribute names to values. */
export type Item = Record<string, AttributeValue>;

export const ATTRIBUTE_TYPES: ReadonlySet<string> = new Set([
  'S',
  'N',
  'B',
  'BOOL',
  'NULL',
  'SS',
  'NS',
  'BS',
  'L',
  'M',
]);

/** The type key of a value (values are validated on the way in, so there is exactly one). */
export const typeOf = (value: AttributeValue): AttributeType => {
  for (const key in value) return key as AttributeType;
  throw validationError(
    'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  );
};

/** The payload of a value, whatever its type. */
export const payloadOf = (value: AttributeValue): unknown =>
  (value as Record<string, unknown>)[typeOf(value)];

// ---- numbers ---------------------------------------------------------------------------------------

/** A decimal number: sign, significant digits (no leading or trailing zeros) and the exponent of the first. */
export type NumberParts = { readonly sign: -1 | 0 | 1; readonly digits: string; readonly exponent: number };

const NUMBER = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** Parses a number as DynamoDB reads one; undefined when it is not a number. */
export const parseNumber = (text: string): NumberParts | undefined => {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const all = intPart + fracPart;
  const first = all.search(/[1-9]/);
  if (first < 0) return { sign: 0, digits: '', exponent: 0 };
  const digits = all.slice(first).replace(/0+$/, '');
  const exponent = intPart.length - first - 1 + Number(m[4] ?? 0);
  return { sign: m[1] === '-' ? -1 : 1, digits, exponent };
};

/** A number's canonical text (plain decimal, as DynamoDB returns it). */
export const formatNumber = ({ sign, digits, exponent }: NumberParts): string => {
  if (sign === 0) return '0';
  let body: string;
  if (exponent < 0) body = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length <= exponent + 1) body = digits + '0'.repeat(exponent + 1 - digits.length);
  else body = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return sign < 0 ? `-${body}` : body;
};

/** Validates a number and returns its canonical text, with DynamoDB's messages for the limits. */
export const normaliseNumber = (text: unknown): string => {
  if (typeof text !== 'string' || text === '')
    throw validationError('The parameter cannot be converted to a numeric value');
  const parts = parseNumber(text);
  if (!parts) throw validationError(`The parameter cannot be converted to a numeric value: ${text}`);
  if (parts.sign !== 0) {
    if (parts.exponent > 125)
      throw validationError(
        'Number overflow. Attempting to store a number with magnitude larger than supported range',
      );
    if (parts.exponent < -130)
      throw validationError(
        'Number underflow. Attempting to store a number with magnitude smaller than supported range',
      );
    if (parts.digits.length > 38)
      throw validationError('Attempting to store more than 38 significant digits in a Number');
  }
  return formatNumber(parts);
};

const partsOf = (text: string): NumberParts => {
  const parts = parseNumber(text);
  if (!parts) throw validationError(`The parameter cannot be converted to a numeric value: ${text}`);
  return parts;
};

/** Compares two numbers' texts numerically: negative, zero or positive. */
export const compareNumbers = (a: string, b: string): number => {
  const x = partsOf(a);
  const y = partsOf(b);
  if (x.sign !== y.sign) return x.sign - y.sign;
  if (x.sign === 0) return 0;
  let magnitude: number;
  if (x.exponent !== y.exponent) magnitude = x.exponent - y.exponent;
  else magnitude = x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return x.sign * Math.sign(magnitude);
};

/** Adds or subtracts two numbers exactly (decimal), within DynamoDB's limits. */
export const addNumbers = (a: string, b: string, subtract = false): string => {
  const x = partsOf(a);
  const y = partsOf(b);
  const scaleOf = (p: NumberParts) => p.digits.length - 1 - p.exponent; // digits after the point
  const scale = Math.max(scaleOf(x), scaleOf(y), 0);
  const asBig = (p: NumberParts): bigint =>
    p.sign === 0 ? 0n : BigInt(p.sign) * BigInt(p.digits) * 10n ** BigInt(scale - scaleOf(p));
  const sum = asBig(x) + (subtract ? -asBig(y) : asBig(y));
  const negative = sum < 0n;
  const text = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const plain =
    scale === 0 ? text : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`;
  return normaliseNumber(negative ? `-${plain}` : plain);
};

/** A set value of a set type from its members. */
export const setOf = (type: 'SS' | 'NS' | 'BS' | string, members: string[]): AttributeValue =>
  ({ [type]: members }) as unknown as AttributeValue;

// ---- validation ------------------------------------------------------------------------------------

const SET_NAMES: Readonly<Record<string, string>> = { SS: 'string', NS: 'number', BS: 'binary' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a value from a request and returns it in canonical form (numbers normalised), with
 * DynamoDB's messages for what it refuses.
 */
export const validateValue = (value: unknown): AttributeValue => {
  if (!isObject(value))
    throw validationError(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  if (keys.length === 0)
    throw validationError(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  if (keys.length > 1)
    throw validationError(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  const type = keys[0] as string;
  const payload = value[type];
  switch (type) {
    case 'S':
      if (typeof payload !== 'string') throw validationError('Invalid attribute value type');
      return { S: payload };
    case 'N':
      return { N: normaliseNumber(payload) };
    case 'B':
      if (typeof payload !== 'string') throw validationError('Invalid attribute value type');
      return { B: payload };
    case 'BOOL':
      if (typeof payload !== 'boolean') throw validationError('Invalid attribute value type');
      return { BOOL: payload };
    case 'NULL':
      if (payload !== true)
        throw validationError(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        );
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(payload)) throw validationError('Invalid attribute value type');
      if (payload.length === 0)
        throw validationError(
          `One or more parameter values were invalid: An ${SET_NAMES[type]} set  may not be empty`,
        );
      const members = payload.map((m) => {
        if (typeof m !== 'string') throw validationError('Invalid attribute value type');
        return type === 'NS' ? normaliseNumber(m) : m;
      });
      if (new Set(members).size !== members.length)
        throw validationError(
          `One or more parameter values were invalid: Input collection ${valueText(value)} contains duplicates.`,
        );
      return setOf(type, members);
    }
    case 'L':
      if (!Array.isArray(payload)) throw validationError('Invalid attribute value type');
      return { L: payload.map(validateValue) };
    case 'M': {
      if (!isObject(payload)) throw validationError('Invalid attribute value type');
      const out: Record<string, AttributeValue> = {};
      for (const [k, v] of Object.entries(payload)) out[k] = validateValue(v);
      return { M: out };
    }
    default:
      throw validationError(`Supplied AttributeValue has an unsupported datatype: ${type}`);
  }
};

/** Validates every attribute of an item from a request. */
export const validateItem = (item: unknown, what = 'Item'): Item => {
  if (!isObject(item)) throw validationError(`One or more parameter values were invalid: ${what} is missing`);
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (name === '')
      throw validationError('One or more parameter values are not valid. An attribute name cannot be empty');
    out[name] = validateValue(value);
  }
  return out;
};

/** A value as DynamoDB quotes one in messages. */
export const valueText = (value: unknown): string => JSON.stringify(value);

// ---- equality, size --------------------------------------------------------------------------------

/** Whether two values are equal as DynamoDB compares them (sets regardless of order). */
export const valuesEqual = (a: AttributeValue, b: AttributeValue): boolean => {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = payloadOf(a);
  const y = payloadOf(b);
  switch (type) {
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'SS':
    case 'BS':
    case 'NS': {
      const xs = x as string[];
      const ys = y as string[];
      if (xs.length !== ys.length) return false;
      if (type === 'NS') return xs.every((m) => ys.some((n) => compareNumbers(m, n) === 0));
      const set = new Set(ys);
      return xs.every((m) => set.has(m));
    }
    case 'L': {
      const xs = x as AttributeValue[];
      const ys = y as AttributeValue[];
      return xs.length === ys.length && xs.every((v, i) => valuesEqual(v, ys[i] as AttributeValue));
    }
    case 'M': {
      const xm = x as Record<string, AttributeValue>;
      const ym = y as Record<string, AttributeValue>;
      const keys = Object.keys(xm);
      return (
        keys.length === Object.keys(ym).length &&
        keys.every(
          (k) => ym[k] !== undefined && valuesEqual(xm[k] as AttributeValue, ym[k] as AttributeValue),
        )
      );
    }
    default:
      return x === y;
  }
};

const numberSize = (text: string): number => {
  const parts = partsOf(text);
  return Math.ceil(parts.digits.length / 2) + 1;
};

const binarySize = (base64: string): number => Buffer.byteLength(base64, 'base64');

/** The size DynamoDB counts for a value (bytes). */
export const valueSize = (value: AttributeValue): number => {
  const type = typeOf(value);
  const payload = payloadOf(value);
  switch (type) {
    case 'S':
      return Buffer.byteLength(payload as string, 'utf8');
    case 'N':
      return numberSize(payload as string);
    case 'B':
      return binarySize(payload as string);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (payload as string[]).reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS':
      return (payload as string[]).reduce((n, s) => n + numberSize(s), 0);
    case 'BS':
      return (payload as string[]).reduce((n, s) => n + binarySize(s), 0);
    case 'L':
      return 3 + (payload as AttributeValue[]).reduce((n, v) => n + 1 + valueSize(v), 0);
    case 'M':
      return (
        3 +
        Object.entries(payload as Record<string, AttributeValue>).reduce(
          (n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v),
          0,
        )
      );
  }
};

/** The size of an item: its attribute names and values (DynamoDB's 400 KB limit counts this). */
export const itemSize = (item: Item): number => {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + valueSize(item[name] as AttributeValue);
  return size;
};

export const MAX_ITEM_SIZE = 400 * 1024;

// ---- ordering --------------------------------------------------------------------------------------

/**
 * Text that sorts (byte-wise, as SQLite compares TEXT) as DynamoDB orders key values: numbers
 * numerically, strings by their UTF-8 bytes, binary by its bytes.
 */
export const sortableText = (value: AttributeValue): string => {
  const type = typeOf(value);
  const payload = payloadOf(value) as string;
  if (type === 'S') return payload;
  if (type === 'B') return Buffer.from(payload, 'base64').toString('hex');
  if (type !== 'N') throw validationError(`A key value must be a string, number or binary, not ${type}`);
  const { sign, digits, exponent } = partsOf(payload);
  if (sign === 0) return '2';
  // exponent in [-130, 125] -> 3 digits; a negative number complements exponent and digits, and its
  // digits end in a terminator above every digit, so that -1.55 sorts below -1.5.
  const e = String(exponent + 200).padStart(3, '0');
  if (sign > 0) return `3${e}${digits}`;
  const ce = String(999 - (exponent + 200)).padStart(3, '0');
  const cd = [...digits].map((d) => String(9 - Number(d))).join('');
  return `1${ce}${cd}~`;
};

/** Compares two key values of one type as DynamoDB orders them. */
export const compareKeyValues = (a: AttributeValue, b: AttributeValue): number => {
  const type = typeOf(a);
  if (type === 'N') return compareNumbers((a as { N: string }).N, (b as { N: string }).N);
  if (type === 'B')
    return Buffer.compare(
      Buffer.from((a as { B: string }).B, 'base64'),
      Buffer.from((b as { B: string }).B, 'base64'),
    );
  return Buffer.compare(
    Buffer.from((a as { S: string }).S, 'utf8'),
    Buffer.from((b as { S: string }).S, 'utf8'),
  );
};
