import {
  isOrgCode,
  ORG_CODES,
  type OrgCode,
  orgName,
  orgRegion,
  REGIONS,
} from '../../schemas/common/organisations.ts';
import type { MonthRecords } from './accumulate.ts';
import {
  AGE_AT_EXPLOITATION_LABELS,
  AGE_BAND_LABELS,
  EXPLOITATION_LOCATION_LABELS,
  EXPLOITATION_MIX,
  exploitationMix,
  KEY_FIELD_LABELS,
  MARKER_TYPE_LABELS,
  NO_SECTOR,
  NRM_DECISION_LABELS,
  nationalityName,
  OPERATION_STATUS_LABELS,
  OTHER_NATIONALITIES,
  QUALITY_OUTCOME_LABELS,
  SECTOR_ORDER,
  SEX_LABELS,
  SUSPECT_ROLE_LABELS,
  SYNC_STATE_LABELS,
  sectorOf,
  THREAT_TYPE_LABELS,
  UK,
  UNKNOWN_NATIONALITY,
} from './categories.ts';
import { type CountTable, createTable, type MarginLink } from './disclosure/table.ts';
import type { Person } from './link-subjects.ts';
import type { MarkerFacts } from './marker-facts.ts';
import { inMonth, type Month } from './month.ts';
import type { OperationFacts, SubjectFacts } from './record-facts.ts';

/** Tables protected together: they describe one population and share margins (`links`). */
export interface TableGroup {
  readonly id: string;
  readonly tables: readonly CountTable[];
  readonly links: readonly MarginLink[];
  /** False for groups published in the internal tier only (e.g. organisation-level operations). */
  readonly shareable: boolean;
}

/** Data quality inputs of the month per submitter, from the upload ledger. */
export interface SubmitterLedger {
  /** Rows rejected by validation in the counted uploads, plus rows of failed files. */
  readonly rejectedByOrg: ReadonlyMap<string, number>;
}

/** Everything the tables are built from. */
export interface TableInputs {
  readonly month: Month;
  readonly records: MonthRecords;
  readonly persons: readonly Person[];
  readonly markers: readonly MarkerFacts[];
  readonly ledger: SubmitterLedger;
}

type Labels = Readonly<Record<string, string>>;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Counts items into a rows × columns matrix keyed by category keys; unknown keys are a programming error. */
const crossCount = <T>(
  items: readonly T[],
  rowKeys: readonly string[],
  columnKeys: readonly string[],
  rowOf: (item: T) => string,
  columnOf: (item: T) => string,
  weight: (item: T) => number = () => 1,
): number[][] => {
  const cells = rowKeys.map(() => columnKeys.map(() => 0));
  const rowIndex = new Map(rowKeys.map((key, i) => [key, i]));
  const columnIndex = new Map(columnKeys.map((key, i) => [key, i]));
  for (const item of items) {
    const r = rowIndex.get(rowOf(item));
    const c = columnIndex.get(columnOf(item));
    if (r === undefined || c === undefined)
      throw new Error(`uncategorised item: ${rowOf(item)} × ${columnOf(item)}`);
    (cells[r] as number[])[c] = ((cells[r] as number[])[c] as number) + weight(item);
  }
  return cells;
};

const table = (
  id: string,
  title: string,
  rowDimension: string,
  columnDimension: string,
  rows: { keys: readonly string[]; labels: Labels },
  columns: { keys: readonly string[]; labels: Labels },
  cells: number[][],
): CountTable =>
  createTable({
    id,
    title,
    rowDimension,
    columnDimension,
    rows: rows.keys.map((key) => rows.labels[key] ?? key),
    columns: columns.keys.map((key) => columns.labels[key] ?? key),
    cells,
  });

const dim = (labels: Labels) => ({ keys: Object.keys(labels), labels });
const NONE = '(none)';
const orgDim = (orgs: Iterable<string>) => {
  const keys = [...new Set(orgs)].sort(compare);
  const labels = Object.fromEntries(keys.map((code) => [code, isOrgCode(code) ? orgName(code) : code]));
  return keys.length === 0 ? { keys: [NONE], labels: {} } : { keys, labels };
};

