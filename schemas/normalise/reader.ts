import type { PartialDate } from '../common/dates.ts';
import {
  type CountryCode,
  type Nationality,
  resolveCountry as resolveCountryUncached,
  resolveNationality as resolveNationalityUncached,
} from '../common/nationality.ts';
import {
  isTerritorialForce,
  type OrgCode,
  orgName,
  resolveOrg as resolveOrgUncached,
} from '../common/organisations.ts';
import { codePointLength, truncateCodePoints } from '../common/text-length.ts';
import { lookupVocabulary, type Vocabulary, vocabularyValues } from '../extract/vocabulary.ts';
import type { RejectionCode, RowIssue, WarningCode } from './codes.ts';
import type { Normalised } from './identifiers.ts';
import { memoByText } from './memo.ts';
import {
  type DateFailure,
  parseDate as parseDateUncached,
  parseTimestamp,
  type RawValue,
  readRaw,
  splitItems,
} from './values.ts';

// Lookups of values that repeat from row to row, memoised (pure functions of the text).
const resolveCountry = memoByText(resolveCountryUncached);
const resolveNationality = memoByText(resolveNationalityUncached);
const resolveOrg = memoByText(resolveOrgUncached);
const parseDate = memoByText(parseDateUncached, 65_536);

const BOOLEAN_VOCABULARY: Vocabulary<'true' | 'false'> = {
  true: ['yes', 'y', '1', 't'],
  false: ['no', 'n', '0', 'f'],
};

const MAX_ISSUE_VALUE = 64;

/** Shortens a value for an issue report: at most 64 characters, never splitting a character. */
export const clip = (text: string): string => truncate(text, MAX_ISSUE_VALUE);

/** Cuts text to at most `max` characters (code points) without splitting a surrogate pair. */
export const truncate = (text: string, max: number): string => truncateCodePoints(text, max);

const describe = (vocabulary: Vocabulary): string => {
  const values = Object.keys(vocabulary);
  return values.length <= 12
    ? values.join(', ')
    : `${values.slice(0, 12).join(', ')}, … (see the extract specification)`;
};

const DATE_HINT = 'use YYYY-MM-DD or dd/mm/yyyy (or YYYY-MM, YYYY when only the month or year is known)';

const dateMessage = (field: string, text: string, reason: DateFailure): string =>
  reason === 'not-real'
    ? `${field} '${clip(text)}' is not a real date; ${DATE_HINT}`
    : reason === 'range'
      ? `${field} '${clip(text)}' is out of range; years from 1900 to 2100 are accepted`
      : `${field} '${clip(text)}' is not a date; ${DATE_HINT}`;

/** Issues listed for one row (errors and warnings each); one more entry says that others were left out. */
export const MAX_ISSUES_PER_ROW = 100;

/** Values accepted in one multi-valued field: more is not a list a source system holds, and costs time. */
export const MAX_LIST_ITEMS = 1000;

/** A control character (C0, DEL, C1), line breaks and tabs included. */
const CONTROL = /\p{Cc}/u;
/** An invisible formatting character: bidi overrides and isolates, zero-width space and joiners, BOM. */
const FORMAT = /\p{Cf}/u;

/**
 * Reads the fields of one extract row, recording every problem as a typed issue instead of stopping at
 * the first. Each method returns the normalised value, or undefined when blank or invalid.
 */
