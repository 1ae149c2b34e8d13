import { gzipSync } from 'node:zlib';
import { toCsv } from '../../functions/shared/csv.ts';
import { type IsoMonth, ORGANISATIONS, type OrgCode, orgName } from '../../schemas/index.ts';

/** One generated extract file, with what its sender expects ingest to decide about it. */
export type SyntheticExtract = {
  readonly org: OrgCode;
  readonly period: IsoMonth;
  readonly fileName: string;
  readonly body: Buffer;
  readonly expected: { readonly rows: number; readonly rejected: number };
};

/** Options of the generator: the seed makes the output reproducible byte for byte. */
export type SyntheticOptions = {
  readonly seed: number;
  readonly orgs: readonly OrgCode[];
  readonly months: readonly IsoMonth[];
  /** Data rows per file (default 20). */
  readonly rowsPerFile?: number;
};

/** mulberry32: a small, fast, seeded PRNG (never Math.random, so output is reproducible). */
export const createPrng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Rng = {
  readonly next: () => number;
  readonly int: (min: number, max: number) => number;
  readonly pick: <T>(items: readonly T[]) => T;
  readonly chance: (p: number) => boolean;
};

const rngOf = (seed: number): Rng => {
  const next = createPrng(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    chance: (p: number) => next() < p,
  };
};

const WINDOWS_1252_EXTRA: Readonly<Record<string, number>> = {
  '€': 0x80,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '–': 0x96,
  '—': 0x97,
};

/** Encodes text as Windows-1252 (throws on a character it cannot hold; the generator uses none). */
export const encodeWindows1252 = (text: string): Buffer => {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const extra = WINDOWS_1252_EXTRA[ch];
    if (extra !== undefined) bytes.push(extra);
    else if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) bytes.push(cp);
    else throw new Error(`U+${cp.toString(16)} cannot be encoded in Windows-1252`);
  }
  return Buffer.from(bytes);
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const monthParts = (period: IsoMonth): [number, number] => period.split('-').map(Number) as [number, number];

/** A day strictly before the period starts, so no generated date is ever in the future of its upload. */
const dayBefore = (rng: Rng, period: IsoMonth, maxDaysBack: number): Date => {
  const [y, m] = monthParts(period);
  return new Date(Date.UTC(y, m - 1, 1) - rng.int(1, maxDaysBack) * 86_400_000);
};

/** A day within the month itself. */
const dayInPeriod = (rng: Rng, period: IsoMonth): Date => {
  const [y, m] = monthParts(period);
  return new Date(Date.UTC(y, m - 1, rng.int(1, 28)));
};

const formatDate = (rng: Rng, d: Date): string => {
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  switch (rng.int(0, 3)) {
    case 0:
      return `${y}-${pad(m, 2)}-${pad(day, 2)}`;
    case 1:
      return `${pad(day, 2)}/${pad(m, 2)}/${y}`;
    case 2:
      return `${day}/${m}/${y}`;
    default:
      return `${y}-${pad(m, 2)}`;
  }
};

/**
 * The demo population: proportions plausible for the UK's National Referral Mechanism statistics
 * (Home Office, 2023-2024 releases, rounded), so the national picture looks like one. Potential
 * victims: about 45% exploited as children (mostly 14-17) and 55% as adults (mostly 18-45); about three
 * in four male; UK nationals the largest group, then Albanian, Eritrean, Vietnamese and Sudanese;
 * criminal exploitation (county lines above all) the most common for children, labour exploitation for
 * adults. Suspects and offenders: adults (mostly 18-50), a few 15-17 (county lines), about four in five
 * male. Each value is written in one of the spellings forces use, to exercise normalisation.
 */
type Weighted<T> = readonly (readonly [T, number])[];

