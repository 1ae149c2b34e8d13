import fc from 'fast-check';
import {
  COUNTRIES,
  type ColumnSpec,
  EXTRACT_COLUMNS,
  type IsoMonth,
  ORG_CODES,
  ORGANISATIONS,
  type RecordType,
} from '../../schemas/index.ts';
import type { NormaliseContext } from '../../schemas/normalise/normalise-row.ts';
import { TEST_KEY } from '../support/pseudonym-key.ts';

/** A context as ingest builds it, for any organisation and month. */
export const contextArb: fc.Arbitrary<NormaliseContext> = fc.record({
  org: fc.constantFrom(...ORG_CODES),
  period: fc
    .record({ y: fc.integer({ min: 2015, max: 2030 }), m: fc.integer({ min: 1, max: 12 }) })
    .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}` as IsoMonth),
  uploadId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
  fileSha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  rowNumber: fc.integer({ min: 1, max: 1_000_000 }),
  ingestedAt: fc
    .integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2031, 0, 1) })
    .map((ms) => new Date(ms).toISOString()),
  pseudonymKey: fc.constant(TEST_KEY),
});

const pad = (n: number): string => String(n).padStart(2, '0');

const dateText = fc
  .record({
    y: fc.integer({ min: 1950, max: 2014 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 28 }) },
      { weight: 1, arbitrary: fc.integer({ min: 29, max: 31 }) },
    ),
    style: fc.integer({ min: 0, max: 5 }),
  })
  .map(
    ({ y, m, d, style }) =>
      [
        `${y}-${pad(m)}-${pad(d)}`,
        `${pad(d)}/${pad(m)}/${y}`,
        `${d}/${m}/${y}`,
        `${y}-${pad(m)}`,
        `${y}`,
        `${y}-${pad(m)}-${pad(d)}T10:15:00+01:00`,
      ][style] ?? '',
  );

const timestampText = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2014, 11, 30) }),
    style: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ ms, style }) => {
    const iso = new Date(ms).toISOString();
    return [iso, iso.slice(0, 19), `${iso.slice(0, 19)}+02:00`, iso.slice(0, 10)][style] ?? iso;
  });

const vocabularyValues = (spec: ColumnSpec): string[] =>
  Object.entries(spec.vocabulary ?? {}).flatMap(([value, synonyms]) => [value, ...synonyms]);

const orgTexts = [
  ...ORG_CODES,
  ...Object.values(ORGANISATIONS).map((o) => o.name),
  'metropolitan',
  'E23000001',
];
const countryTexts = [
  ...COUNTRIES.slice(0, 60).flatMap((c) => [c.alpha3, c.alpha2, c.name, c.demonym]),
  'Stateless',
  'Unknown',
];
const identifierTexts = [
  'AB12 CDE',
  'ab12cde',
  '07700 900123',
  '+44 7700 900456',
  '0033612345678',
  '12-34-56 12345678',
  'GB82WEST12345698765432',
  'SYN123456',
  'https://example.invalid/advert/1',
  '2001/0123456X',
  '123456/01A',
  'NRM-2026-1',
  '123456789',
];
const gradings = ['1/A/P', '2BC', '3x5x2: 3 E P', 'B24', '5x5x5 c/3/1', '1/A/C'];
const classifications = [
  'OFFICIAL',
  'OFFICIAL-SENSITIVE',
  'official sensitive: personal',
  'RESTRICTED',
  'PROTECT',
  'OFFICIAL-SENSITIVE [LOCSEN]',
];

const list = (item: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .array(item, { minLength: 0, maxLength: 3 })
    .chain((items) => fc.constantFrom(';', '|').map((sep) => items.join(sep)));

/**
 * A plausible value of a column: mostly valid spellings of every kind (dates before 2015, so never after
 * the upload), sometimes blank or garbage.
 */
const plausibleValue = (spec: ColumnSpec): fc.Arbitrary<unknown> => {
  const valid = ((): fc.Arbitrary<unknown> => {
    switch (spec.kind) {
      case 'enum':
        return fc.constantFrom(...vocabularyValues(spec));
      case 'enum-list':
        return list(fc.constantFrom(...vocabularyValues(spec)));
      case 'date':
        return dateText;
      case 'timestamp':
        return timestampText;
      case 'boolean':
        return fc.constantFrom('yes', 'no', 'Y', 'n', 'true', 'FALSE', '1', '0', true, false);
      case 'integer':
        return fc.oneof(fc.nat(150).map(String), fc.nat(150));
      case 'decimal':
        return fc.integer({ min: -900_000, max: 900_000 }).map((n) => String(n / 10_000));
      case 'org':
        return fc.constantFrom(...orgTexts);
      case 'org-list':
        return list(fc.constantFrom(...orgTexts));
      case 'country':
        return fc.constantFrom(...countryTexts);
      case 'country-list':
      case 'nationality-list':
        return list(fc.constantFrom(...countryTexts));
      case 'classification':
        return fc.constantFrom(...classifications);
      case 'grading':
        return fc.constantFrom(...gradings);
      case 'identifier':
        return fc.constantFrom(...identifierTexts);
      case 'text-list':
        return list(fc.stringMatching(/^[A-Z0-9][A-Z0-9/-]{0,12}$/));
      case 'discarded':
        return fc.string();
      case 'text':
        if (spec.name === 'postcode') return fc.constantFrom('B1 1AA', 'sw1a1aa', 'CF10 1AA', 'gir 0aa');
        if (spec.name === 'lad_code') return fc.constantFrom('E08000025', 'w06000015');
        if (spec.name === 'uprn') return fc.constantFrom('100070321456', '12', 100070321457);
        if (spec.name === 'town' || spec.name === 'handling_conditions')
          return fc.string({ unit: 'grapheme', maxLength: 80 });
        return fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 /_-]{0,30}$/);
    }
  })();
  return fc.oneof(
    { weight: 40, arbitrary: valid },
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.string() },
  );
};

/** A plausible extract row of a record type: required columns always present, others sometimes. */
export const plausibleRowArb = (recordType: RecordType): fc.Arbitrary<Record<string, unknown>> => {
  const specs = EXTRACT_COLUMNS[recordType].filter((s) => s.kind !== 'discarded' && s.name !== 'org');
  const required = Object.fromEntries(
    specs.filter((s) => s.required).map((s) => [s.name, plausibleValue(s)]),
  );
  const optional = Object.fromEntries(
    specs.filter((s) => !s.required).map((s) => [s.name, plausibleValue(s)]),
  );
  return fc
    .tuple(fc.record(required), fc.record(optional, { requiredKeys: [] }))
    .map(([req, opt]) => ({ ...opt, ...req }));
};

/** Any value a JSON line or a hostile caller could hand over. */
export const anyValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
  fc.double(),
);

/** An arbitrary row: canonical column names and random keys with arbitrary values. */
export const arbitraryRowArb = (recordType: RecordType): fc.Arbitrary<Record<string, unknown>> => {
  const names = EXTRACT_COLUMNS[recordType].map((s) => s.name);
  return fc.dictionary(
    fc.oneof(fc.constantFrom(...names, '__proto__', 'constructor'), fc.string()),
    anyValueArb,
    { maxKeys: 30 },
  );
};
