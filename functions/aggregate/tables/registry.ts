import type { NationalPicture } from '../../../schemas/aggregate/national.ts';
import { type OrgCode, orgRegion, REGIONS } from '../../../schemas/common/organisations.ts';
import type { MarginLink, MarginName } from '../disclosure/table.ts';
import { inMonth, type Month } from '../month.ts';
import type { MonthRecords } from '../read/accumulate.ts';
import type { LinkStats, Person } from '../read/link-subjects.ts';
import type { MarkerFacts } from '../read/marker-facts.ts';
import type { OperationFacts, SubjectFacts } from '../read/record-facts.ts';
import { formatValue } from '../report/chart-spec.ts';
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
  OPERATION_STATUS_LABELS,
  QUALITY_OUTCOME_LABELS,
  SECTOR_ORDER,
  SEX_LABELS,
  SUSPECT_ROLE_LABELS,
  SYNC_STATE_LABELS,
  sectorOf,
  THREAT_TYPE_LABELS,
  UNKNOWN_NATIONALITY,
} from './categories.ts';
import { axis, by, crossTable, orgAxis, single, type TableBody, tableBody } from './dimensions.ts';
import { nationalityAxis, nationalityByAge, nationalityCounts } from './nationality.ts';
import type { Rolling12 } from './rolling-12.ts';

/** Data quality inputs of the month per submitter, from the upload ledger. */
export interface SubmitterLedger {
  /** Rows rejected by validation in the counted uploads, plus rows of failed files. */
  readonly rejectedByOrg: ReadonlyMap<string, number>;
}

/** Everything a table is built from: the month's facts, split into the populations the tables count. */
export interface MonthFacts {
  readonly month: Month;
  readonly records: MonthRecords;
  readonly victims: readonly Person[];
  readonly suspects: readonly Person[];
  readonly markers: readonly MarkerFacts[];
  readonly ledger: SubmitterLedger;
  readonly rolling: Rolling12;
  /** How the month's subject records were linked into persons. */
  readonly linking: LinkStats;
}

/** Which chart the report draws of a table: stacked bars of its cells, or bars of its row totals. */
export interface ChartChoice {
  readonly kind: 'stacked' | 'row-totals';
  readonly title: string;
}

/** One table of the national picture, declared once: how it is built and how the report shows it. */
export interface TableSpec {
  readonly id: string;
  readonly title: string | ((facts: MonthFacts) => string);
  readonly build: (facts: MonthFacts) => TableBody;
  readonly chart?: ChartChoice;
  /** Notes under the table in the report. */
  readonly notes?: (national: NationalPicture) => readonly string[];
  /**
   * Whether each row is a region or an organisation that submits returns: a row none of whose
   * organisations had a counted return is shown as "not submitted" (`notSubmitted` in national.json).
   */
  readonly rows?: 'regions' | 'organisations';
}

/** Tables protected together (one population; `links` say which margins are the same numbers). */
export interface GroupSpec {
  readonly id: string;
  /** False for groups published in the internal tier only. */
  readonly shareable: boolean;
  readonly tables: readonly TableSpec[];
  readonly links: readonly MarginLink[];
}

/** The report heading of each family of tables (domain §8.7 A1–A9), e.g. A2a and A2b: Potential victims. */
export const FAMILY_HEADINGS: Readonly<Record<string, string>> = {
  A1: 'Operations',
  A2: 'Potential victims',
  A3: 'Victim nationality',
  A4: 'Suspects and offenders',
  A5: 'Exploitation location and sector',
  A6: 'Crime recording against NRM referrals',
  A7: 'Outcomes',
  A8: 'Markers',
  A9: 'Data quality by submitter',
};

const link = (a: string, am: MarginName, b: string, bm: MarginName): MarginLink => ({
  a: { table: a, margin: am },
  b: { table: b, margin: bm },
});
const stacked = (title: string): ChartChoice => ({ kind: 'stacked', title });
const rowTotals = (title: string): ChartChoice => ({ kind: 'row-totals', title });

const MIX = axis('Exploitation type', EXPLOITATION_MIX);
const SEX = axis('Sex', SEX_LABELS);
const AGE = axis('Age at exploitation', AGE_AT_EXPLOITATION_LABELS);
const ROLE = axis('Role', SUSPECT_ROLE_LABELS);
const REGION = { name: 'Region', keys: [...REGIONS], labels: {} };
const STATUS = axis('Status at month end', OPERATION_STATUS_LABELS);
const THREAT = axis('Threat type', THREAT_TYPE_LABELS);
const MARKER_TYPE = axis('Marker type', MARKER_TYPE_LABELS);