/** UK first, then the top `n` other nationalities by count (ties by code), then Other, then Not known. */
const nationalityDim = (codes: readonly string[], n = 10) => {
  const counts = new Map<string, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  const top = [...counts.entries()]
    .filter(([code]) => code !== UK && code !== UNKNOWN_NATIONALITY)
    .sort(([a, x], [b, y]) => y - x || compare(a, b))
    .slice(0, n)
    .map(([code]) => code);
  const keys = [UK, ...top, OTHER_NATIONALITIES, UNKNOWN_NATIONALITY];
  const labels: Record<string, string> = { [OTHER_NATIONALITIES]: OTHER_NATIONALITIES };
  for (const code of [UK, ...top, UNKNOWN_NATIONALITY]) labels[code] = nationalityName(code);
  const shown = new Set(keys);
  return { keys, labels, of: (code: string) => (shown.has(code) ? code : OTHER_NATIONALITIES) };
};

/** Nationality counts by age at exploitation as a rows-by-age table (used for A3 and its rolling 12 months). */
export const nationalityByAgeTable = (
  id: string,
  title: string,
  counts: ReadonlyMap<string, ReadonlyMap<string, number>>,
): CountTable => {
  const totals = [...counts.entries()].flatMap(([code, byAge]) => {
    const total = [...byAge.values()].reduce((sum, value) => sum + value, 0);
    return Array.from({ length: total }, () => code);
  });
  const nat = nationalityDim(totals);
  const ages = dim(AGE_AT_EXPLOITATION_LABELS);
  const cells = nat.keys.map(() => ages.keys.map(() => 0));
  for (const [code, byAge] of counts) {
    const r = nat.keys.indexOf(nat.of(code));
    for (const [age, count] of byAge) {
      const c = ages.keys.indexOf(age);
      if (r < 0 || c < 0) continue;
      (cells[r] as number[])[c] = ((cells[r] as number[])[c] as number) + count;
    }
  }
  return table(id, title, 'Nationality', 'Age at exploitation', nat, ages, cells);
};

/** Victims by nationality code and age at exploitation (exact; the internal tier keeps it for rolling sums). */
export const nationalityCounts = (victims: readonly Person[]): Map<string, Map<string, number>> => {
  const counts = new Map<string, Map<string, number>>();
  for (const person of victims) {
    const byAge = counts.get(person.nationality) ?? new Map<string, number>();
    byAge.set(person.ageAtExploitation, (byAge.get(person.ageAtExploitation) ?? 0) + 1);
    counts.set(person.nationality, byAge);
  }
  return counts;
};

const link = (a: string, am: 'rows' | 'columns' | 'grand', b: string, bm: 'rows' | 'columns' | 'grand') => ({
  a: { table: a, margin: am },
  b: { table: b, margin: bm },
});

const victimGroup = (victims: readonly Person[]): TableGroup => {
  const mix = dim(EXPLOITATION_MIX);
  const sex = dim(SEX_LABELS);
  const age = dim(AGE_AT_EXPLOITATION_LABELS);
  const mixOf = (p: Person) => exploitationMix(p.exploitationTypes);
  const sectorKeys = SECTOR_ORDER.filter((label) =>
    victims.some((p) => sectorOf(p.labourIndustry, p.exploitationSubTypes) === label),
  );
  const sectors = { keys: sectorKeys.length === 0 ? [NO_SECTOR] : sectorKeys, labels: {} };
  const location = dim(EXPLOITATION_LOCATION_LABELS);
  const decision = dim(NRM_DECISION_LABELS);
  return {
    id: 'victims',
    shareable: true,
    tables: [
      table(
        'A2a',
        'Potential victims by exploitation type and sex',
        'Exploitation type',
        'Sex',
        mix,
        sex,
        crossCount(victims, mix.keys, sex.keys, mixOf, (p) => p.sex),
      ),
      table(
        'A2b',
        'Potential victims by exploitation type and age at exploitation',
        'Exploitation type',
        'Age at exploitation',
        mix,
        age,
        crossCount(victims, mix.keys, age.keys, mixOf, (p) => p.ageAtExploitation),
      ),
      nationalityByAgeTable(
        'A3',
        'Potential victims by nationality and age at exploitation',
        nationalityCounts(victims),
      ),
      table(
        'A5',
        'Potential victims by sector and location of exploitation',
        'Sector',
        'Location of exploitation',
        sectors,
        location,
        crossCount(
          victims,
          sectors.keys,
          location.keys,
          (p) => sectorOf(p.labourIndustry, p.exploitationSubTypes),
          (p) => p.exploitationLocation,
        ),
      ),
      table(
        'A7d',
        'Potential victims by NRM reasonable grounds (rows) and conclusive grounds (columns) decision',
        'Reasonable grounds decision',
        'Conclusive grounds decision',
        decision,
        decision,
        crossCount(
          victims,
          decision.keys,
          decision.keys,
          (p) => p.rgDecision ?? 'NOT_KNOWN',
          (p) => p.cgDecision ?? 'NOT_KNOWN',
        ),
      ),
    ],
    links: [
      link('A2a', 'rows', 'A2b', 'rows'),
      link('A2b', 'columns', 'A3', 'columns'),
      link('A2a', 'grand', 'A5', 'grand'),
      link('A2a', 'grand', 'A7d', 'grand'),
    ],
  };
};