const pickWeighted = <T>(rng: Rng, items: Weighted<T>): T => {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let at = rng.next() * total;
  for (const [item, w] of items) {
    at -= w;
    if (at < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
};

/** Nationality weights of potential victims, each as the spellings a force may send. */
const VICTIM_NATIONALITIES: Weighted<readonly string[]> = [
  [['British', 'GBR', 'UK'], 26],
  [['Albanian', 'AL'], 15],
  [['Eritrean'], 8],
  [['Vietnamese', 'Viet Nam', 'VN'], 8],
  [['Sudanese'], 7],
  [['Romania', 'RO'], 4],
  [['Afghan'], 4],
  [['Iranian'], 3],
  [['Indian'], 3],
  [['Poland'], 2],
  [['Nigerian'], 2],
  [['Chinese'], 2],
  [['Ethiopian'], 2],
  [['Unknown'], 4],
];
/** Nationality weights of suspects and offenders: mostly UK nationals. */
const SUSPECT_NATIONALITIES: Weighted<readonly string[]> = [
  [['British', 'GBR', 'UK'], 60],
  [['Albanian', 'AL'], 10],
  [['Romania', 'RO'], 6],
  [['Vietnamese', 'VN'], 4],
  [['Chinese'], 3],
  [['Poland'], 3],
  [['Nigerian'], 2],
  [['Unknown'], 12],
];
const MALE = ['M', 'Male', 'MALE'];
const FEMALE = ['F', 'female', 'woman'];
const sexOf = (rng: Rng, male: number): string =>
  rng.chance(0.02) ? 'unknown' : rng.pick(rng.chance(male) ? MALE : FEMALE);

const CHILD_EXPLOITATION: Weighted<string> = [
  ['county lines', 35],
  ['criminal exploitation', 20],
  ['CRIMINAL|cannabis', 5],
  ['sexual exploitation', 18],
  ['labour', 10],
  ['domestic servitude', 4],
];
const ADULT_EXPLOITATION: Weighted<string> = [
  ['labour', 25],
  ['forced labour', 10],
  ['LABOUR;car wash', 8],
  ['sexual exploitation', 22],
  ['criminal exploitation', 15],
  ['CRIMINAL|cannabis', 8],
  ['domestic servitude', 10],
];

/** A potential victim's age at the end of the period, and whether exploited as a child. */
const victimAge = (rng: Rng): { age: number; child: boolean } => {
  if (rng.chance(0.45))
    return {
      age: pickWeighted(rng, [
        [rng.int(9, 13), 2],
        [rng.int(14, 17), 8],
      ]),
      child: true,
    };
  return {
    age: pickWeighted(rng, [
      [rng.int(18, 24), 3],
      [rng.int(25, 34), 4],
      [rng.int(35, 44), 2],
      [rng.int(45, 65), 1],
    ]),
    child: false,
  };
};
/** A suspect's or offender's age at the end of the period. */
const suspectAge = (rng: Rng): number =>
  pickWeighted(rng, [
    [rng.int(15, 17), 1],
    [rng.int(18, 24), 6],
    [rng.int(25, 34), 7],
    [rng.int(35, 49), 5],
    [rng.int(50, 65), 1],
  ]);

/** A birthday that makes the person `age` at the end of the period. */
const bornAt = (rng: Rng, period: IsoMonth, age: number): Date => {
  const [y, m] = monthParts(period);
  const end = Date.UTC(y, m, 0);
  return new Date(end - (age * 365.25 + rng.int(1, 360)) * 86_400_000);
};

const SYSTEMS = ['NICHE', 'ATHENA', 'CONNECT', 'STORM'];
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** A CSV or JSON Lines file under construction: header, rows and how many were made invalid. */
type Table = { header: string[]; rows: string[][]; rejected: number };

type FileContext = {
  org: OrgCode;
  period: IsoMonth;
  rng: Rng;
  rows: number;
  variant: number;
  otherOrg: OrgCode;
};

const invalidCount = (rng: Rng, rows: number): number =>
  rows >= 4 ? rng.int(1, Math.min(3, Math.floor(rows / 4))) : 0;

/** Positions (0-based) of the invalid rows, spread over the file. */
const invalidPositions = (rng: Rng, rows: number, count: number): Set<number> => {
  const positions = new Set<number>();
  while (positions.size < count) positions.add(rng.int(1, rows - 1));
  return positions;
};

const refFor = (prefix: string, ctx: FileContext, i: number): string =>
  `${prefix}-${ctx.org.slice(-4)}-${ctx.period.replace('-', '')}-${pad(i + 1, 5)}`;

const subjects = (ctx: FileContext): Table => {
  const { rng } = ctx;
  const header = [
    'source_record_ref',
    'source_system',
    'org',
    'roles',
    'sex',
    'date_of_birth',
    'nationality',
    'exploitation_types',
    'operation_refs',
    'nrm_reference',
    'classification',
    'notes',
  ];
  const synonyms = [
    'Record Ref',
    'SYSTEM',
    'Submitting_Org',
    'Role',
    'Gender',
    'DOB',
    'Nationalities',
    'Exploitation Type',
    'operation-refs',
    'NRM Ref',
    'Classification',
    'Notes',
  ];
  const bad = invalidPositions(rng, ctx.rows, invalidCount(rng, ctx.rows));
  const rows: string[][] = [];
  for (let i = 0; i < ctx.rows; i++) {
    const victim = rng.chance(0.6);
    const victimProfile = victim ? victimAge(rng) : undefined;
    const born = bornAt(rng, ctx.period, victimProfile?.age ?? suspectAge(rng));
    const nationality = () =>
      rng.pick(pickWeighted(rng, victim ? VICTIM_NATIONALITIES : SUSPECT_NATIONALITIES));
    const row = [
      refFor('P', ctx, i),
      rng.pick(SYSTEMS),
      rng.pick([ctx.org, '', orgName(ctx.org)]),
      victim
        ? rng.pick(['POTENTIAL_VICTIM', 'pv', 'Potential Victim', 'victim'])
        : rng.pick(['SUSPECT', 'suspect;associate', 'offender', 'witness']),
      sexOf(rng, victim ? 0.74 : 0.8),
      rng.chance(0.85) ? formatDate(rng, born) : '',
      rng.chance(0.1) ? `${nationality()};${nationality()}` : nationality(),
      victimProfile ? pickWeighted(rng, victimProfile.child ? CHILD_EXPLOITATION : ADULT_EXPLOITATION) : '',
      rng.chance(0.5) ? refFor('OP', ctx, rng.int(0, 4)) : '',
      // A small shared pool: some victims are referred by more than one organisation.
      victim && rng.chance(0.15) ? `NRM-2026-${pad(rng.int(1, 40), 6)}` : '',
      rng.pick(['OFFICIAL-SENSITIVE', 'OFFICIAL', 'official-sensitive: personal', '']),
      i === 0 ? 'Seen at a hand car wash, later moved\nto another site' : '',
    ];
    if (bad.has(i)) {
      const kind = rng.int(0, 3);
      if (kind === 0) row[5] = '31/02/1990';
      else if (kind === 1) row[3] = '';
      else if (kind === 2) row[2] = ctx.otherOrg;
      else row[5] = `${Number(ctx.period.slice(0, 4)) + 5}-01-01`;
    }
    rows.push(row);
  }
  return { header: ctx.variant % 2 === 1 ? synonyms : header, rows, rejected: bad.size };
};

const vrm = (rng: Rng): string =>
  `${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}${pad(rng.int(2, 75), 2)} ${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}`;

const objects = (ctx: FileContext): { lines: Record<string, unknown>[]; rejected: number } => {
  const { rng } = ctx;
  const bad = invalidPositions(rng, ctx.rows, invalidCount(rng, ctx.rows));
  const lines: Record<string, unknown>[] = [];
  for (let i = 0; i < ctx.rows; i++) {
    const type = rng.pick(['VEHICLE', 'vehicle', 'PHONE', 'mobile', 'ACCOUNT', 'DOCUMENT']);
    const identifier =
      type === 'VEHICLE' || type === 'vehicle'
        ? rng.pick([vrm(rng), vrm(rng).toLowerCase()])
        : type === 'PHONE' || type === 'mobile'
          ? rng.pick([
              `07700 900${pad(rng.int(0, 999), 3)}`,
              `+44 7700 900${pad(rng.int(0, 999), 3)}`,
              `447700900${pad(rng.int(0, 999), 3)}`,
            ])
          : type === 'ACCOUNT'
            ? `00-00-${pad(rng.int(0, 99), 2)} 0000${pad(rng.int(0, 9999), 4)}`
            : `SYN${pad(rng.int(0, 999999), 6)}`;
    const line: Record<string, unknown> = {
      [ctx.variant % 2 === 1 ? 'Ref' : 'source_record_ref']: refFor('OBJ', ctx, i),
      source_system: rng.pick(SYSTEMS),
      object_type: type,
      identifier,
      subject_refs: rng.chance(0.5) ? [refFor('P', ctx, rng.int(0, ctx.rows - 1))] : [],
      classification: rng.chance(0.5) ? 'OFFICIAL-SENSITIVE' : null,
      mopi_group: rng.pick([3, '2', 'Group 1', null]),
    };
    if (bad.has(i)) {
      const kind = rng.int(0, 2);
      if (kind === 0) {
        line.object_type = 'PHONE';
        line.identifier = 'call me maybe';
      } else if (kind === 1) line.object_type = 'spaceship';
      else line.org = ctx.otherOrg;
    }
    lines.push(line);
  }
  return { lines, rejected: bad.size };
};

const postcode = (rng: Rng): string =>
  `${rng.pick(['B', 'M', 'LS', 'CF', 'EH', 'BT', 'SW', 'E', 'NW'])}${rng.int(1, 20)} ${rng.int(1, 9)}${rng.pick([...LETTERS.replace(/[CIKMOV]/g, '')])}${rng.pick([...LETTERS.replace(/[CIKMOV]/g, '')])}`;

const TOWNS = ['Birmingham', 'Manchester', 'Leeds', 'Cardiff', 'Glasgow', 'Belfast', 'Dover', 'Hull'];

const locations = (ctx: FileContext): Table => {
  const { rng } = ctx;
  const header = [
    'source_record_ref',
    'source_system',
    'location_type',
    'postcode',
    'town',
    'country',
    'pfa_code',
    'subject_refs',
  ];
  const bad = invalidPositions(rng, ctx.rows, invalidCount(rng, ctx.rows));
  const rows: string[][] = [];
  for (let i = 0; i < ctx.rows; i++) {
    const overseas = i === 0 || rng.chance(0.1);
    const row = [
      refFor('LOC', ctx, i),
      i === 1 ? 'ÉLITE' : rng.pick(SYSTEMS),
      rng.pick(['EXPLOITATION_SITE', 'exploitation site', 'residence', 'BUSINESS', 'transit']),
      overseas ? '50480' : rng.pick([postcode(rng), postcode(rng).toLowerCase().replace(' ', '')]),
      overseas ? 'Sainte-Mère-Église' : rng.pick(TOWNS),
      overseas ? rng.pick(['France', 'FR', 'FRA']) : rng.pick(['', 'GB', 'United Kingdom']),
      overseas ? '' : rng.pick(['', ORGANISATIONS['PF-E23000014'].name, 'PF-E23000001', 'E23000005']),
      rng.chance(0.5) ? refFor('P', ctx, rng.int(0, ctx.rows - 1)) : '',
    ];
    if (bad.has(i)) {
      const kind = rng.int(0, 2);
      if (kind === 0) {
        row[3] = 'ZZZ';
        row[5] = '';
      } else if (kind === 1) row[2] = 'moon base';
      else row[0] = '';
    }
    rows.push(row);
  }
  return { header, rows, rejected: bad.size };
};

const operations = (ctx: FileContext): Table => {
  const { rng } = ctx;
  const header = [
    'source_record_ref',
    'source_system',
    'lead_org',
    'partner_orgs',
    'threat_type',
    'exploitation_types',
    'status',
    'opened_on',
    'closed_on',
    'pfa_codes',
    'potential_victims_identified',
    'arrests',
    'ho_offence_codes',
    'crime_refs',
    'nrm_referrals_made',
    'charges',
    'intel_grading',
    'handling_conditions',
    'business_area',
  ];
  const bad = invalidPositions(rng, ctx.rows, invalidCount(rng, ctx.rows));
  const rows: string[][] = [];
  const territorial = ORGANISATIONS[ctx.org].kind === 'TERRITORIAL_FORCE';
  for (let i = 0; i < ctx.rows; i++) {
    // About one operation in five opened during the month itself.
    const opened = rng.chance(0.2) ? dayInPeriod(rng, ctx.period) : dayBefore(rng, ctx.period, 700);
    const closed = rng.chance(0.2);
    const intel = i === 0 || rng.chance(0.2);
    const row = [
      refFor('OP', ctx, i),
      rng.pick(SYSTEMS),
      rng.chance(0.8) ? ctx.org : '',
      rng.pick(['', 'NA-NCA', 'GLAA;HMRC', 'National Crime Agency|Border Force']),
      rng.pick(['MODERN_SLAVERY', 'modern slavery', 'HUMAN_TRAFFICKING', 'OIC', 'MSHT']),
      rng.pick(['LABOUR', 'sexual exploitation', 'county lines;labour', 'CRIMINAL', '']),
      closed ? 'CLOSED' : rng.pick(['LIVE', 'live', 'open', 'suspended']),
      formatDate(rng, opened),
      closed ? `${ctx.period}-28` : '',
      territorial ? ctx.org : '',
      String(rng.int(0, 6)),
      rng.chance(0.5) ? String(rng.int(0, 3)) : '',
      ...(rng.chance(0.6)
        ? ['106', Array.from({ length: rng.int(1, 3) }, () => `CR/${pad(rng.int(1, 99999), 7)}/26`).join(';')]
        : ['', '']),
      String(rng.int(0, 3)),
      rng.chance(0.3) ? String(rng.int(0, 2)) : '',
      intel ? rng.pick(['2/B/C', '1AP', '3/C/P']) : '',
      intel ? 'Do not disclose, refer to originator\n(MSHT desk)' : '',
      intel ? 'INTELLIGENCE' : rng.pick(['CRIME', '']),
    ];
    if (bad.has(i)) {
      const kind = rng.int(0, 2);
      if (kind === 0) row[7] = '2026-13-01';
      else if (kind === 1) row[6] = 'maybe';
      else row[4] = '';
    }
    rows.push(row);
  }
  return { header, rows, rejected: bad.size };
};

const otherOrgThan = (org: OrgCode): OrgCode => (org === 'PF-E23000002' ? 'PF-E23000003' : 'PF-E23000002');

/**
 * Generates realistic synthetic extracts (pure and deterministic for a seed): for each organisation and
 * month, subjects, objects, locations and operations files in CSV and JSON Lines, some gzipped, with
 * header synonyms and mixed case, dd/mm/yyyy dates, country names and alpha-2 nationalities, CRLF line
 * endings, quoted fields holding commas and newlines, UTF-8 with a BOM, Windows-1252 (`Sainte-Mère-
 * Église`, `ÉLITE`) and a known number of deliberately invalid rows. No real people: synthetic refs only.
 */
export const generateExtracts = (options: SyntheticOptions): SyntheticExtract[] => {
  const rows = Math.max(1, Math.floor(options.rowsPerFile ?? 20));
  const out: SyntheticExtract[] = [];
  let variant = 0;
  for (const org of options.orgs) {
    for (const period of options.months) {
      const rng = rngOf((options.seed * 7919 + variant * 104729) >>> 0);
      const ctx: FileContext = { org, period, rng, rows, variant, otherOrg: otherOrgThan(org) };
      const eol = variant % 2 === 0 ? '\r\n' : '\n';
      const push = (fileName: string, text: string | Buffer, rejected: number, gzip = false): void => {
        const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
        out.push({
          org,
          period,
          fileName: gzip ? `${fileName}.gz` : fileName,
          body: gzip ? gzipSync(bytes) : bytes,
          expected: { rows, rejected },
        });
      };

      const s = subjects(ctx);
      push('subjects.csv', toCsv([s.header, ...s.rows], eol), s.rejected, variant % 3 === 2);

      const o = objects(ctx);
      push(
        variant % 2 === 1 ? 'objects-vehicles-phones.jsonl' : 'objects.jsonl',
        o.lines.map((line) => JSON.stringify(line)).join(eol) + eol,
        o.rejected,
        variant % 2 === 1,
      );

      const l = locations(ctx);
      const locationsCsv = toCsv([l.header, ...l.rows], eol);
      if (variant % 4 === 0) push('locations.csv', encodeWindows1252(locationsCsv), l.rejected);
      else push('locations.csv', `\uFEFF${locationsCsv}`, l.rejected);

      const op = operations(ctx);
      if (variant % 2 === 0) {
        const jsonl = op.rows.map((row) =>
          JSON.stringify(Object.fromEntries(op.header.map((h, i) => [h, row[i] ?? '']))),
        );
        push('operations.jsonl', `${jsonl.join('\n')}\n`, op.rejected);
      } else {
        push(
          'operations-monthly.csv',
          toCsv([op.header.map((h) => h.toUpperCase()), ...op.rows], eol),
          op.rejected,
        );
      }
      variant++;
    }
  }
  return out;
};
