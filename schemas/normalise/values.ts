import { CLASSIFICATION_DESCRIPTORS, type Classification } from '../common/classification.ts';
import { isRealDate, type PartialDate } from '../common/dates.ts';
import type { IntelGrading } from '../common/intel-grading.ts';

/** A raw extract value after the first look: blank, one text, a list of texts, or something unusable. */
export type RawValue =
  | { kind: 'blank' }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'bad'; what: string };

const NON_ASCII = /[\u0080-\uffff]/;

const scalarText = (value: unknown): string | { bad: string } | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    // ASCII text is well formed and already in NFC: skip both checks for it (most extract values).
    let text: string;
    if (NON_ASCII.test(value)) {
      if (!value.isWellFormed()) return { bad: 'text with invalid characters' };
      text = value.normalize('NFC').trim();
    } else text = value.trim();
    return text === '' || (text.length === 4 && /^null$/i.test(text)) ? undefined : text;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { bad: 'a number that is not finite' };
    // Beyond 2^53 a JSON number has already lost digits (12345678901234567890 reads as ...567000).
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      return { bad: 'a number too large to be held exactly (above 2^53); write it as a JSON string' };
    }
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return String(value);
  return { bad: Array.isArray(value) ? 'a nested list' : `a value of type ${typeof value}` };
};

/** Reads a raw value: trims text, treats empty text and `NULL` as blank, and keeps JSON arrays as lists. */
export const readRaw = (value: unknown): RawValue => {
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = scalarText(item);
      if (typeof text === 'object') return { kind: 'bad', what: text.bad };
      if (text !== undefined) items.push(text);
    }
    return items.length === 0 ? { kind: 'blank' } : { kind: 'list', items };
  }
  if (value !== null && typeof value === 'object') return { kind: 'bad', what: 'an object' };
  const text = scalarText(value);
  if (typeof text === 'object') return { kind: 'bad', what: text.bad };
  return text === undefined ? { kind: 'blank' } : { kind: 'text', text };
};

/** Splits a multi-valued field: CSV text separated by `;` or `|`, or a JSON array (items split too). */
export const splitItems = (raw: RawValue): string[] => {
  if (raw.kind === 'text') return splitText(raw.text);
  if (raw.kind !== 'list') return [];
  const out: string[] = [];
  for (const item of raw.items) for (const p of splitText(item)) out.push(p);
  return out;
};

const SEPARATOR = /[;|]/;

const splitText = (text: string): string[] => {
  if (!SEPARATOR.test(text)) {
    const one = text.trim();
    return one === '' ? [] : [one];
  }
  const out: string[] = [];
  for (const part of text.split(SEPARATOR)) {
    const p = part.trim();
    if (p !== '') out.push(p);
  }
  return out;
};

/** Why a date could not be read. */
export type DateFailure = 'format' | 'not-real' | 'range';

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

const dayDate = (
  y: number,
  m: number,
  d: number,
): { ok: true; value: PartialDate } | { ok: false; reason: DateFailure } => {
  if (!isRealDate(y, m, d)) return { ok: false, reason: 'not-real' };
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'range' };
  return { ok: true, value: { date: isoDate(y, m, d), precision: 'DAY' } };
};

/** `YYYY-MM-DD` of numeric parts. */
export const isoDate = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Parses a date as forces send it: `YYYY-MM-DD`, `dd/mm/yyyy`, `d/m/yyyy`, an ISO timestamp (its date
 * as written), `YYYY-MM` (MONTH precision) or `YYYY` (YEAR precision). Years 1900-2100.
 */
