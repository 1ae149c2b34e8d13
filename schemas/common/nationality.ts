import { z } from 'zod';
import { COUNTRIES, type Country, ICAO_SPECIAL_NATIONALITIES } from './countries.ts';

const ALPHA3 = COUNTRIES.map((c) => c.alpha3) as [string, ...string[]];
const SPECIAL = Object.keys(ICAO_SPECIAL_NATIONALITIES) as (keyof typeof ICAO_SPECIAL_NATIONALITIES)[];

/** A country: ISO 3166-1 alpha-3 (Kosovo as `XKX`). */
export const CountryCodeSchema = z
  .enum(ALPHA3)
  .meta({ id: 'CountryCode', description: 'ISO 3166-1 alpha-3 (Kosovo XKX)' });
export type CountryCode = z.infer<typeof CountryCodeSchema>;

/** A nationality: ISO 3166-1 alpha-3 (Kosovo `XKX`) or ICAO `XXA` stateless, `XXB`/`XXC` refugee, `XXX` unknown. */
export const NationalitySchema = z
  .enum([...ALPHA3, ...SPECIAL] as [string, ...string[]])
  .meta({ id: 'Nationality', description: 'ISO 3166-1 alpha-3 or ICAO XXA/XXB/XXC/XXX' });
export type Nationality = z.infer<typeof NationalitySchema>;

/** Lookup key of a country or nationality label: accents, case, punctuation and `the` folded. */
export const countryLookupKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/^the /, '')
    .replace(/\bsaint\b/g, 'st')
    .trim();

const UNKNOWN_WORDS = [
  'unknown',
  'not known',
  'unspecified',
  'not specified',
  'not stated',
  'nk',
  'n k',
  'xxx',
];
const SPECIAL_WORDS: ReadonlyArray<readonly [string, Nationality]> = [
  ['stateless', 'XXA'],
  ['stateless person', 'XXA'],
  ['xxa', 'XXA'],
  ['refugee', 'XXB'],
  ['refugee 1951 convention', 'XXB'],
  ['xxb', 'XXB'],
  ['refugee other', 'XXC'],
  ['xxc', 'XXC'],
  ...UNKNOWN_WORDS.map((w) => [w, 'XXX'] as const),
];

const COUNTRY_LOOKUP: ReadonlyMap<string, Country> = (() => {
  const map = new Map<string, Country>();
  const add = (label: string, country: Country): void => {
    const key = countryLookupKey(label);
    if (key !== '' && !map.has(key)) map.set(key, country);
  };
  // Codes first, so that a code always means its country; then names, demonyms and synonyms.
  for (const c of COUNTRIES) add(c.alpha3, c);
  for (const c of COUNTRIES) add(c.alpha2, c);
  for (const c of COUNTRIES) for (const label of [c.name, c.demonym, ...c.synonyms]) add(label, c);
  return map;
})();

/** Resolves a country from its alpha-3 or alpha-2 code, English name, demonym or a common synonym. */
export const resolveCountry = (raw: string): Country | undefined => COUNTRY_LOOKUP.get(countryLookupKey(raw));

/** Finds a country by its alpha-3 code. */
export const countryByAlpha3 = (alpha3: string): Country | undefined =>
  COUNTRIES.find((c) => c.alpha3 === alpha3);

/**
 * Resolves one nationality as written in an extract (alpha-3, alpha-2, country name, demonym such as
 * `Albanian`, or synonym such as `UK`). Blank and "unknown" give `XXX`, "Stateless" gives `XXA`.
 * `recognised` is false when non-blank text meant nothing to us (including text in another script or
 * only punctuation); the code is then `XXX`.
 */
export const resolveNationality = (raw: string): { code: Nationality; recognised: boolean } => {
  const key = countryLookupKey(raw);
  // Text with no letters or digits we can read ("?", "-", a flag emoji, Arabic or Cyrillic script)
  // is not blank: it means something we do not know, so it is unrecognised.
  if (key === '') return { code: 'XXX', recognised: raw.trim() === '' };
  const special = SPECIAL_WORDS.find(([word]) => word === key);
  if (special) return { code: special[1], recognised: true };
  const country = COUNTRY_LOOKUP.get(key);
  return country ? { code: country.alpha3, recognised: true } : { code: 'XXX', recognised: false };
};
