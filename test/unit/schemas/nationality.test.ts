import { describe, expect, it } from 'vitest';
import { COUNTRIES, NationalitySchema, resolveCountry, resolveNationality } from '../../../schemas/index.ts';

describe('countries table', () => {
  it('holds all 249 ISO 3166-1 entries plus Kosovo, with unique codes', () => {
    // Assess
    expect(COUNTRIES).toHaveLength(250);
    expect(new Set(COUNTRIES.map((c) => c.alpha2)).size).toBe(250);
    expect(new Set(COUNTRIES.map((c) => c.alpha3)).size).toBe(250);
    expect(
      COUNTRIES.every(
        (c) => /^[A-Z]{2}$/.test(c.alpha2) && /^[A-Z]{3}$/.test(c.alpha3) && c.name && c.demonym,
      ),
    ).toBe(true);
  });

  it('uses alpha-2 codes that ICU knows as regions', () => {
    // Prepare
    const names = new Intl.DisplayNames(['en'], { type: 'region' });

    // Assess
    expect(COUNTRIES.filter((c) => names.of(c.alpha2) === c.alpha2).map((c) => c.alpha2)).toEqual([]);
  });

  it('codes Kosovo XKX by explicit decision and accepts ICAO RKS as a synonym', () => {
    // Assess
    expect(resolveNationality('Kosovan')).toEqual({ code: 'XKX', recognised: true });
    expect(resolveNationality('RKS')).toEqual({ code: 'XKX', recognised: true });
    expect(NationalitySchema.safeParse('XKX').success).toBe(true);
  });
});

describe('resolveNationality', () => {
  it.each([
    ['GBR', 'GBR'],
    ['gb', 'GBR'],
    ['UK', 'GBR'],
    ['United Kingdom', 'GBR'],
    ['England', 'GBR'],
    ['Great Britain', 'GBR'],
    ['British', 'GBR'],
    ['Welsh', 'GBR'],
    ['Albanian', 'ALB'],
    ['Vietnamese', 'VNM'],
    ['Viet Nam', 'VNM'],
    ['Eritrean', 'ERI'],
    ['Sudanese', 'SDN'],
    ['South Sudanese', 'SSD'],
    ['Côte d’Ivoire', 'CIV'],
    ['cote divoire', 'CIV'],
    ['Congolese (DRC)', 'COD'],
    ['Citizen of the Dominican Republic', 'DOM'],
    ['Dominican', 'DMA'],
    ['Irish', 'IRL'],
    ['Northern Irish', 'GBR'],
    ['Stateless', 'XXA'],
    ['Refugee', 'XXB'],
    ['Unknown', 'XXX'],
    ['', 'XXX'],
  ])('resolves %j to %s', (raw, code) => {
    // Assess
    expect(resolveNationality(raw)).toEqual({ code, recognised: true });
  });

  it('gives XXX, not recognised, for text it does not know', () => {
    // Assess
    expect(resolveNationality('Martian')).toEqual({ code: 'XXX', recognised: false });
    expect(resolveNationality('Congolese')).toEqual({ code: 'XXX', recognised: false });
  });

  it('resolves every alpha-3, alpha-2, name and demonym of the table to its own country', () => {
    // Assess
    for (const c of COUNTRIES) {
      for (const label of [c.alpha3, c.alpha2, c.name]) expect(resolveCountry(label)?.alpha3).toBe(c.alpha3);
    }
  });
});
