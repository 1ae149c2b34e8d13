import { ICAO_SPECIAL_NATIONALITIES } from '../../../schemas/common/countries.ts';
import { countryByAlpha3 } from '../../../schemas/common/nationality.ts';

/**
 * The category labels of the national tables, in display order. Rows and columns of a table always list
 * every category of a fixed dimension (so months line up); data-driven dimensions (nationality, lead
 * organisation, sector) list only the categories present, in a deterministic order.
 */
export const EXPLOITATION_MIX = {
  CRIMINAL: 'Criminal',
  LABOUR: 'Labour',
  SEXUAL: 'Sexual',
  DOMESTIC_SERVITUDE: 'Domestic servitude',
  ORGAN_HARVESTING: 'Organ harvesting',
  OTHER: 'Other',
  MULTIPLE: 'Multiple types',
  NOT_SPECIFIED_OR_UNKNOWN: 'Not specified or unknown',
} as const;
export type ExploitationMix = keyof typeof EXPLOITATION_MIX;
export const EXPLOITATION_MIX_KEYS = Object.keys(EXPLOITATION_MIX) as ExploitationMix[];

/**
 * One exploitation category per person or operation, so that tables partition them: the single known
 * type, `MULTIPLE` for more than one, `NOT_SPECIFIED_OR_UNKNOWN` for none (NRM practice: combinations
 * are reported separately from "X only").
 */
export const exploitationMix = (types: Iterable<string>): ExploitationMix => {
  const known = new Set([...types].filter((type) => type !== 'NOT_SPECIFIED_OR_UNKNOWN'));
  if (known.size === 0) return 'NOT_SPECIFIED_OR_UNKNOWN';
  if (known.size > 1) return 'MULTIPLE';
  const only = [...known][0] as string;
  return (only in EXPLOITATION_MIX ? only : 'OTHER') as ExploitationMix;
};

export const SEX_LABELS = { FEMALE: 'Female', MALE: 'Male', OTHER: 'Other', NOT_KNOWN: 'Not known' } as const;
export const AGE_AT_EXPLOITATION_LABELS = { ADULT: 'Adult', CHILD: 'Child', UNKNOWN: 'Not known' } as const;
export const AGE_BAND_LABELS = {
  '0-8': '0-8',
  '9-17': '9-17',
  '18-24': '18-24',
  '25-34': '25-34',
  '35-44': '35-44',
  '45-54': '45-54',
  '55+': '55+',
  UNKNOWN: 'Not known',
} as const;
export const SUSPECT_ROLE_LABELS = { OFFENDER: 'Offender', SUSPECT: 'Suspect' } as const;
export const THREAT_TYPE_LABELS = {
  MODERN_SLAVERY: 'Modern slavery',
  HUMAN_TRAFFICKING: 'Human trafficking',
  OIC: 'Organised immigration crime',
  MIXED: 'Mixed',
} as const;
export const OPERATION_STATUS_LABELS = { LIVE: 'Live', SUSPENDED: 'Suspended', CLOSED: 'Closed' } as const;
export const EXPLOITATION_LOCATION_LABELS = {
  UK_ONLY: 'UK only',
  OVERSEAS_ONLY: 'Overseas only',
  UK_AND_OVERSEAS: 'UK and overseas',
  UNKNOWN: 'Not known',
} as const;
export const NRM_DECISION_LABELS = {
  POSITIVE: 'Positive',
  NEGATIVE: 'Negative',
  PENDING: 'Pending',
  NOT_KNOWN: 'Not known',
} as const;
export const MARKER_TYPE_LABELS = {
  MSHT_POTENTIAL_VICTIM: 'Potential victim',
  MSHT_VICTIM: 'Victim',
  MSHT_SUSPECT: 'Suspect',
  MSHT_OFFENDER: 'Offender',
  MSHT_PREMISES: 'Premises',
  MSHT_VEHICLE: 'Vehicle',
  MSHT_COMMS: 'Communications',
  OIC_FACILITATOR: 'OIC facilitator',
  OIC_ROUTE: 'OIC route',
} as const;
export const SYNC_STATE_LABELS = {
  PENDING: 'Pending',
  HELD: 'Held for review',
  SENT: 'Sent',
  ACKED: 'Acknowledged',
  REJECTED: 'Rejected',
} as const;
export const QUALITY_OUTCOME_LABELS = {
  counted: 'Counted',
  duplicate: 'Duplicate',
  rejected: 'Rejected',
} as const;
/** Key subject fields whose unknown share is reported per submitter (A9). */
export const KEY_FIELD_LABELS = {
  sex: 'Sex',
  ageAtExploitation: 'Age at exploitation',
  nationality: 'Nationality',
  exploitationType: 'Exploitation type',
} as const;
export type KeyField = keyof typeof KEY_FIELD_LABELS;

