import { DEFAULT_DISCLOSURE_POLICY } from '../../../schemas/aggregate/disclosure-policy.ts';
import { SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import { MshtError } from '../../shared/errors.ts';
import {
  compareRational,
  createRangeSolver,
  type LinearEquation,
  rational,
  subtractRational,
} from './exact-lp.ts';
import {
  type CellValue,
  describeEntry,
  type EntryRef,
  type PublishedSet,
  type PublishedTable,
  valueAt,
} from './published.ts';
import type { MarginLink, MarginName } from './table.ts';

/** The feasible range of one suppressed value given everything that is published. */
export interface EntryAudit {
  readonly ref: EntryRef;
  readonly label: string;
  readonly lower: number;
  /** Infinity when nothing published bounds the value from above. */
  readonly upper: number;
  readonly width: number;
  /** The published values pin this entry to a single value: it is disclosed. */
  readonly determined: boolean;
  /** The range is at least `minimumWidth` wide, so it holds other values than the true one. */
  readonly isProtected: boolean;
}

/** The outcome of a recoverability audit. */
export interface AuditReport {
  /** No audited suppressed entry is unprotected. */
  readonly ok: boolean;
  /**
   * True when the linear-programming bounds are also the integer bounds: the set is network-structured
   * (single tables, or chains of tables linked through one margin class each), whose constraint matrix is
   * totally unimodular. Otherwise the bounds are those of the LP relaxation and may be wider than what an
   * attacker using integer programming could derive.
   */
  readonly exact: boolean;
  readonly minimumWidth: number;
  readonly entries: readonly EntryAudit[];
  readonly unprotected: readonly EntryAudit[];
}

/** Options of `auditRecoverability`. */
export interface AuditOptions {
  /** The smallest feasible-range width that counts as protected (default: the policy's, 1 = two integers). */
  readonly minimumWidth?: number;
  /** Stop at the first unprotected entry (used by the suppression loop; the report is then partial). */
  readonly stopAtFirstUnprotected?: boolean;
  /** Audit only these entries (the linear system still uses everything published). */
  readonly only?: (ref: EntryRef) => boolean;
  /**
   * What else the attacker knows: pairs of entries (of any tables of the set) where `larger` is at least
   * `smaller`, e.g. each value of a revised month against the version it replaces when the revision only
   * added records.
   */
  readonly atLeast?: readonly { readonly larger: EntryRef; readonly smaller: EntryRef }[];
}

const inconsistent = (message: string, table: string): MshtError =>
  new MshtError('AUDIT_INCONSISTENT', message, { context: { table } });

const entryKey = (ref: EntryRef): string => {
  switch (ref.kind) {
    case 'cell':
      return `${ref.table}\u0000c\u0000${ref.row}\u0000${ref.column}`;
    case 'rowTotal':
      return `${ref.table}\u0000r\u0000${ref.row}`;
    case 'columnTotal':
      return `${ref.table}\u0000k\u0000${ref.column}`;
    default:
      return `${ref.table}\u0000g`;
  }
};

const marginRefs = (table: PublishedTable, margin: MarginName): EntryRef[] => {
  if (margin === 'rows') return table.rows.map((_, row) => ({ table: table.id, kind: 'rowTotal', row }));
  if (margin === 'columns') {
    return table.columns.map((_, column) => ({ table: table.id, kind: 'columnTotal', column }));
  }
  return [{ table: table.id, kind: 'grandTotal' }];
};

/**
 * Whether LP bounds are exact integer bounds: every margin class (margins joined by row/column links) is
 * shared by at most two tables and the graph of margin classes joined by tables has no cycle, so the set is
 * a chain of transportation problems, i.e. a network-flow polytope (grand-total links join chains in series).
 */
export const isNetworkStructured = (
  tables: readonly { readonly id: string }[],
  links: readonly MarginLink[],
) => {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(node, root);
    return root;
  };
  const join = (a: string, b: string): boolean => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return false;
    parent.set(ra, rb);
    return true;
  };
  for (const link of links) {
    if (link.a.margin === 'grand') continue;
    join(`${link.a.table}\u0000${link.a.margin}`, `${link.b.table}\u0000${link.b.margin}`);
  }
  const shared = new Map<string, number>();
  for (const table of tables) {
    for (const margin of ['rows', 'columns']) {
      const root = find(`${table.id}\u0000${margin}`);
      shared.set(root, (shared.get(root) ?? 0) + 1);
    }
  }
  if ([...shared.values()].some((count) => count > 2)) return false;
  const classParent = new Map<string, string>();
  const findClass = (node: string): string => {
    let root = node;
    while (classParent.has(root) && classParent.get(root) !== root) root = classParent.get(root) as string;
    classParent.set(node, root);
    return root;
  };
  for (const table of tables) {
    const a = findClass(find(`${table.id}\u0000rows`));
    const b = findClass(find(`${table.id}\u0000columns`));
    if (a === b) return false;
    classParent.set(a, b);
  }
  return true;
};

/**
 * Audits published tables for exact recovery of suppressed values (the attacker's view). The input must hold
 * the EXACT (unrounded) published values: the worst case, as rounding only widens what an attacker can
 * infer. Each suppressed entry becomes a variable with lower bound 0 (or 1 when zeros are published, so a
 * `[c]` cannot hide a zero); the equations are every row, column and grand-total sum of every table plus
 * the equalities of linked margins. For each variable, min and max are solved exactly (rational simplex).
 */