const personMix = by(MIX, (p: Person) => exploitationMix(p.exploitationTypes));
const personSex = by(SEX, (p: Person) => p.sex);
const roleOf = (p: Person) => p.suspectRole ?? 'SUSPECT';
const opMix = by(MIX, (op: OperationFacts) => exploitationMix(op.exploitationTypes));
/** An operation counts under its submitting organisation, never the lead it names (docs/aggregates.md). */
const opRegion = by(REGION, (op: OperationFacts) => orgRegion(op.sourceOrg as OrgCode));
const opStatus = by(STATUS, (op: OperationFacts) => op.status);
const opThreat = by(THREAT, (op: OperationFacts) => op.threatType);
const markerType = by(MARKER_TYPE, (m: MarkerFacts) => m.markerType);

const submittingOrgs = (f: MonthFacts) =>
  by(
    orgAxis(
      'Submitting organisation',
      f.records.operations.map((op) => op.sourceOrg),
    ),
    (op: OperationFacts) => op.sourceOrg,
  );
const submitters = (f: MonthFacts) =>
  orgAxis('Submitter', [...f.records.readByOrg.keys(), ...f.ledger.rejectedByOrg.keys()]);

/** A submitting organisation × measure table summing an operation count. */
const perSubmittingOrg = (f: MonthFacts, measure: string, value: (op: OperationFacts) => number): TableBody =>
  crossTable(
    f.records.operations,
    submittingOrgs(f),
    by(single('Measure', measure), () => measure),
    value,
  );

/** A submitting organisation × exploitation type table summing an operation count. */
const outcome = (id: string, title: string, value: (op: OperationFacts) => number): TableSpec => ({
  id,
  title,
  rows: 'organisations',
  build: (f) => crossTable(f.records.operations, submittingOrgs(f), opMix, value),
  notes: () => [OWN_PART_NOTE],
});

/** The note of every table of operation figures by organisation or region. */
const OWN_PART_NOTE =
  'Each organisation reports its own part of an operation and its figures count under that submitting ' +
  'organisation, whichever lead it names; a joint operation reported by two organisations is two operation ' +
  'returns, one under each.';

const KNOWN_MARKERS = (m: MarkerFacts) =>
  m.markerType in MARKER_TYPE_LABELS && m.pndSyncState in SYNC_STATE_LABELS;
const currentMarkers = (f: MonthFacts) => f.markers.filter((m) => KNOWN_MARKERS(m) && m.period === f.month);

/** A marker type × measure table counting the markers `which` selects. */
const markerCount = (
  id: string,
  title: string,
  measure: string,
  which: (m: MarkerFacts, month: Month) => boolean,
): TableSpec => ({
  id,
  title,
  build: (f) =>
    crossTable(
      f.markers.filter((m) => KNOWN_MARKERS(m) && which(m, f.month)),
      markerType,
      by(single('Measure', measure), () => measure),
    ),
});

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

/** The rates whose id starts with `prefix`, as report notes. */
const rateNotes =
  (prefix: string) =>
  (national: NationalPicture): string[] =>
    national.rates
      .filter((rate) => rate.id.startsWith(prefix))
      .map(
        (rate) =>
          `${rate.label}: ${rate.rows.map((row) => `${row.label} ${formatValue(row.percent)}%`).join('; ')}.`,
      );

/**
 * Every table of the month (domain §8.7 A1–A9), by group, in publication order: adding a table means one
 * entry here (and its test). Groups share no margins, so each is protected on its own.
 */
