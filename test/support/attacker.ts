import type { LegacyHighsOptions as HighsOptions } from 'highs';
import * as highsModule from 'highs';
import {
  describeEntry,
  type EntryRef,
  entryRefs,
  matchingEntry,
  sameShape,
  valueAt,
} from '../../functions/aggregate/disclosure/published.ts';
import { monthsEnding } from '../../functions/aggregate/month.ts';
import { TABLE_GROUPS } from '../../functions/aggregate/tables/registry.ts';
import { ROLLING_TABLE } from '../../functions/aggregate/tables/rolling-12.ts';
import type { DisclosurePolicy } from '../../schemas/aggregate/disclosure-policy.ts';
import type { NationalPicture, NationalTable } from '../../schemas/aggregate/national.ts';
import { type AggregateCell, SUPPRESSED } from '../../schemas/aggregate/table.ts';

/**
 * A determined analyst's attack on the shareable tier, by integer programming (HiGHS): every value a
 * shareable reader can read for a month, plus the earlier months' publications and earlier versions of
 * the same month, with each published value read as the interval its rounding implies (`v` > 0 is one of
 * the integers that round to `v`, and at least the threshold, since smaller counts are never shown; 0 is
 * 0; `[c]` is at least 1). What the attacker knows of the method is used too: every table's rows,
 * columns and totals add up; linked tables share their margins (the registry's links); a rolling 12-month
 * cell is the sum of the monthly cells of its window, within the rounding of each month; and, when asked,
 * that a later version of a month only added records (each of its values at least the earlier one's).
 * For every suppressed value (and every suppressed rolling cell, as the sum of its months) it finds the
 * smallest and largest integer the whole system allows.
 */