export const auditRecoverability = (published: PublishedSet, options: AuditOptions = {}): AuditReport => {
  const minimumWidth = options.minimumWidth ?? DEFAULT_DISCLOSURE_POLICY.minimumWidth;
  const byId = new Map(published.tables.map((table) => [table.id, table]));
  const variables = new Map<string, number>();
  const refs: EntryRef[] = [];
  const lowerBounds: number[] = [];
  const equations: LinearEquation[] = [];

  const term = (
    table: PublishedTable,
    ref: EntryRef,
    coefficient: number,
    equation: { terms: [number, number][]; rhs: number },
  ) => {
    const value = valueAt(table, ref) as CellValue;
    if (value === SUPPRESSED) {
      const key = entryKey(ref);
      let variable = variables.get(key);
      if (variable === undefined) {
        variable = refs.length;
        variables.set(key, variable);
        refs.push(ref);
        lowerBounds.push(table.zerosSuppressed ? 0 : 1);
      }
      equation.terms.push([variable, coefficient]);
    } else {
      equation.rhs -= coefficient * value;
    }
  };

  for (const table of published.tables) {
    if (table.rounding !== 'none') {
      throw new MshtError('AUDIT_NEEDS_EXACT', 'audit the exact (unrounded) published values', {
        context: { table: table.id },
      });
    }
    const id = table.id;
    const sums: { terms: [number, number][]; rhs: number }[] = [];
    table.rows.forEach((_, row) => {
      const equation = { terms: [] as [number, number][], rhs: 0 };
      table.columns.forEach((__, column) => {
        term(table, { table: id, kind: 'cell', row, column }, 1, equation);
      });
      term(table, { table: id, kind: 'rowTotal', row }, -1, equation);
      sums.push(equation);
    });
    table.columns.forEach((_, column) => {
      const equation = { terms: [] as [number, number][], rhs: 0 };
      table.rows.forEach((__, row) => {
        term(table, { table: id, kind: 'cell', row, column }, 1, equation);
      });
      term(table, { table: id, kind: 'columnTotal', column }, -1, equation);
      sums.push(equation);
    });
    for (const margin of ['rows', 'columns'] as const) {
      const equation = { terms: [] as [number, number][], rhs: 0 };
      for (const ref of marginRefs(table, margin)) term(table, ref, 1, equation);
      term(table, { table: id, kind: 'grandTotal' }, -1, equation);
      sums.push(equation);
    }
    equations.push(...sums);
  }
  for (const link of published.links) {
    const a = byId.get(link.a.table);
    const b = byId.get(link.b.table);
    if (a === undefined || b === undefined) throw inconsistent('a link names an unknown table', link.a.table);
    const refsA = [...marginRefs(a, link.a.margin), { table: a.id, kind: 'grandTotal' } as const];
    const refsB = [...marginRefs(b, link.b.margin), { table: b.id, kind: 'grandTotal' } as const];
    if (refsA.length !== refsB.length) throw inconsistent('linked margins differ in length', a.id);
    refsA.forEach((refA, i) => {
      const equation = { terms: [] as [number, number][], rhs: 0 };
      term(a, refA, 1, equation);
      term(b, refsB[i] as EntryRef, -1, equation);
      equations.push(equation);
    });
  }

  // Each inequality larger − smaller ≥ 0 is an equation with a slack variable of its own (never audited).
  const inequalities: { terms: [number, number][]; rhs: number }[] = [];
  for (const pair of options.atLeast ?? []) {
    const larger = byId.get(pair.larger.table);
    const smaller = byId.get(pair.smaller.table);
    if (larger === undefined || smaller === undefined) {
      throw inconsistent('a pair names an unknown table', pair.larger.table);
    }
    const inequality = { terms: [] as [number, number][], rhs: 0 };
    term(larger, pair.larger, 1, inequality);
    term(smaller, pair.smaller, -1, inequality);
    if (inequality.terms.length > 0) inequalities.push(inequality);
  }
  const slackBounds = inequalities.map(() => 0);
  inequalities.forEach((inequality, i) => {
    equations.push({ terms: [...inequality.terms, [refs.length + i, -1]], rhs: inequality.rhs });
  });
  const solver = createRangeSolver({
    variableCount: refs.length + slackBounds.length,
    lowerBounds: [...lowerBounds, ...slackBounds],
    equations,
  });
  if (!solver.feasible)
    throw inconsistent('the published values are inconsistent', published.tables[0]?.id ?? '');
  const minimum = rational(Math.round(minimumWidth * 1_000_000), 1_000_000);
  const entries: EntryAudit[] = [];
  const unprotected: EntryAudit[] = [];
  for (let variable = 0; variable < refs.length; variable += 1) {
    const ref = refs[variable] as EntryRef;
    if (options.only !== undefined && !options.only(ref)) continue;
    const range = solver.range(variable);
    const width = range.upper === null ? null : subtractRational(range.upper, range.lower);
    const audit: EntryAudit = {
      ref,
      label: describeEntry(ref, byId.get(ref.table) as PublishedTable),
      lower: range.lower.num / range.lower.den,
      upper: range.upper === null ? Number.POSITIVE_INFINITY : range.upper.num / range.upper.den,
      width: width === null ? Number.POSITIVE_INFINITY : width.num / width.den,
      determined: width !== null && width.num === 0,
      isProtected: width === null || compareRational(width, minimum) >= 0,
    };
    entries.push(audit);
    if (!audit.isProtected) {
      unprotected.push(audit);
      if (options.stopAtFirstUnprotected === true) break;
    }
  }
  return {
    ok: unprotected.length === 0,
    exact: isNetworkStructured(published.tables, published.links),
    minimumWidth,
    entries,
    unprotected,
  };
};