const suspectGroup = (suspects: readonly Person[]): TableGroup => {
  const role = dim(SUSPECT_ROLE_LABELS);
  const sex = dim(SEX_LABELS);
  const band = dim(AGE_BAND_LABELS);
  const nat = nationalityDim(suspects.map((p) => p.nationality));
  const roleOf = (p: Person) => p.suspectRole ?? 'SUSPECT';
  return {
    id: 'suspects',
    shareable: true,
    tables: [
      table(
        'A4a',
        'Suspects and offenders by role and sex',
        'Role',
        'Sex',
        role,
        sex,
        crossCount(suspects, role.keys, sex.keys, roleOf, (p) => p.sex),
      ),
      table(
        'A4b',
        'Suspects and offenders by age band and role',
        'Age band',
        'Role',
        band,
        role,
        crossCount(suspects, band.keys, role.keys, (p) => p.ageBand, roleOf),
      ),
      table(
        'A4c',
        'Suspects and offenders by nationality and sex',
        'Nationality',
        'Sex',
        nat,
        sex,
        crossCount(
          suspects,
          nat.keys,
          sex.keys,
          (p) => nat.of(p.nationality),
          (p) => p.sex,
        ),
      ),
    ],
    links: [link('A4a', 'rows', 'A4b', 'columns'), link('A4a', 'columns', 'A4c', 'columns')],
  };
};

const regionOf = (org: string): string => orgRegion(org as OrgCode);