export const parseDate = (
  text: string,
): { ok: true; value: PartialDate } | { ok: false; reason: DateFailure } => {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    // Already ISO: check it and keep the text, rather than rebuilding the same string.
    const day = dayDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return day.ok ? { ok: true, value: { date: text, precision: 'DAY' } } : day;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[T ]/i.exec(text);
  if (m) {
    if (!parseTimestamp(text).ok) return { ok: false, reason: 'format' };
    return dayDate(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return dayDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return { ok: false, reason: 'not-real' };
    if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'range' };
    return { ok: true, value: { date: isoDate(y, mo, 1), precision: 'MONTH' } };
  }
  m = /^(\d{4})$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'range' };
    return { ok: true, value: { date: isoDate(y, 1, 1), precision: 'YEAR' } };
  }
  return { ok: false, reason: 'format' };
};

const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a timestamp (`YYYY-MM-DDTHH:mm[:ss[.fff]][Z|±hh:mm]`, or a date alone meaning midnight) or a
 * `dd/mm/yyyy` date, into UTC `YYYY-MM-DDTHH:mm:ss.sssZ`. A time without an offset is taken as UTC.
 */
export const parseTimestamp = (
  text: string,
): { ok: true; value: string } | { ok: false; reason: DateFailure } => {
  if (text.length === 20 && UTC_SECONDS.test(text)) {
    // The commonest form, already UTC to the second: check it and append the milliseconds.
    const y = Number(text.slice(0, 4));
    const mo = Number(text.slice(5, 7));
    const d = Number(text.slice(8, 10));
    if (!isRealDate(y, mo, d) || Number(text.slice(11, 13)) > 23 || Number(text.slice(14, 16)) > 59) {
      return { ok: false, reason: 'not-real' };
    }
    if (Number(text.slice(17, 19)) > 59) return { ok: false, reason: 'not-real' };
    if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'range' };
    return { ok: true, value: `${text.slice(0, 19)}.000Z` };
  }
  const m = TIMESTAMP.exec(text);
  if (!m) {
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    if (!uk) return { ok: false, reason: 'format' };
    const day = dayDate(Number(uk[3]), Number(uk[2]), Number(uk[1]));
    return day.ok ? { ok: true, value: `${day.value.date}T00:00:00.000Z` } : day;
  }
  const [y, mo, d, hh, mi, ss] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p) => Number(p ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isRealDate(y, mo, d) || hh > 23 || mi > 59 || ss > 59) return { ok: false, reason: 'not-real' };
  if (y < MIN_YEAR || y > MAX_YEAR) return { ok: false, reason: 'range' };
  const ms = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  let offsetMinutes = 0;
  const zone = (m[8] ?? 'Z').toUpperCase();
  if (zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    const oh = Number(z?.[2] ?? 0);
    const om = Number(z?.[3] ?? 0);
    if (oh > 14 || om > 59) return { ok: false, reason: 'not-real' };
    offsetMinutes = (z?.[1] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const instant = Date.UTC(y, mo - 1, d, hh, mi, ss, ms) - offsetMinutes * 60_000;
  return { ok: true, value: new Date(instant).toISOString() };
};

/** Outcome of reading a classification marking. */
export type ClassificationParse =
  | { ok: true; value: Classification }
  | { ok: false; reason: 'too-high' | 'unrecognised'; tier?: string };

const LEGACY: ReadonlyMap<string, Classification> = new Map<string, Classification>([
  ['NOT PROTECTIVELY MARKED', { tier: 'OFFICIAL', sensitive: false }],
  ['NPM', { tier: 'OFFICIAL', sensitive: false }],
  ['UNCLASSIFIED', { tier: 'OFFICIAL', sensitive: false }],
  ['PROTECT', { tier: 'OFFICIAL', sensitive: false }],
  ['RESTRICTED', { tier: 'OFFICIAL', sensitive: true }],
]);

/** A marking above OFFICIAL, looked for in the letters of the whole marking (spaces and punctuation dropped). */
const ABOVE_OFFICIAL = /TOPSECRET|SECRET|CONFIDENTIAL/;
const DESCRIPTORS: ReadonlySet<string> = new Set(CLASSIFICATION_DESCRIPTORS);

/**
 * Reads a Government Security Classification marking such as `OFFICIAL`, `OFFICIAL-SENSITIVE`,
 * `OFFICIAL-SENSITIVE: PERSONAL, COMMERCIAL`; legacy GPMS markings are mapped (PROTECT → OFFICIAL,
 * RESTRICTED → OFFICIAL-SENSITIVE). A marking that holds SECRET, TOP SECRET or CONFIDENTIAL anywhere
 * (`OFFICIAL: TOP SECRET`, `OFFICIAL-SENSITIVE [SECRET]`) is too high; descriptors other than
 * CLASSIFICATION_DESCRIPTORS are not recognised.
 */
export const parseClassification = (text: string): ClassificationParse => {
  const upper = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const high = ABOVE_OFFICIAL.exec(upper.replace(/[^A-Z]/g, ''));
  if (high) return { ok: false, reason: 'too-high', tier: high[0] === 'TOPSECRET' ? 'TOP SECRET' : high[0] };
  const legacy = LEGACY.get(upper);
  if (legacy) return { ok: true, value: legacy };
  const m = /^OFFICIAL((?: ?- ?| )SENSITIVE)?(.*)$/.exec(upper);
  if (!m) return { ok: false, reason: 'unrecognised' };
  const tail = m[2] ?? '';
  if (tail !== '' && !/^[\s:/[(-]/.test(tail)) return { ok: false, reason: 'unrecognised' };
  const rest = tail.replace(/^[\s:/[(-]+/, '').replace(/[\])\s]+$/, '');
  const descriptors = [...new Set(rest.split(/[\s,;]+/).filter((d) => d !== ''))];
  if (descriptors.some((d) => !DESCRIPTORS.has(d))) return { ok: false, reason: 'unrecognised' };
  return {
    ok: true,
    value: {
      tier: 'OFFICIAL',
      sensitive: m[1] !== undefined,
      ...(descriptors.length > 0 ? { descriptors } : {}),
    },
  };
};

/** Outcome of reading an intelligence grading (without handling conditions). */
export type GradingParse =
  | {
      ok: true;
      value: {
        scheme: '3x5x2';
        source: '1' | '2' | '3';
        intelligence: 'A' | 'B' | 'C' | 'D' | 'E';
        handling: 'P' | 'C';
      };
    }
  | { ok: true; value: Extract<IntelGrading, { scheme: '5x5x5' }> }
  | { ok: false };

const SEP = String.raw`\s*[/\s,.-]?\s*`;
const RE_3X5X2 = new RegExp(`^([123])${SEP}([A-E])${SEP}([PC])$`, 'i');
const RE_5X5X5 = new RegExp(`^([A-E])${SEP}([1-5])${SEP}([1-5])$`, 'i');

/**
 * Reads a grading: 3x5x2 as source/intelligence/handling (`1/A/P`, `2BC`, `3x5x2: 1 A C`), or legacy
 * 5x5x5 (`B24`, `5x5x5 B/2/4`) which is kept as written, never converted.
 */
export const parseIntelGrading = (text: string): GradingParse => {
  const prefix = /^(3x5x2|5x5x5)\s*[:-]?\s*/i.exec(text);
  const scheme = prefix?.[1]?.toLowerCase();
  const body = text.slice(prefix?.[0].length ?? 0).trim();
  const g3 = RE_3X5X2.exec(body);
  if (g3 && scheme !== '5x5x5') {
    return {
      ok: true,
      value: {
        scheme: '3x5x2',
        source: g3[1] as '1' | '2' | '3',
        intelligence: (g3[2] ?? '').toUpperCase() as 'A' | 'B' | 'C' | 'D' | 'E',
        handling: (g3[3] ?? '').toUpperCase() as 'P' | 'C',
      },
    };
  }
  if (RE_5X5X5.test(body) && scheme !== '3x5x2' && body.length <= 32) {
    return { ok: true, value: { scheme: '5x5x5', raw: body } };
  }
  return { ok: false };
};