/** The HiGHS loader (its ESM default export; the package's types describe it as CommonJS). */
const loadHighs = highsModule.default as unknown as () => Promise<{
  solve(
    problem: string,
    options?: Partial<HighsOptions>,
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}>;

/** One shareable publication the attacker holds (a month's shareable national.json). */
export interface Publication {
  readonly doc: NationalPicture;
  /** The same run's internal tier, to check that the attacker's model holds the truth (test only). */
  readonly truth?: NationalPicture;
}

export interface AttackOptions {
  readonly policy: DisclosurePolicy;
  /** Pairs [earlier, later] of publications of the same month where the later one only added records. */
  readonly onlyAdded?: readonly (readonly [number, number])[];
}

/** The feasible range the attacker found for one suppressed value. */
export interface Finding {
  readonly publication: number;
  readonly month: string;
  readonly table: string;
  readonly entry: string;
  readonly lower: number;
  /** Infinity when nothing bounds it. */
  readonly upper: number;
  readonly width: number;
  readonly truth?: number;
}

/** The integers that a published value can stand for: [lower, upper] (upper null: unbounded). */
export const publishedInterval = (
  value: AggregateCell,
  policy: DisclosurePolicy,
): readonly [number, number | null] => {
  if (value === SUPPRESSED) return [1, null];
  if (value === 0) return [0, 0];
  const half = policy.roundingBase / 2;
  // roundTo(n) = v  ⇔  v − base/2 ≤ n < v + base/2 (ties round up).
  return [Math.max(Math.ceil(value - half), policy.threshold), Math.ceil(value + half) - 1];
};

/** The registry's margin links, by table id pairs. */
const LINKS = TABLE_GROUPS.flatMap((group) => group.links);

/** The component a table's variables belong to: its group, with the rolling table in its monthly table's. */
const componentOf = (table: NationalTable): string => {
  if (table.id === ROLLING_TABLE.id) {
    return TABLE_GROUPS.find((g) => g.tables.some((t) => t.id === ROLLING_TABLE.of))?.id ?? table.group;
  }
  return table.group;
};

interface Component {
  readonly constraints: string[];
  readonly bounds: Map<string, readonly [number, number | null]>;
  readonly objectives: {
    readonly terms: string;
    readonly finding: Omit<Finding, 'lower' | 'upper' | 'width'>;
  }[];
}

/** Finds the feasible range of every suppressed value over everything the attacker holds. */
export const attack = async (
  publications: readonly Publication[],
  options: AttackOptions,
): Promise<Finding[]> => {
  const { policy } = options;
  const components = new Map<string, Component>();
  const component = (key: string): Component => {
    let c = components.get(key);
    if (c === undefined) {
      c = { constraints: [], bounds: new Map(), objectives: [] };
      components.set(key, c);
    }
    return c;
  };
  const name = (p: number, ref: EntryRef) =>
    `p${p}_${ref.table.replace(/[^A-Za-z0-9]/g, '')}_${ref.kind}${'row' in ref ? ref.row : ''}_${'column' in ref ? ref.column : ''}`;
  const truthOf = (p: number, ref: EntryRef): number | undefined => {
    const truth = publications[p]?.truth?.tables.find((t) => t.id === ref.table);
    const value = truth === undefined ? undefined : valueAt(truth, ref);
    return typeof value === 'number' ? value : undefined;
  };

  publications.forEach(({ doc }, p) => {
    const tables = new Map(doc.tables.map((t) => [t.id, t]));
    for (const table of doc.tables) {
      if (table.id === ROLLING_TABLE.id) continue;
      const c = component(componentOf(table));
      const t = table.id;
      const v = (ref: EntryRef) => name(p, ref);
      for (const ref of entryRefs(table)) {
        const value = valueAt(table, ref) as AggregateCell;
        c.bounds.set(v(ref), publishedInterval(value, policy));
        if (value === SUPPRESSED) {
          const truth = truthOf(p, ref);
          c.objectives.push({
            terms: v(ref),
            finding: {
              publication: p,
              month: doc.month,
              table: t,
              entry: describeEntry(ref, table),
              ...(truth === undefined ? {} : { truth }),
            },
          });
        }
      }
      table.rows.forEach((_, row) => {
        const cells = table.columns.map((__, column) => v({ table: t, kind: 'cell', row, column }));
        c.constraints.push(`${cells.join(' + ')} - ${v({ table: t, kind: 'rowTotal', row })} = 0`);
      });
      table.columns.forEach((_, column) => {
        const cells = table.rows.map((__, row) => v({ table: t, kind: 'cell', row, column }));
        c.constraints.push(`${cells.join(' + ')} - ${v({ table: t, kind: 'columnTotal', column })} = 0`);
      });
      const grand = v({ table: t, kind: 'grandTotal' });
      const rowTotals = table.rows.map((_, row) => v({ table: t, kind: 'rowTotal', row }));
      const columnTotals = table.columns.map((_, column) => v({ table: t, kind: 'columnTotal', column }));
      c.constraints.push(`${rowTotals.join(' + ')} - ${grand} = 0`);
      c.constraints.push(`${columnTotals.join(' + ')} - ${grand} = 0`);
    }
    // Linked margins are the same numbers.
    for (const link of LINKS) {
      const a = tables.get(link.a.table);
      const b = tables.get(link.b.table);
      if (a === undefined || b === undefined) continue;
      const c = component(componentOf(a));
      const margin = (x: NationalTable, m: string): EntryRef[] => [
        ...(m === 'rows' ? x.rows.map((_, row) => ({ table: x.id, kind: 'rowTotal' as const, row })) : []),
        ...(m === 'columns'
          ? x.columns.map((_, column) => ({ table: x.id, kind: 'columnTotal' as const, column }))
          : []),
        { table: x.id, kind: 'grandTotal' as const },
      ];
      const mb = margin(b, link.b.margin);
      margin(a, link.a.margin).forEach((ra, i) => {
        c.constraints.push(`${name(p, ra)} - ${name(p, mb[i] as EntryRef)} = 0`);
      });
    }
    // A rolling 12-month cell is the sum of its months' cells, each month within its rounding.
    const rolling = tables.get(ROLLING_TABLE.id);
    const window = new Set(monthsEnding(doc.month, 12));
    const months = new Map<string, number>([[doc.month, p]]);
    publications.forEach((other, q) => {
      const m = other.doc.month;
      if (q !== p && m < doc.month && window.has(m)) months.set(m, q);
    });
    // Cells are summed by position, so every month's monthly table must have the rolling table's rows.
    const alignedWith = (q: number) => {
      const monthly = publications[q]?.doc.tables.find((t) => t.id === ROLLING_TABLE.of);
      return rolling !== undefined && monthly !== undefined && sameShape(monthly, rolling);
    };
    if (rolling !== undefined && [...months.values()].every(alignedWith)) {
      const c = component(componentOf(rolling));
      const slack = (policy.roundingBase - 1) * months.size;
      for (const ref of entryRefs(rolling)) {
        const terms = [...months.values()]
          .map((q) => name(q, { ...ref, table: ROLLING_TABLE.of }))
          .join(' + ');
        const value = valueAt(rolling, ref) as AggregateCell;
        if (value === SUPPRESSED) {
          c.objectives.push({
            terms,
            finding: {
              publication: p,
              month: doc.month,
              table: rolling.id,
              entry: describeEntry(ref, rolling),
            },
          });
        } else {
          c.constraints.push(`${terms} >= ${Math.max(0, value - slack)}`);
          c.constraints.push(`${terms} <= ${value + slack}`);
        }
      }
    }
  });
  // Later versions of a month that only added records: every value at least the earlier one's.
  for (const [earlier, later] of options.onlyAdded ?? []) {
    const before = publications[earlier]?.doc;
    const after = publications[later]?.doc;
    if (before === undefined || after === undefined) continue;
    for (const table of after.tables) {
      const old = before.tables.find((t) => t.id === table.id);
      if (old === undefined || table.id === ROLLING_TABLE.id) continue;
      const c = component(componentOf(table));
      for (const ref of entryRefs(table)) {
        const same = matchingEntry(ref, table, old);
        if (same !== undefined) c.constraints.push(`${name(later, ref)} - ${name(earlier, same)} >= 0`);
      }
    }
  }

  const highs = await loadHighs();
  const findings: Finding[] = [];
  for (const c of components.values()) {
    if (c.objectives.length === 0) continue;
    const body = [
      'Subject To',
      ...c.constraints.map((line, i) => ` e${i}: ${line}`),
      'Bounds',
      ...[...c.bounds].map(([v, [lo, hi]]) => (hi === null ? ` ${v} >= ${lo}` : ` ${lo} <= ${v} <= ${hi}`)),
      'End',
    ].join('\n');
    const integers = `Generals\n ${[...c.bounds.keys()].join(' ')}\n`;
    const run = (sense: 'Minimize' | 'Maximize', terms: string, integer: boolean) =>
      highs.solve(`${sense}\n obj: ${terms}\n${integer ? body.replace('End', `${integers}End`) : body}`, {
        output_flag: false,
        mip_rel_gap: 0,
        time_limit: 60,
      });
    // The LP relaxation first: an integer program with rational data is unbounded exactly when its
    // relaxation is (and HiGHS proves that far faster); otherwise the integer optimum is the bound.
    const solve = (sense: 'Minimize' | 'Maximize', terms: string): number => {
      const relaxed = run(sense, terms, false);
      if (relaxed.Status === 'Unbounded' || relaxed.Status === 'Primal infeasible or unbounded') {
        if (sense === 'Maximize') return Number.POSITIVE_INFINITY;
      }
      // An integral optimal vertex of the relaxation is an integer optimum too.
      const integral = (x: number | undefined) => x !== undefined && Math.abs(x - Math.round(x)) < 1e-9;
      if (relaxed.Status === 'Optimal' && Object.values(relaxed.Columns).every((c) => integral(c.Primal))) {
        return Math.round(relaxed.ObjectiveValue);
      }
      const result = run(sense, terms, true);
      if (result.Status === 'Optimal') return Math.round(result.ObjectiveValue);
      throw new Error(`the attacker's model could not be solved: ${result.Status}`);
    };
    for (const objective of c.objectives) {
      const lower = solve('Minimize', objective.terms);
      const upper = solve('Maximize', objective.terms);
      findings.push({ ...objective.finding, lower, upper, width: upper - lower });
    }
  }
  return findings;
};