const operationGroups = (operations: readonly OperationFacts[]): TableGroup[] => {
  const regions = { keys: [...REGIONS], labels: {} };
  const status = dim(OPERATION_STATUS_LABELS);
  const threat = dim(THREAT_TYPE_LABELS);
  const mix = dim(EXPLOITATION_MIX);
  const opened = operations.filter((op) => op.openedInMonth);
  const closed = operations.filter((op) => op.closedInMonth);
  const mixOf = (op: OperationFacts) => exploitationMix(op.exploitationTypes);
  const orgs = orgDim(operations.map((op) => op.leadOrg));
  const main: TableGroup = {
    id: 'operations',
    shareable: true,
    tables: [
      table(
        'A1a',
        'Operations by region of the lead organisation and status at month end',
        'Region',
        'Status at month end',
        regions,
        status,
        crossCount(
          operations,
          regions.keys,
          status.keys,
          (op) => regionOf(op.leadOrg),
          (op) => op.status,
        ),
      ),
      table(
        'A1b',
        'Operations by threat type and status at month end',
        'Threat type',
        'Status at month end',
        threat,
        status,
        crossCount(
          operations,
          threat.keys,
          status.keys,
          (op) => op.threatType,
          (op) => op.status,
        ),
      ),
      table(
        'A1c',
        'Operations by exploitation type and threat type',
        'Exploitation type',
        'Threat type',
        mix,
        threat,
        crossCount(operations, mix.keys, threat.keys, mixOf, (op) => op.threatType),
      ),
    ],
    links: [link('A1a', 'columns', 'A1b', 'columns'), link('A1b', 'rows', 'A1c', 'columns')],
  };
  const movement: TableGroup = {
    id: 'operations-movement',
    shareable: true,
    tables: [
      table(
        'A1d',
        'Operations opened in the month by region and threat type',
        'Region',
        'Threat type',
        regions,
        threat,
        crossCount(
          opened,
          regions.keys,
          threat.keys,
          (op) => regionOf(op.leadOrg),
          (op) => op.threatType,
        ),
      ),
      table(
        'A1e',
        'Operations closed in the month by region and threat type',
        'Region',
        'Threat type',
        regions,
        threat,
        crossCount(
          closed,
          regions.keys,
          threat.keys,
          (op) => regionOf(op.leadOrg),
          (op) => op.threatType,
        ),
      ),
    ],
    links: [],
  };
  // Organisations nest in regions, which the disclosure audit does not model: internal tier only.
  const byOrg: TableGroup = {
    id: 'operations-by-organisation',
    shareable: false,
    tables: [
      table(
        'A1f',
        'Operations by lead organisation and status at month end',
        'Lead organisation',
        'Status at month end',
        orgs,
        status,
        crossCount(
          operations,
          orgs.keys,
          status.keys,
          (op) => op.leadOrg,
          (op) => op.status,
        ),
      ),
    ],
    links: [],
  };
  const oneWay = (id: string, title: string, measure: string, value: (op: OperationFacts) => number) =>
    table(
      id,
      title,
      'Lead organisation',
      'Measure',
      orgs,
      { keys: [measure], labels: {} },
      crossCount(
        operations,
        orgs.keys,
        [measure],
        (op) => op.leadOrg,
        () => measure,
        value,
      ),
    );
  const crimes = new Map<string, Set<string>>();
  for (const op of operations) {
    const refs = crimes.get(op.leadOrg) ?? new Set<string>();
    for (const ref of op.crimeRefs106) refs.add(ref);
    crimes.set(op.leadOrg, refs);
  }
  const crimeCells = orgs.keys.map((org) => [crimes.get(org)?.size ?? 0]);
  const crime: TableGroup = {
    id: 'crime-recording',
    shareable: true,
    tables: [
      table(
        'A6a',
        'Crimes recorded under Home Office class 106 (distinct crime references on operations)',
        'Lead organisation',
        'Measure',
        orgs,
        { keys: ['Crimes recorded'], labels: {} },
        crimeCells,
      ),
      oneWay('A6b', 'NRM referrals made (operation returns)', 'NRM referrals', (op) => op.nrmReferralsMade),
      oneWay('A6c', 'Duty to Notify reports (operation returns)', 'DtN reports', (op) => op.dtnReports),
    ],
    links: [],
  };
  const outcome = (id: string, title: string, value: (op: OperationFacts) => number) =>
    table(
      id,
      title,
      'Lead organisation',
      'Exploitation type',
      orgs,
      mix,
      crossCount(operations, orgs.keys, mix.keys, (op) => op.leadOrg, mixOf, value),
    );
  const outcomes: TableGroup = {
    id: 'outcomes',
    shareable: true,
    tables: [
      outcome('A7a', 'Arrests by lead organisation and exploitation type', (op) => op.arrests),
      outcome('A7b', 'Charges by lead organisation and exploitation type', (op) => op.charges),
      outcome(
        'A7c',
        'Slavery and trafficking prevention or risk orders sought by lead organisation and exploitation type',
        (op) => op.stpoStroSought,
      ),
    ],
    links: [],
  };
  return [main, movement, byOrg, crime, outcomes];
};

