import { z } from 'zod';

/** Regions used to group organisations: the nine English regions, the three other UK nations, national. */
export const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
  'Scotland',
  'Northern Ireland',
  'National',
] as const;
export type Region = (typeof REGIONS)[number];

/** Kinds of organisation: territorial police forces (which have an ONS police force area), others. */
export type OrgKind = 'TERRITORIAL_FORCE' | 'SPECIAL_FORCE' | 'NATIONAL_AGENCY';

type OrgRow = {
  readonly name: string;
  readonly shortName: string;
  readonly region: Region;
  readonly kind: OrgKind;
  /** ONS police force area code (PFA23CD), or the country code used as PFA for Scotland / NI. */
  readonly onsCode?: string;
  /** data.police.uk force id, where one exists. */
  readonly slug?: string;
  readonly synonyms?: readonly string[];
};

/**
 * Every organisation that may submit extracts, keyed by its code: territorial forces by ONS PFA code
 * (`PF-E23000001`), special forces and national agencies by short code. Names follow the NRM form.
 */
// biome-ignore format: a data table reads best one organisation per line
export const ORGANISATIONS = {
  'PF-E23000001': { name: 'Metropolitan Police Service', shortName: 'Metropolitan Police', region: 'London', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000001', slug: 'metropolitan', synonyms: ['Met', 'MPS', 'Met Police'] },
  'PF-E23000002': { name: 'Cumbria Constabulary', shortName: 'Cumbria', region: 'North West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000002', slug: 'cumbria' },
  'PF-E23000003': { name: 'Lancashire Constabulary', shortName: 'Lancashire', region: 'North West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000003', slug: 'lancashire' },
  'PF-E23000004': { name: 'Merseyside Police', shortName: 'Merseyside', region: 'North West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000004', slug: 'merseyside' },
  'PF-E23000005': { name: 'Greater Manchester Police', shortName: 'Greater Manchester', region: 'North West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000005', slug: 'greater-manchester', synonyms: ['GMP'] },
  'PF-E23000006': { name: 'Cheshire Constabulary', shortName: 'Cheshire', region: 'North West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000006', slug: 'cheshire' },
  'PF-E23000007': { name: 'Northumbria Police', shortName: 'Northumbria', region: 'North East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000007', slug: 'northumbria' },
  'PF-E23000008': { name: 'Durham Constabulary', shortName: 'Durham', region: 'North East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000008', slug: 'durham' },
  'PF-E23000009': { name: 'North Yorkshire Police', shortName: 'North Yorkshire', region: 'Yorkshire and The Humber', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000009', slug: 'north-yorkshire' },
  'PF-E23000010': { name: 'West Yorkshire Police', shortName: 'West Yorkshire', region: 'Yorkshire and The Humber', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000010', slug: 'west-yorkshire' },
  'PF-E23000011': { name: 'South Yorkshire Police', shortName: 'South Yorkshire', region: 'Yorkshire and The Humber', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000011', slug: 'south-yorkshire' },
  'PF-E23000012': { name: 'Humberside Police', shortName: 'Humberside', region: 'Yorkshire and The Humber', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000012', slug: 'humberside' },
  'PF-E23000013': { name: 'Cleveland Police', shortName: 'Cleveland', region: 'North East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000013', slug: 'cleveland' },
  'PF-E23000014': { name: 'West Midlands Police', shortName: 'West Midlands', region: 'West Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000014', slug: 'west-midlands', synonyms: ['WMP'] },
  'PF-E23000015': { name: 'Staffordshire Police', shortName: 'Staffordshire', region: 'West Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000015', slug: 'staffordshire' },
  'PF-E23000016': { name: 'West Mercia Police', shortName: 'West Mercia', region: 'West Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000016', slug: 'west-mercia' },
  'PF-E23000017': { name: 'Warwickshire Police', shortName: 'Warwickshire', region: 'West Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000017', slug: 'warwickshire' },
  'PF-E23000018': { name: 'Derbyshire Constabulary', shortName: 'Derbyshire', region: 'East Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000018', slug: 'derbyshire' },
  'PF-E23000019': { name: 'Nottinghamshire Police', shortName: 'Nottinghamshire', region: 'East Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000019', slug: 'nottinghamshire' },
  'PF-E23000020': { name: 'Lincolnshire Police', shortName: 'Lincolnshire', region: 'East Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000020', slug: 'lincolnshire' },
  'PF-E23000021': { name: 'Leicestershire Police', shortName: 'Leicestershire', region: 'East Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000021', slug: 'leicestershire' },
  'PF-E23000022': { name: 'Northamptonshire Police', shortName: 'Northamptonshire', region: 'East Midlands', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000022', slug: 'northamptonshire' },
  'PF-E23000023': { name: 'Cambridgeshire Constabulary', shortName: 'Cambridgeshire', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000023', slug: 'cambridgeshire' },
  'PF-E23000024': { name: 'Norfolk Constabulary', shortName: 'Norfolk', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000024', slug: 'norfolk' },
  'PF-E23000025': { name: 'Suffolk Constabulary', shortName: 'Suffolk', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000025', slug: 'suffolk' },
  'PF-E23000026': { name: 'Bedfordshire Police', shortName: 'Bedfordshire', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000026', slug: 'bedfordshire' },
  'PF-E23000027': { name: 'Hertfordshire Constabulary', shortName: 'Hertfordshire', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000027', slug: 'hertfordshire' },
  'PF-E23000028': { name: 'Essex Police', shortName: 'Essex', region: 'East of England', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000028', slug: 'essex' },
  'PF-E23000029': { name: 'Thames Valley Police', shortName: 'Thames Valley', region: 'South East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000029', slug: 'thames-valley', synonyms: ['TVP'] },
  'PF-E23000030': { name: 'Hampshire Constabulary', shortName: 'Hampshire', region: 'South East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000030', slug: 'hampshire', synonyms: ['Hampshire and Isle of Wight Constabulary'] },
  'PF-E23000031': { name: 'Surrey Police', shortName: 'Surrey', region: 'South East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000031', slug: 'surrey' },
  'PF-E23000032': { name: 'Kent Police', shortName: 'Kent', region: 'South East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000032', slug: 'kent' },
  'PF-E23000033': { name: 'Sussex Police', shortName: 'Sussex', region: 'South East', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000033', slug: 'sussex' },
  'PF-E23000034': { name: 'City of London Police', shortName: 'London, City of', region: 'London', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000034', slug: 'city-of-london', synonyms: ['City of London', 'COLP'] },
  'PF-E23000035': { name: 'Devon & Cornwall Police', shortName: 'Devon & Cornwall', region: 'South West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000035', slug: 'devon-and-cornwall' },
  'PF-E23000036': { name: 'Avon and Somerset Constabulary', shortName: 'Avon and Somerset', region: 'South West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000036', slug: 'avon-and-somerset' },
  'PF-E23000037': { name: 'Gloucestershire Constabulary', shortName: 'Gloucestershire', region: 'South West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000037', slug: 'gloucestershire' },
  'PF-E23000038': { name: 'Wiltshire Police', shortName: 'Wiltshire', region: 'South West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000038', slug: 'wiltshire' },
  'PF-E23000039': { name: 'Dorset Police', shortName: 'Dorset', region: 'South West', kind: 'TERRITORIAL_FORCE', onsCode: 'E23000039', slug: 'dorset' },
  'PF-W15000001': { name: 'North Wales Police', shortName: 'North Wales', region: 'Wales', kind: 'TERRITORIAL_FORCE', onsCode: 'W15000001', slug: 'north-wales' },
  'PF-W15000002': { name: 'Gwent Police', shortName: 'Gwent', region: 'Wales', kind: 'TERRITORIAL_FORCE', onsCode: 'W15000002', slug: 'gwent' },
  'PF-W15000003': { name: 'South Wales Police', shortName: 'South Wales', region: 'Wales', kind: 'TERRITORIAL_FORCE', onsCode: 'W15000003', slug: 'south-wales' },
  'PF-W15000004': { name: 'Dyfed-Powys Police', shortName: 'Dyfed-Powys', region: 'Wales', kind: 'TERRITORIAL_FORCE', onsCode: 'W15000004', slug: 'dyfed-powys' },
  'PF-S92000003': { name: 'Police Scotland', shortName: 'Scotland', region: 'Scotland', kind: 'TERRITORIAL_FORCE', onsCode: 'S92000003', synonyms: ['Police Service of Scotland'] },
  'PF-N92000002': { name: 'Police Service of Northern Ireland', shortName: 'Northern Ireland', region: 'Northern Ireland', kind: 'TERRITORIAL_FORCE', onsCode: 'N92000002', slug: 'northern-ireland', synonyms: ['PSNI'] },
  'PF-BTP': { name: 'British Transport Police', shortName: 'British Transport Police', region: 'National', kind: 'SPECIAL_FORCE', slug: 'btp', synonyms: ['BTP'] },
  'PF-NPAS': { name: 'National Police Air Service', shortName: 'National Police Air Service', region: 'National', kind: 'SPECIAL_FORCE', synonyms: ['NPAS'] },
  'NA-NCA': { name: 'National Crime Agency', shortName: 'NCA', region: 'National', kind: 'NATIONAL_AGENCY' },
  'NA-GLAA': { name: 'Gangmasters and Labour Abuse Authority', shortName: 'GLAA', region: 'National', kind: 'NATIONAL_AGENCY' },
  'NA-FWA': { name: 'Fair Work Agency', shortName: 'FWA', region: 'National', kind: 'NATIONAL_AGENCY' },
  'NA-HMRC': { name: 'HM Revenue and Customs', shortName: 'HMRC', region: 'National', kind: 'NATIONAL_AGENCY', synonyms: ["His Majesty's Revenue and Customs"] },
  'NA-IE': { name: 'Immigration Enforcement', shortName: 'IE', region: 'National', kind: 'NATIONAL_AGENCY', synonyms: ['Home Office Immigration Enforcement'] },
  'NA-BF': { name: 'Border Force', shortName: 'BF', region: 'National', kind: 'NATIONAL_AGENCY', synonyms: ['UK Border Force'] },
  'NA-DWP': { name: 'Department for Work and Pensions', shortName: 'DWP', region: 'National', kind: 'NATIONAL_AGENCY' },
  'NA-UKVI': { name: 'UK Visas and Immigration', shortName: 'UKVI', region: 'National', kind: 'NATIONAL_AGENCY' },
  'NA-HOAG': { name: 'Home Office Asylum Group', shortName: 'HOAG', region: 'National', kind: 'NATIONAL_AGENCY' },
} as const satisfies Record<string, OrgRow>;

/** Code of an organisation, e.g. `PF-E23000001` (Metropolitan Police Service) or `NA-NCA`. */
export type OrgCode = keyof typeof ORGANISATIONS;

/** Every organisation code, in table order. */
export const ORG_CODES = Object.keys(ORGANISATIONS) as [OrgCode, ...OrgCode[]];

export const OrgCodeSchema = z.enum(ORG_CODES).meta({ id: 'OrgCode', description: 'Organisation code' });

/** Whether a value is a known organisation code (exact spelling). */
export const isOrgCode = (value: unknown): value is OrgCode =>
  typeof value === 'string' && Object.hasOwn(ORGANISATIONS, value);

const row = (code: OrgCode): OrgRow => ORGANISATIONS[code];

/** Display name of an organisation, e.g. `Metropolitan Police Service`. */
export const orgName = (code: OrgCode): string => row(code).name;

/** Region of an organisation (English region, Wales, Scotland, Northern Ireland or National). */
export const orgRegion = (code: OrgCode): Region => row(code).region;

/** Kind of an organisation; only territorial forces have a police force area. */
export const orgKind = (code: OrgCode): OrgKind => row(code).kind;

/** Whether an organisation is a territorial force, whose code doubles as a police force area code. */
export const isTerritorialForce = (code: OrgCode): boolean => row(code).kind === 'TERRITORIAL_FORCE';

/** Lookup key of a name: lower case, `&` as `and`, punctuation and spacing folded. */
export const orgLookupKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const SUFFIXES = [' police service', ' constabulary', ' police'];

const ORG_LOOKUP: ReadonlyMap<string, OrgCode> = (() => {
  const map = new Map<string, OrgCode>();
  for (const code of ORG_CODES) {
    const r = row(code);
    const names = [code, code.slice(3), r.name, r.shortName, ...(r.synonyms ?? [])];
    if (r.onsCode) names.push(r.onsCode);
    if (r.slug) names.push(r.slug);
    for (const name of names) {
      const key = orgLookupKey(name);
      map.set(key, code);
      for (const suffix of SUFFIXES) if (key.endsWith(suffix)) map.set(key.slice(0, -suffix.length), code);
    }
  }
  return map;
})();

/**
 * Resolves an organisation from its code, ONS code, name, short name, data.police.uk id or a common
 * abbreviation (case, punctuation and `&`/`and` insensitive), e.g. "metropolitan" → `PF-E23000001`.
 */
export const resolveOrg = (text: string): OrgCode | undefined => {
  const key = orgLookupKey(text);
  return key === '' ? undefined : ORG_LOOKUP.get(key);
};