/** ISIC rev. 4 sections (labour sector of exploitation). */
export const ISIC_SECTIONS: Readonly<Record<string, string>> = {
  A: 'Agriculture, forestry and fishing',
  B: 'Mining and quarrying',
  C: 'Manufacturing',
  D: 'Electricity and gas supply',
  E: 'Water supply and waste',
  F: 'Construction',
  G: 'Wholesale and retail, vehicle repair (incl. car washes)',
  H: 'Transport and storage',
  I: 'Accommodation and food services',
  J: 'Information and communication',
  K: 'Financial and insurance',
  L: 'Real estate',
  M: 'Professional and scientific',
  N: 'Administrative and support services',
  O: 'Public administration',
  P: 'Education',
  Q: 'Health and social work',
  R: 'Arts and recreation',
  S: 'Other services (incl. nail bars)',
  T: 'Households as employers',
  U: 'Extraterritorial organisations',
};

const SUB_TYPE_SECTORS: Readonly<Record<string, string>> = {
  SEX_PROSTITUTION: 'Sexual: prostitution',
  SEX_PORNOGRAPHY: 'Sexual: pornography',
  SEX_REMOTE_INTERACTIVE: 'Sexual: remote interactive',
  SEX_PRIVATE_SERVICES: 'Sexual: private services',
  CHILD_SEXUAL_EXPLOITATION: 'Sexual: child sexual exploitation',
  COUNTY_LINES: 'Criminal: county lines',
  CANNABIS_CULTIVATION: 'Criminal: cannabis cultivation',
  FORCED_BEGGING: 'Criminal: forced begging',
  FORCED_SHOPLIFTING: 'Criminal: forced shoplifting',
  BENEFIT_FRAUD: 'Criminal: benefit fraud',
  FORCED_MARRIAGE: 'Other: forced marriage',
};

/** The label of the catch-all sector row. */
export const NO_SECTOR = 'No sector recorded';

/**
 * One sector per victim (A5), so the table partitions victims: the ISIC section of a labour industry when
 * known, else the first sexual, criminal or other sub-type in a fixed order, else "No sector recorded".
 */
export const sectorOf = (labourIndustry: string | undefined, subTypes: readonly string[]): string => {
  if (labourIndustry !== undefined && ISIC_SECTIONS[labourIndustry] !== undefined) {
    return `Labour: ${ISIC_SECTIONS[labourIndustry]}`;
  }
  for (const [subType, label] of Object.entries(SUB_TYPE_SECTORS))
    if (subTypes.includes(subType)) return label;
  return NO_SECTOR;
};

/** The display order of sector rows: labour by ISIC letter, then sub-types, then "No sector recorded". */
export const SECTOR_ORDER: readonly string[] = [
  ...Object.values(ISIC_SECTIONS).map((name) => `Labour: ${name}`),
  ...Object.values(SUB_TYPE_SECTORS),
  NO_SECTOR,
];

/** The ISO code of the United Kingdom, always shown as its own nationality row (UK vs non-UK). */
export const UK = 'GBR';
/** Unknown nationality (ICAO `XXX`). */
export const UNKNOWN_NATIONALITY = 'XXX';
export const OTHER_NATIONALITIES = 'Other nationalities';
/**
 * The nationalities shown as their own rows after the United Kingdom, in this fixed order whatever the
 * month's counts (ISO 3166 alpha-3): the most common non-UK nationalities of potential victims referred
 * to the NRM in recent years. Every other nationality counts in "Other nationalities". Changing the list
 * changes every month's rows: do it only with a new aggregation version.
 */
export const REFERENCE_NATIONALITIES: readonly string[] = [
  'ALB', // Albania
  'VNM', // Viet Nam
  'ERI', // Eritrea
  'SDN', // Sudan
  'ROU', // Romania
  'IND', // India
  'AFG', // Afghanistan
  'IRN', // Iran
  'IRQ', // Iraq
  'ETH', // Ethiopia
  'NGA', // Nigeria
  'POL', // Poland
  'CHN', // China
];
export const NATIONALITY_NOT_KNOWN = 'Not known';

/** A nationality code's display name (`GBR` → `United Kingdom`, `XXA` → `Stateless person`). */
export const nationalityName = (code: string): string => {
  if (code === UNKNOWN_NATIONALITY) return NATIONALITY_NOT_KNOWN;
  const special = (ICAO_SPECIAL_NATIONALITIES as Readonly<Record<string, string>>)[code];
  return special ?? countryByAlpha3(code)?.name ?? code;
};