const markerGroup = (month: Month, markers: readonly MarkerFacts[]): TableGroup => {
  const types = dim(MARKER_TYPE_LABELS);
  const sync = dim(SYNC_STATE_LABELS);
  const known = markers.filter(
    (m) => m.markerType in MARKER_TYPE_LABELS && m.pndSyncState in SYNC_STATE_LABELS,
  );
  const current = known.filter((m) => m.period === month);
  const reviewed = known.filter((m) => inMonth(m.lastReviewedOn, month));
  const expired = known.filter((m) => m.status === 'EXPIRED' && inMonth(m.reviewDueOn, month));
  const orgs = orgDim(current.map((m) => m.sourceOrg));
  const one = (id: string, title: string, items: readonly MarkerFacts[], measure: string) =>
    table(
      id,
      title,
      'Marker type',
      'Measure',
      types,
      { keys: [measure], labels: {} },
      crossCount(
        items,
        types.keys,
        [measure],
        (m) => m.markerType,
        () => measure,
      ),
    );
  return {
    id: 'markers',
    shareable: true,
    tables: [
      table(
        'A8a',
        'Markers from this month’s records by marker type and PND sync state',
        'Marker type',
        'PND sync state',
        types,
        sync,
        crossCount(
          current,
          types.keys,
          sync.keys,
          (m) => m.markerType,
          (m) => m.pndSyncState,
        ),
      ),
      one('A8b', 'Markers reviewed in the month by marker type', reviewed, 'Reviewed'),
      one('A8c', 'Markers expired in the month by marker type', expired, 'Expired'),
      table(
        'A8d',
        'Markers from this month’s records by source organisation',
        'Source organisation',
        'Measure',
        orgs,
        { keys: ['Markers'], labels: {} },
        crossCount(
          current,
          orgs.keys,
          ['Markers'],
          (m) => m.sourceOrg,
          () => 'Markers',
        ),
      ),
    ],
    links: [link('A8a', 'grand', 'A8d', 'grand')],
  };
};

/** Whether a key field of a subject record is unknown (exploitation type only counts for victim records). */
const unknownIn = (subject: SubjectFacts, field: string): boolean => {
  switch (field) {
    case 'sex':
      return subject.sex === 'NOT_KNOWN';
    case 'ageAtExploitation':
      return subject.ageAtExploitation === 'UNKNOWN';
    case 'nationality':
      return subject.nationality === UNKNOWN_NATIONALITY;
    default:
      return subject.victim && exploitationMix(subject.exploitationTypes) === 'NOT_SPECIFIED_OR_UNKNOWN';
  }
};

const qualityGroup = (inputs: TableInputs): TableGroup => {
  const { records, ledger } = inputs;
  const orgs = orgDim([...records.readByOrg.keys(), ...ledger.rejectedByOrg.keys()]);
  const outcomes = dim(QUALITY_OUTCOME_LABELS);
  const fields = dim(KEY_FIELD_LABELS);
  const outcomeCells = orgs.keys.map((org) => {
    const counted = records.currentByOrg.get(org) ?? 0;
    const read = records.readByOrg.get(org) ?? 0;
    return [counted, read - counted, ledger.rejectedByOrg.get(org) ?? 0];
  });
  const subjectKinds = {
    keys: ['VICTIM', 'OTHER'],
    labels: { VICTIM: 'Victim records', OTHER: 'Other subject records' },
  };
  return {
    id: 'quality',
    shareable: true,
    tables: [
      table(
        'A9a',
        'Rows submitted by submitter: counted, duplicate (repeated records) and rejected',
        'Submitter',
        'Outcome',
        orgs,
        outcomes,
        outcomeCells,
      ),
      table(
        'A9b',
        'Subject records with an unknown value, by submitter and key field',
        'Submitter',
        'Key field',
        orgs,
        fields,
        orgs.keys.map((org) =>
          fields.keys.map(
            (field) => records.subjects.filter((s) => s.sourceOrg === org && unknownIn(s, field)).length,
          ),
        ),
      ),
      table(
        'A9c',
        'Subject records by submitter (the base of the unknown shares)',
        'Submitter',
        'Records',
        orgs,
        subjectKinds,
        crossCount(
          records.subjects,
          orgs.keys,
          subjectKinds.keys,
          (s) => s.sourceOrg,
          (s) => (s.victim ? 'VICTIM' : 'OTHER'),
        ),
      ),
    ],
    links: [],
  };
};

/** Builds every table group of the month (domain §8.7 A1–A9) from the month's facts. */
export const buildTableGroups = (inputs: TableInputs): TableGroup[] => {
  const victims = inputs.persons.filter((p) => p.victim);
  const suspects = inputs.persons.filter((p) => p.suspectRole !== undefined);
  return [
    victimGroup(victims),
    suspectGroup(suspects),
    ...operationGroups(inputs.records.operations),
    markerGroup(inputs.month, inputs.markers),
    qualityGroup(inputs),
  ];
};

/** All organisations that may submit, for "submitted nothing this month". */
export const ALL_ORGS: readonly string[] = ORG_CODES;