export const TABLE_GROUPS: readonly GroupSpec[] = [
  {
    id: 'victims',
    shareable: true,
    tables: [
      {
        id: 'A2a',
        title: 'Potential victims by exploitation type and sex',
        build: (f) => crossTable(f.victims, personMix, personSex),
        chart: stacked('Exploitation mix of potential victims, by sex'),
      },
      {
        id: 'A2b',
        title: 'Potential victims by exploitation type and age at exploitation',
        build: (f) =>
          crossTable(
            f.victims,
            personMix,
            by(AGE, (p) => p.ageAtExploitation),
          ),
        chart: stacked('Exploitation mix of potential victims, by age at exploitation'),
      },
      {
        id: 'A3',
        title: 'Potential victims by nationality and age at exploitation',
        build: (f) => nationalityByAge(nationalityCounts(f.victims)),
        chart: rowTotals('Nationalities of potential victims'),
        notes: () => [
          "Rows are in a fixed reference order whatever the month's counts: the United Kingdom, then the most " +
            'common other nationalities of NRM referrals in recent years, then all others, then not known.',
        ],
      },
      {
        id: 'A5',
        title: 'Potential victims by sector and location of exploitation',
        build: (f) => {
          const sector = (p: Person) => sectorOf(p.labourIndustry, p.exploitationSubTypes);
          const present = SECTOR_ORDER.filter((label) => f.victims.some((p) => sector(p) === label));
          const sectors = { name: 'Sector', keys: present.length === 0 ? [NO_SECTOR] : present, labels: {} };
          const location = axis('Location of exploitation', EXPLOITATION_LOCATION_LABELS);
          return crossTable(
            f.victims,
            by(sectors, sector),
            by(location, (p) => p.exploitationLocation),
          );
        },
        chart: stacked('Sector and location of exploitation'),
      },
      {
        id: 'A7d',
        title: 'Potential victims by NRM reasonable grounds (rows) and conclusive grounds (columns) decision',
        build: (f) =>
          crossTable(
            f.victims,
            by(axis('Reasonable grounds decision', NRM_DECISION_LABELS), (p) => p.rgDecision ?? 'NOT_KNOWN'),
            by(axis('Conclusive grounds decision', NRM_DECISION_LABELS), (p) => p.cgDecision ?? 'NOT_KNOWN'),
          ),
      },
    ],
    links: [
      link('A2a', 'rows', 'A2b', 'rows'),
      link('A2b', 'columns', 'A3', 'columns'),
      link('A2a', 'grand', 'A5', 'grand'),
      link('A2a', 'grand', 'A7d', 'grand'),
    ],
  },
  {
    id: 'suspects',
    shareable: true,
    tables: [
      {
        id: 'A4a',
        title: 'Suspects and offenders by role and sex',
        build: (f) => crossTable(f.suspects, by(ROLE, roleOf), personSex),
        chart: stacked('Suspects and offenders by role and sex'),
      },
      {
        id: 'A4b',
        title: 'Suspects and offenders by age band and role',
        build: (f) =>
          crossTable(
            f.suspects,
            by(axis('Age band', AGE_BAND_LABELS), (p) => p.ageBand),
            by(ROLE, roleOf),
          ),
        chart: stacked('Suspects and offenders by age band and role'),
      },
      {
        id: 'A4c',
        title: 'Suspects and offenders by nationality and sex',
        build: (f) => {
          const nat = nationalityAxis();
          return crossTable(
            f.suspects,
            by(nat, (p) => nat.of(p.nationality)),
            personSex,
          );
        },
        chart: rowTotals('Nationalities of suspects and offenders'),
      },
    ],
    links: [link('A4a', 'rows', 'A4b', 'columns'), link('A4a', 'columns', 'A4c', 'columns')],
  },
  {
    id: 'operations',
    shareable: true,
    tables: [
      {
        id: 'A1a',
        rows: 'regions',
        title: 'Operation returns by region of the submitting organisation and status at month end',
        build: (f) => crossTable(f.records.operations, opRegion, opStatus),
        chart: stacked('Operation returns by region and status at month end'),
        notes: () => [OWN_PART_NOTE],
      },
      {
        id: 'A1b',
        title: 'Operations by threat type and status at month end',
        build: (f) => crossTable(f.records.operations, opThreat, opStatus),
      },
      {
        id: 'A1c',
        title: 'Operations by exploitation type and threat type',
        build: (f) => crossTable(f.records.operations, opMix, opThreat),
      },
    ],
    links: [link('A1a', 'columns', 'A1b', 'columns'), link('A1b', 'rows', 'A1c', 'columns')],
  },
  {
    id: 'operations-movement',
    shareable: true,
    tables: [
      {
        id: 'A1d',
        rows: 'regions',
        title:
          'Operation returns opened in the month by region of the submitting organisation and threat type',
        build: (f) =>
          crossTable(
            f.records.operations.filter((op) => op.openedInMonth),
            opRegion,
            opThreat,
          ),
        chart: stacked('Operation returns opened in the month by region'),
      },
      {
        id: 'A1e',
        rows: 'regions',
        title:
          'Operation returns closed in the month by region of the submitting organisation and threat type',
        build: (f) =>
          crossTable(
            f.records.operations.filter((op) => op.closedInMonth),
            opRegion,
            opThreat,
          ),
      },
    ],
    links: [],
  },
  {
    // Organisations nest in regions, which the disclosure audit does not model: internal tier only.
    id: 'operations-by-organisation',
    shareable: false,
    tables: [
      {
        id: 'A1f',
        rows: 'organisations',
        title: 'Operation returns by submitting organisation and status at month end',
        build: (f) => crossTable(f.records.operations, submittingOrgs(f), opStatus),
        notes: () => [
          'Internal tier only: organisations nest within regions, which the disclosure audit does not cover.',
          OWN_PART_NOTE,
        ],
      },
    ],
    links: [],
  },
  {
    id: 'crime-recording',
    shareable: true,
    tables: [
      {
        id: 'A6a',
        rows: 'organisations',
        title:
          'Crimes recorded under Home Office class 106 by submitting organisation (distinct crime references on its operations)',
        build: (f) => {
          const orgs = submittingOrgs(f);
          const crimes = new Map<string, Set<string>>();
          for (const op of f.records.operations) {
            const refs = crimes.get(op.sourceOrg) ?? new Set<string>();
            for (const ref of op.crimeRefs106) refs.add(ref);
            crimes.set(op.sourceOrg, refs);
          }
          return tableBody(
            orgs,
            single('Measure', 'Crimes recorded'),
            orgs.keys.map((org) => [crimes.get(org)?.size ?? 0]),
          );
        },
      },
      {
        id: 'A6b',
        rows: 'organisations',
        title: 'NRM referrals made by submitting organisation (operation returns)',
        build: (f) => perSubmittingOrg(f, 'NRM referrals', (op) => op.nrmReferralsMade),
        chart: rowTotals('NRM referrals by submitting organisation'),
        notes: (national) => [...rateNotes('crimesPer100')(national), OWN_PART_NOTE],
      },
      {
        id: 'A6c',
        rows: 'organisations',
        title: 'Duty to Notify reports by submitting organisation (operation returns)',
        build: (f) => perSubmittingOrg(f, 'DtN reports', (op) => op.dtnReports),
      },
    ],
    links: [],
  },
  {
    id: 'outcomes',
    shareable: true,
    tables: [
      {
        ...outcome('A7a', 'Arrests by submitting organisation and exploitation type', (op) => op.arrests),
        chart: stacked('Arrests by submitting organisation and exploitation type'),
      },
      outcome('A7b', 'Charges by submitting organisation and exploitation type', (op) => op.charges),
      outcome(
        'A7c',
        'Slavery and trafficking prevention or risk orders sought by submitting organisation and exploitation type',
        (op) => op.stpoStroSought,
      ),
    ],
    links: [],
  },
  {
    id: 'markers',
    shareable: true,
    tables: [
      {
        id: 'A8a',
        title: 'Markers from this month’s records by marker type and PND sync state',
        build: (f) =>
          crossTable(
            currentMarkers(f),
            markerType,
            by(axis('PND sync state', SYNC_STATE_LABELS), (m) => m.pndSyncState),
          ),
        chart: stacked('Markers by type and PND sync state'),
      },
      markerCount('A8b', 'Markers reviewed in the month by marker type', 'Reviewed', (m, month) =>
        inMonth(m.lastReviewedOn, month),
      ),
      markerCount(
        'A8c',
        'Markers expired in the month by marker type',
        'Expired',
        (m, month) => m.status === 'EXPIRED' && inMonth(m.reviewDueOn, month),
      ),
      {
        id: 'A8d',
        rows: 'organisations',
        title: 'Markers from this month’s records by source organisation',
        build: (f) => {
          const current = currentMarkers(f);
          return crossTable(
            current,
            by(
              orgAxis(
                'Source organisation',
                current.map((m) => m.sourceOrg),
              ),
              (m) => m.sourceOrg,
            ),
            by(single('Measure', 'Markers'), () => 'Markers'),
          );
        },
      },
    ],
    links: [link('A8a', 'grand', 'A8d', 'grand')],
  },
  {
    id: 'quality',
    shareable: true,
    tables: [
      {
        id: 'A9a',
        rows: 'organisations',
        title: 'Rows submitted by submitter: counted, duplicate (repeated records) and rejected',
        build: (f) => {
          const orgs = submitters(f);
          return tableBody(
            orgs,
            axis('Outcome', QUALITY_OUTCOME_LABELS),
            orgs.keys.map((org) => {
              const counted = f.records.currentByOrg.get(org) ?? 0;
              const read = f.records.readByOrg.get(org) ?? 0;
              return [counted, read - counted, f.ledger.rejectedByOrg.get(org) ?? 0];
            }),
          );
        },
        chart: stacked('Data quality by submitter: rows counted, duplicate and rejected'),
      },
      {
        id: 'A9b',
        rows: 'organisations',
        title: 'Subject records with an unknown value, by submitter and key field',
        build: (f) => {
          const orgs = submitters(f);
          const fields = axis('Key field', KEY_FIELD_LABELS);
          return tableBody(
            orgs,
            fields,
            orgs.keys.map((org) =>
              fields.keys.map(
                (field) =>
                  f.records.subjects.filter((s) => s.sourceOrg === org && unknownIn(s, field)).length,
              ),
            ),
          );
        },
      },
      {
        id: 'A9c',
        rows: 'organisations',
        title: 'Subject records by submitter (the base of the unknown shares)',
        build: (f) =>
          crossTable(
            f.records.subjects,
            by(submitters(f), (s) => s.sourceOrg),
            by(
              {
                name: 'Records',
                keys: ['VICTIM', 'OTHER'],
                labels: { VICTIM: 'Victim records', OTHER: 'Other subject records' },
              },
              (s) => (s.victim ? 'VICTIM' : 'OTHER'),
            ),
          ),
        notes: (national) => [
          ...rateNotes('unknown-')(national),
          `Organisations that submitted nothing for the month: ${national.submitters.nothingSubmitted.length}` +
            ` (${national.submitters.nothingSubmitted.join(', ') || 'none'}).`,
          `Late submissions (received after the submission deadline): ${national.submitters.late.join(', ') || 'none'}.`,
        ],
      },

      {
        id: 'A9d',
        title:
          'Subject records by how they were counted: one per person, or linked to another record of the same person',
        build: (f) =>
          tableBody(
            {
              name: 'Record',
              keys: ['PERSON', 'NRM', 'PNC', 'PASSPORT'],
              labels: {
                PERSON: 'Counted as a person',
                NRM: 'Linked by NRM reference',
                PNC: 'Linked by PNC ID',
                PASSPORT: 'Linked by passport',
              },
            },
            single('Measure', 'Subject records'),
            [
              [f.linking.persons],
              [f.linking.byRule.nrmReference],
              [f.linking.byRule.pncId],
              [f.linking.byRule.passport],
            ],
          ),
        notes: () => [
          'Victims are counted once nationally: records of the same person (same NRM reference, PNC ID, or ' +
            'passport number and issuing state) are linked, in that order of rules.',
        ],
      },
    ],
    links: [link('A9c', 'grand', 'A9d', 'grand')],
  },
  {
    // Not protected on its own: the shareable tier's A3r is the sum of the published monthly A3 tables
    // (aggregate-core, rolling-12.ts), so it adds nothing an attacker could difference.
    id: 'rolling-12-months',
    shareable: false,
    tables: [
      {
        id: 'A3r',
        title: (f) =>
          `Potential victims by nationality and age at exploitation, rolling 12 months ${f.rolling.from} to ${f.month} (sum of monthly counts)`,
        build: (f) => nationalityByAge(f.rolling.counts),
        chart: rowTotals('Nationalities of potential victims, rolling 12 months'),
        notes: (national) => [
          national.tier === 'internal'
            ? `Sum of the monthly counts of ${national.rolling12.monthsWithData} month(s) with outputs from ` +
              `${national.rolling12.from} to ${national.rolling12.to}: a person reported in two months counts in each.`
            : `Sum of the published monthly figures (table A3) of the months with outputs from ` +
              `${national.rolling12.from} to ${national.rolling12.to}, each as published (rounded): [c] where any ` +
              "month's figure is [c]. A person reported in two months counts in each.",
        ],
      },
    ],
    links: [],
  },
];

/** The declaration of a table by id (undefined for an unknown id). */
export const tableSpec = (id: string): TableSpec | undefined =>
  TABLE_GROUPS.flatMap((group) => group.tables).find((spec) => spec.id === id);
