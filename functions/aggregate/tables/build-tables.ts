import { createTable, type TableGroup } from '../disclosure/table.ts';
import type { Month } from '../month.ts';
import type { MonthRecords } from '../read/accumulate.ts';
import { type LinkStats, linkSubjects, type Person } from '../read/link-subjects.ts';
import type { MarkerFacts } from '../read/marker-facts.ts';
import { nationalityCounts } from './nationality.ts';
import { type MonthFacts, type SubmitterLedger, TABLE_GROUPS } from './registry.ts';
import { type Rolling12, rolling12 } from './rolling-12.ts';

/** Everything the tables are built from. */
export interface TableInputs {
  readonly month: Month;
  readonly records: MonthRecords;
  readonly persons: readonly Person[];
  readonly markers: readonly MarkerFacts[];
  readonly ledger: SubmitterLedger;
  /** The rolling 12 months (default: this month alone, as when no earlier month has outputs). */
  readonly rolling?: Rolling12;
  /** How the subject records were linked into persons (default: as `linkSubjects` finds them). */
  readonly linking?: LinkStats;
}

/** Builds every table group of the month (domain §8.7 A1–A9) from the month's facts, as `TABLE_GROUPS` declares. */
export const buildTableGroups = (inputs: TableInputs): TableGroup[] => {
  const victims = inputs.persons.filter((p) => p.victim);
  const facts: MonthFacts = {
    month: inputs.month,
    records: inputs.records,
    victims,
    suspects: inputs.persons.filter((p) => p.suspectRole !== undefined),
    markers: inputs.markers,
    ledger: inputs.ledger,
    rolling: inputs.rolling ?? rolling12(inputs.month, nationalityCounts(victims), []),
    linking: inputs.linking ?? linkSubjects(inputs.records.subjects).stats,
  };
  return TABLE_GROUPS.map((group) => ({
    id: group.id,
    shareable: group.shareable,
    links: group.links,
    tables: group.tables.map((spec) =>
      createTable({
        id: spec.id,
        title: typeof spec.title === 'string' ? spec.title : spec.title(facts),
        ...spec.build(facts),
      }),
    ),
  }));
};
