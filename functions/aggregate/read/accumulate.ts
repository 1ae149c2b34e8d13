import type { CanonicalRecord } from '../../../schemas/canonical/record.ts';
import type { Month } from '../month.ts';
import {
  factsOf,
  type OperationFacts,
  type RecordFacts,
  type SubjectFacts,
  supersedes,
} from './record-facts.ts';

/** Records read from the curated zone per submitting organisation (before resolving repeats). */
export type ReadCounts = ReadonlyMap<string, number>;

/** The current version of every record of the month, and how many records were read per organisation. */
export interface MonthRecords {
  readonly month: Month;
  readonly subjects: readonly SubjectFacts[];
  readonly operations: readonly OperationFacts[];
  /** Current records of any type per organisation (the "counted" rows of A9). */
  readonly currentByOrg: ReadonlyMap<string, number>;
  readonly readByOrg: ReadCounts;
  readonly recordsRead: number;
}

/** Accumulates a month's canonical records one at a time, holding only small facts per distinct record. */
export interface MonthAccumulator {
  readonly add: (record: CanonicalRecord) => void;
  readonly finish: () => MonthRecords;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Starts accumulating the records of `month`. The result does not depend on the order in which records
 * arrive or on how they were split into files: a record seen several times (same type and pseudonymous
 * id) keeps its newest version (`supersedes`), and outputs are sorted by key.
 */
export const createMonthAccumulator = (month: Month): MonthAccumulator => {
  const current = new Map<string, RecordFacts>();
  const readByOrg = new Map<string, number>();
  let recordsRead = 0;
  return {
    add: (record) => {
      recordsRead += 1;
      readByOrg.set(record.sourceOrg, (readByOrg.get(record.sourceOrg) ?? 0) + 1);
      const facts = factsOf(record, month);
      const existing = current.get(facts.key);
      if (existing === undefined || supersedes(facts, existing)) current.set(facts.key, facts);
    },
    finish: () => {
      const all = [...current.values()].sort((a, b) => compare(a.key, b.key));
      const currentByOrg = new Map<string, number>();
      for (const facts of all)
        currentByOrg.set(facts.sourceOrg, (currentByOrg.get(facts.sourceOrg) ?? 0) + 1);
      return {
        month,
        subjects: all.filter((facts): facts is SubjectFacts => facts.kind === 'subject'),
        operations: all.filter((facts): facts is OperationFacts => facts.kind === 'operation'),
        currentByOrg,
        readByOrg: new Map(readByOrg),
        recordsRead,
      };
    },
  };
};