export const createReader = (row: Readonly<Record<string, unknown>>, today: string | undefined) => {
  const issues: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const add = (
    list: RowIssue[],
    field: string,
    code: RejectionCode | WarningCode,
    message: string,
    value?: string,
  ) => {
    if (list.length > MAX_ISSUES_PER_ROW) return;
    if (list.length === MAX_ISSUES_PER_ROW) {
      list.push({
        field: '(row)',
        code,
        message: `More issues in this row are not listed (the first ${MAX_ISSUES_PER_ROW} are)`,
      });
      return;
    }
    list.push({ field, code, message, ...(value !== undefined ? { value: clip(value) } : {}) });
  };
  const reject = (field: string, code: RejectionCode, message: string, value?: string): undefined => {
    add(issues, field, code, message, value);
    return undefined;
  };
  const warn = (field: string, code: WarningCode, message: string, value?: string): void =>
    add(warnings, field, code, message, value);

  const raw = (field: string): RawValue => readRaw(Object.hasOwn(row, field) ? row[field] : undefined);

  /** The items of a list value; more than MAX_LIST_ITEMS is rejected (`TOO_LONG`) and gives none. */
  const listItems = (field: string, value: RawValue): string[] => {
    const all = splitItems(value);
    if (all.length <= MAX_LIST_ITEMS) return all;
    reject(field, 'TOO_LONG', `${field} holds ${all.length} values; at most ${MAX_LIST_ITEMS} are accepted`);
    return [];
  };

  const missing = (field: string): undefined =>
    reject(field, 'REQUIRED_MISSING', `${field} is required but is blank or missing`);

  /** One text value; a list of several values is an error. */
  const scalar = (field: string, required = false): string | undefined => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected a single text value`);
    if (value.kind === 'blank') return required ? missing(field) : undefined;
    if (value.kind === 'list') {
      if (value.items.length === 1) return value.items[0];
      return reject(
        field,
        'INVALID_VALUE',
        `${field} holds ${value.items.length} values; expected one`,
        value.items.join(';'),
      );
    }
    return value.text;
  };

  /** A reference or code: rejected when too long or holding control characters. */
  const ref = (field: string, options: { required?: boolean; max: number }): string | undefined => {
    const text = scalar(field, options.required);
    if (text === undefined) return undefined;
    return checkRef(field, text, options.max);
  };

  const checkRef = (field: string, text: string, max: number): string | undefined => {
    if (CONTROL.test(text)) {
      return reject(field, 'INVALID_FORMAT', `${field} contains a line break or control character`, text);
    }
    if (FORMAT.test(text)) {
      return reject(
        field,
        'INVALID_FORMAT',
        `${field} contains an invisible formatting character (such as a right-to-left override or a zero-width space); references must be plain text`,
        text,
      );
    }
    const length = text.length > max ? codePointLength(text) : text.length;
    if (length > max) {
      return reject(field, 'TOO_LONG', `${field} is ${length} characters long; the limit is ${max}`, text);
    }
    return text;
  };

  /** Free text kept in the record: whitespace collapsed, control characters removed, truncated with a warning. */
  const freeText = (field: string, max: number): string | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    const clean = text
      .replace(/[\t\n\r]/g, ' ')
      .replace(/\p{Cc}/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (clean === '') return undefined;
    if (clean.length <= max || codePointLength(clean) <= max) return clean;
    warn(field, 'VALUE_TRUNCATED', `${field} was longer than ${max} characters and was shortened`, clean);
    return truncate(clean, max).trim();
  };

  /** The items of a multi-valued field, as given. */
  const items = (field: string): string[] => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`) ?? [];
    return listItems(field, value);
  };

  /** A list of references, de-duplicated, in the order given. */
  const refList = (field: string, max: number, check?: (text: string) => Normalised): string[] => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`) ?? [];
    const out: string[] = [];
    for (const item of listItems(field, value)) {
      const okRef = checkRef(field, item, max);
      if (okRef === undefined) continue;
      let v = okRef;
      if (check) {
        const n = check(okRef);
        if (!n.ok) {
          reject(
            field,
            'INVALID_FORMAT',
            `${field} '${clip(okRef)}' is not valid; expected ${n.hint}`,
            okRef,
          );
          continue;
        }
        v = n.value;
      }
      if (!out.includes(v)) out.push(v);
    }
    return out;
  };

  const enumOf = <T extends string>(
    field: string,
    vocabulary: Vocabulary<T>,
    text: string,
  ): T | undefined => {
    const value = lookupVocabulary(vocabulary, text);
    if (value !== undefined) return value;
    return reject(
      field,
      'INVALID_VALUE',
      `${field} '${clip(text)}' is not an allowed value; use one of ${describe(vocabulary)}`,
      text,
    );
  };

  /** One value of a controlled vocabulary (case- and punctuation-insensitive, synonyms accepted). */
  const enumValue = <T extends string>(
    field: string,
    vocabulary: Vocabulary<T>,
    required = false,
  ): T | undefined => {
    const text = scalar(field, required);
    return text === undefined ? undefined : enumOf(field, vocabulary, text);
  };

  /** Several values of a vocabulary, de-duplicated and in the vocabulary's order. */
  const enumList = <T extends string>(field: string, vocabulary: Vocabulary<T>, required = false): T[] => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`) ?? [];
    const items = listItems(field, value);
    if (items.length === 0) return required ? (missing(field) ?? []) : [];
    if (items.length === 1) {
      const one = enumOf(field, vocabulary, items[0] as string);
      return one === undefined ? [] : [one];
    }
    const found = new Set<T>();
    for (const item of items) {
      const v = enumOf(field, vocabulary, item);
      if (v !== undefined) found.add(v);
    }
    return vocabularyValues(vocabulary).filter((v) => found.has(v));
  };

  /** A date with its precision; later than the ingest date is rejected. */
  const date = (field: string, required = false): PartialDate | undefined => {
    const text = scalar(field, required);
    if (text === undefined) return undefined;
    const parsed = parseDate(text);
    if (!parsed.ok) return reject(field, 'INVALID_DATE', dateMessage(field, text, parsed.reason), text);
    if (today !== undefined && parsed.value.date > today) {
      return reject(
        field,
        'DATE_IN_FUTURE',
        `${field} '${clip(text)}' is later than the day the file was received (${today}); check the date`,
        text,
      );
    }
    return parsed.value;
  };

  /** An instant, normalised to UTC. */
  const timestamp = (field: string): string | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    const parsed = parseTimestamp(text);
    if (parsed.ok) return parsed.value;
    return reject(
      field,
      'INVALID_DATE',
      parsed.reason === 'format'
        ? `${field} '${clip(text)}' is not a timestamp; use an ISO timestamp such as 2026-10-14T09:30:00Z, or YYYY-MM-DD`
        : dateMessage(field, text, parsed.reason),
      text,
    );
  };

  /** yes/no, y/n, true/false, 1/0. */
  const bool = (field: string): boolean | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    const value = lookupVocabulary(BOOLEAN_VOCABULARY, text);
    if (value !== undefined) return value === 'true';
    return reject(
      field,
      'INVALID_VALUE',
      `${field} '${clip(text)}' is not yes or no; use yes/no, y/n, true/false or 1/0`,
      text,
    );
  };

  /** A whole number within bounds. */
  const integer = (field: string, max: number): number | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    if (!/^\d{1,9}$/.test(text)) {
      return reject(field, 'INVALID_FORMAT', `${field} '${clip(text)}' is not a whole number`, text);
    }
    const n = Number(text);
    if (n > max) return reject(field, 'INVALID_VALUE', `${field} ${n} is larger than ${max}`, text);
    return n;
  };

  /** A decimal number within bounds. */
  const decimal = (field: string, min: number, max: number): number | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    if (!/^[+-]?\d{1,3}(\.\d{1,12})?$/.test(text)) {
      return reject(
        field,
        'INVALID_FORMAT',
        `${field} '${clip(text)}' is not a decimal number such as 51.5074`,
        text,
      );
    }
    const n = Number(text);
    if (n < min || n > max)
      return reject(field, 'INVALID_VALUE', `${field} ${text} is outside ${min} to ${max}`, text);
    return Object.is(n, -0) ? 0 : n;
  };

  const orgOf = (field: string, text: string, territorialOnly: boolean): OrgCode | undefined => {
    const code = resolveOrg(text);
    if (code === undefined) {
      return reject(
        field,
        'UNKNOWN_ORG',
        `${field} '${clip(text)}' is not a known organisation; use a code such as PF-E23000001 or the force's name`,
        text,
      );
    }
    if (territorialOnly && !isTerritorialForce(code)) {
      return reject(
        field,
        'INVALID_VALUE',
        `${field} '${clip(text)}' (${orgName(code)}) is not a police force area`,
        text,
      );
    }
    return code;
  };

  /** An organisation, from its code, ONS code or name. */
  const org = (field: string, territorialOnly = false): OrgCode | undefined => {
    const text = scalar(field);
    return text === undefined ? undefined : orgOf(field, text, territorialOnly);
  };

  /** Several organisations, de-duplicated, in the order given. */
  const orgList = (field: string, territorialOnly = false): OrgCode[] => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`) ?? [];
    const codes = listItems(field, value)
      .map((item) => orgOf(field, item, territorialOnly))
      .filter((c): c is OrgCode => c !== undefined);
    return [...new Set(codes)];
  };

  const countryOf = (field: string, text: string): CountryCode | undefined => {
    const nationality = resolveNationality(text);
    if (nationality.code === 'XXX' && nationality.recognised) return undefined;
    const country = resolveCountry(text);
    if (country) return country.alpha3;
    warn(
      field,
      'COUNTRY_UNRECOGNISED',
      `${field} '${clip(text)}' is not a recognised country and was left out; use an ISO code such as ALB or the English name`,
      text,
    );
    return undefined;
  };

  /** A country (alpha-3, alpha-2, name or demonym); an unrecognised one is left out with a warning. */
  const country = (field: string): CountryCode | undefined => {
    const text = scalar(field);
    return text === undefined ? undefined : countryOf(field, text);
  };

  /** Several countries, de-duplicated, in the order given. */
  const countryList = (field: string): CountryCode[] => {
    const value = raw(field);
    if (value.kind === 'bad')
      return reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`) ?? [];
    const codes = listItems(field, value)
      .map((item) => countryOf(field, item))
      .filter((c): c is CountryCode => c !== undefined);
    return [...new Set(codes)];
  };

  /** Nationalities in the order given; unknown or unrecognised alone gives `XXX` (with a warning when unrecognised). */
  const nationalities = (field: string): Nationality[] => {
    const value = raw(field);
    if (value.kind === 'bad') {
      reject(field, 'INVALID_VALUE', `${field} holds ${value.what}; expected text`);
      return ['XXX'];
    }
    const codes: Nationality[] = [];
    for (const item of listItems(field, value)) {
      const { code, recognised } = resolveNationality(item);
      if (!recognised) {
        warn(
          field,
          'NATIONALITY_UNRECOGNISED',
          `${field} '${clip(item)}' is not a recognised nationality and was recorded as XXX (unknown); use an ISO code such as ALB or a nationality such as Albanian`,
          item,
        );
      }
      if (!codes.includes(code)) codes.push(code);
    }
    const known = codes.filter((c) => c !== 'XXX');
    return known.length > 0 ? known : ['XXX'];
  };

  /** An identifier normalised by `check`; one in an unexpected format is left out with a warning. */
  const identifier = (field: string, check: (text: string) => Normalised): string | undefined => {
    const text = scalar(field);
    if (text === undefined) return undefined;
    const n = check(text);
    if (n.ok) return n.value;
    warn(
      field,
      'IDENTIFIER_UNRECOGNISED',
      `${field} is not in the expected format (${n.hint}) and was left out`,
      text,
    );
    return undefined;
  };

  return {
    issues,
    warnings,
    reject,
    warn,
    scalar,
    items,
    ref,
    freeText,
    refList,
    enumValue,
    enumList,
    date,
    timestamp,
    bool,
    integer,
    decimal,
    org,
    orgList,
    country,
    countryList,
    nationalities,
    identifier,
  };
};

/** The row reader's interface. */
export type RowReader = ReturnType<typeof createReader>;
