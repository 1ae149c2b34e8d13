import type { LinkIdentifiers, SubjectAttributes, SubjectFacts } from './record-facts.ts';

/** The deterministic linking rules, applied in this order (domain §8.6 DETERMINISTIC clusters). */
export const LINK_RULES = [
  'nrmReference',
  'pncId',
  'passport',
] as const satisfies readonly (keyof LinkIdentifiers)[];
export type LinkRule = (typeof LINK_RULES)[number];

/** One person: linked subject records counted once nationally, with merged attributes (no identifiers). */
export interface Person extends SubjectAttributes {
  /** The smallest subjectId of the members: a stable, pseudonymous handle. */
  readonly id: string;
  readonly records: number;
  readonly orgs: readonly string[];
  readonly victim: boolean;
  /** `OFFENDER` when any record says offender, else `SUSPECT` when any says suspect. */
  readonly suspectRole?: 'OFFENDER' | 'SUSPECT';
}

/** How many links were made, in total and by the rule that first joined the records. */
export interface LinkStats {
  readonly subjectRecords: number;
  readonly persons: number;
  readonly linksMade: number;
  readonly byRule: Readonly<Record<LinkRule, number>>;
  readonly crossOrganisationPersons: number;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest record first, then by subjectId: the order in which members supply a person's attributes. */
const byRecency = (a: SubjectFacts, b: SubjectFacts): number =>
  a.asAt !== b.asAt ? compare(b.asAt, a.asAt) : compare(a.subjectId, b.subjectId);

const firstKnown = (
  members: readonly SubjectFacts[],
  pick: (member: SubjectFacts) => string | undefined,
  unknown: readonly string[],
): string | undefined => {
  for (const member of members) {
    const value = pick(member);
    if (value !== undefined && !unknown.includes(value)) return value;
  }
  return undefined;
};

const mergePerson = (group: readonly SubjectFacts[]): Person => {
  const members = [...group].sort(byRecency);
  const first = members[0] as SubjectFacts;
  const offender = members.some((m) => m.offender);
  const suspect = members.some((m) => m.suspect);
  const labourIndustry = firstKnown(members, (m) => m.labourIndustry, []);
  const rgDecision = firstKnown(members, (m) => m.rgDecision, []);
  const cgDecision = firstKnown(members, (m) => m.cgDecision, []);
  return {
    id: members.map((m) => m.subjectId).sort(compare)[0] as string,
    records: members.length,
    orgs: [...new Set(members.map((m) => m.sourceOrg))].sort(compare),
    victim: members.some((m) => m.victim),
    ...(offender ? { suspectRole: 'OFFENDER' as const } : suspect ? { suspectRole: 'SUSPECT' as const } : {}),
    sex: firstKnown(members, (m) => m.sex, ['NOT_KNOWN']) ?? first.sex,
    ageAtExploitation:
      firstKnown(members, (m) => m.ageAtExploitation, ['UNKNOWN']) ?? first.ageAtExploitation,
    ageBand: firstKnown(members, (m) => m.ageBand, ['UNKNOWN']) ?? first.ageBand,
    nationality: firstKnown(members, (m) => m.nationality, ['XXX']) ?? first.nationality,
    exploitationTypes: [...new Set(members.flatMap((m) => m.exploitationTypes))].sort(compare),
    exploitationSubTypes: [...new Set(members.flatMap((m) => m.exploitationSubTypes))].sort(compare),
    exploitationLocation:
      firstKnown(members, (m) => m.exploitationLocation, ['UNKNOWN']) ?? first.exploitationLocation,
    ...(labourIndustry === undefined ? {} : { labourIndustry }),
    ...(rgDecision === undefined ? {} : { rgDecision }),
    ...(cgDecision === undefined ? {} : { cgDecision }),
  };
};

/**
 * Links subject records of one month into persons, deterministically: two records are the same person
 * when they share an NRM reference, a PNC ID (normalised), or a passport number with the same issuing
 * state; links are transitive. Rules apply in the order of `LINK_RULES`, and `byRule` counts the records
 * each rule joined that earlier rules had not (the drop in the number of groups, which does not depend on
 * the order of the records). A person's attributes come from its newest record, with unknown values
 * filled from older ones; roles and exploitation types are the union over its records.
 */
export const linkSubjects = (subjects: Iterable<SubjectFacts>): { persons: Person[]; stats: LinkStats } => {
  const records = [...subjects].sort((a, b) => compare(a.subjectId, b.subjectId));
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    let node = i;
    while (parent[node] !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const byRule = { nrmReference: 0, pncId: 0, passport: 0 };
  for (const rule of LINK_RULES) {
    const firstWith = new Map<string, number>();
    records.forEach((record, i) => {
      const value = record.identifiers[rule];
      if (value === undefined) return;
      const other = firstWith.get(value);
      if (other === undefined) {
        firstWith.set(value, i);
        return;
      }
      const a = find(i);
      const b = find(other);
      if (a === b) return;
      parent[Math.max(a, b)] = Math.min(a, b);
      byRule[rule] += 1;
    });
  }
  const groups = new Map<number, SubjectFacts[]>();
  records.forEach((record, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [record]);
    else group.push(record);
  });
  const persons = [...groups.values()].map(mergePerson).sort((a, b) => compare(a.id, b.id));
  return {
    persons,
    stats: {
      subjectRecords: records.length,
      persons: persons.length,
      linksMade: records.length - persons.length,
      byRule,
      crossOrganisationPersons: persons.filter((person) => person.orgs.length > 1).length,
    },
  };
};
