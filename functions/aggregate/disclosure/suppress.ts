import {
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
} from '../../../schemas/aggregate/disclosure-policy.ts';
import { SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import { MshtError } from '../../shared/errors.ts';
import { type AuditReport, auditRecoverability } from './audit.ts';
import {
  type CellValue,
  type DisclosureSummary,
  type EntryRef,
  entryRefs,
  type PublishedSet,
  type PublishedTable,
  roundingTo,
  roundTo,
  type SuppressionReason,
  valueAt,
} from './published.ts';
import { type CountTable, createTableSet, type MarginLink, type MarginName, type TableSet } from './table.ts';

/**
 * Options of the shareable-tier disclosure control (domain §8.8): the disclosure policy (threshold,
 * rounding base, minimum width; each defaults to `DEFAULT_DISCLOSURE_POLICY`) and whether zeros are
 * sensitive (treat zeros, cells and totals, as sensitive and suppress them too; default false: 0 shown).
 */
export type SuppressionOptions = Partial<DisclosurePolicy> & {
  readonly sensitiveZeros?: boolean;
  /**
   * Entries to hide whatever their value, if non-zero (`table` is the entry's table, for its labels): a
   * revision hides again what the version it replaces hid, so its pattern only grows (carry-forward).
   */
  readonly alsoHide?: (ref: EntryRef, table: CountTable) => boolean;
  /**
   * What an attacker also holds, audited with the set as one system: earlier published tables (exact
   * views: their pattern with exact values; ids distinct from the set's), their links, and inequalities
   * between their entries and the set's (`atLeast`, e.g. a revision that only added records).
   */
  readonly context?: {
    readonly tables: readonly PublishedTable[];
    readonly links: readonly MarginLink[];
    readonly atLeast: readonly { readonly larger: EntryRef; readonly smaller: EntryRef }[];
  };
};

/** The shareable outputs of a table set and the evidence that they protect every suppressed value. */
export interface SuppressionResult {
  /** What may be shared: `[c]` for suppressed values, the rest rounded to the nearest 5. */
  readonly published: PublishedSet;
  /** The same suppression pattern with exact values: for audit and QA only, never to be released. */
  readonly exactView: PublishedSet;
  /** The recoverability audit of `exactView` (the worst case), which the algorithm guarantees is ok. */
  readonly audit: AuditReport;
}

type Status = 'published' | SuppressionReason;

interface Entry {
  readonly ref: EntryRef;
  readonly tableIndex: number;
  readonly value: number;
  readonly isCell: boolean;
}

interface Model {
  readonly set: TableSet;
  readonly entries: readonly Entry[];
  /** entry index → class index */
  readonly classOf: readonly number[];
  readonly classValue: readonly number[];
  readonly classHasCell: readonly boolean[];
  /** class → the tables one of whose cells is in the class (a total equal to a cell is counted once). */
  readonly classCellTables: readonly ReadonlySet<number>[];
  /** Smallest entry index of the class: the deterministic position used to break ties. */
  readonly classOrdinal: readonly number[];
  /** Each sum constraint as the distinct classes with a non-zero net coefficient. */
  readonly equations: readonly (readonly number[])[];
  /** class → indices of the equations it appears in */
  readonly equationsOf: readonly (readonly number[])[];
  readonly keyIndex: ReadonlyMap<string, number>;
}

const keyOf = (ref: EntryRef): string => {
  switch (ref.kind) {
    case 'cell':
      return `${ref.table}|c|${ref.row}|${ref.column}`;
    case 'rowTotal':
      return `${ref.table}|r|${ref.row}`;
    case 'columnTotal':
      return `${ref.table}|k|${ref.column}`;
    default:
      return `${ref.table}|g`;
  }
};

const buildEntries = (tables: readonly CountTable[]): Entry[] =>
  tables.flatMap((table, tableIndex) =>
    entryRefs(table).map((ref) => ({
      ref,
      tableIndex,
      value: valueAt(table, ref) as number,
      isCell: ref.kind === 'cell',
    })),
  );

const marginKeys = (table: CountTable, margin: MarginName): string[] => {
  if (margin === 'rows')
    return table.rows.map((_, r) => keyOf({ table: table.id, kind: 'rowTotal', row: r }));
  if (margin === 'columns') {
    return table.columns.map((_, c) => keyOf({ table: table.id, kind: 'columnTotal', column: c }));
  }
  return [keyOf({ table: table.id, kind: 'grandTotal' })];
};

/**
 * Groups entries that always carry the same value into classes: linked margins (and the grand totals of
 * linked tables), and a cell with its total when it is the only cell of its row or column.
 */
const buildModel = (set: TableSet): Model => {
  const entries = buildEntries(set.tables);
  const keyIndex = new Map(entries.map((entry, i) => [keyOf(entry.ref), i]));
  const index = (key: string): number => keyIndex.get(key) as number;
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    parent[i] = root;
    return root;
  };
  const join = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byId = new Map(set.tables.map((table) => [table.id, table]));
  for (const link of set.links) {
    const a = byId.get(link.a.table) as CountTable;
    const b = byId.get(link.b.table) as CountTable;
    const keysB = marginKeys(b, link.b.margin);
    marginKeys(a, link.a.margin).forEach((key, i) => {
      join(index(key), index(keysB[i] as string));
    });
    join(
      index(keyOf({ table: a.id, kind: 'grandTotal' })),
      index(keyOf({ table: b.id, kind: 'grandTotal' })),
    );
  }
  for (const table of set.tables) {
    const t = table.id;
    const grand = index(keyOf({ table: t, kind: 'grandTotal' }));
    if (table.columns.length === 1) {
      table.rows.forEach((_, r) => {
        join(
          index(keyOf({ table: t, kind: 'cell', row: r, column: 0 })),
          index(keyOf({ table: t, kind: 'rowTotal', row: r })),
        );
      });
      join(index(keyOf({ table: t, kind: 'columnTotal', column: 0 })), grand);
    }
    if (table.rows.length === 1) {
      table.columns.forEach((_, c) => {
        join(
          index(keyOf({ table: t, kind: 'cell', row: 0, column: c })),
          index(keyOf({ table: t, kind: 'columnTotal', column: c })),
        );
      });
      join(index(keyOf({ table: t, kind: 'rowTotal', row: 0 })), grand);
    }
  }
  const roots = [...new Set(entries.map((_, i) => find(i)))].sort((a, b) => a - b);
  const classIndex = new Map(roots.map((root, i) => [root, i]));
  const classOf = entries.map((_, i) => classIndex.get(find(i)) as number);
  const classValue = roots.map((root) => (entries[root] as Entry).value);
  const classHasCell = roots.map(() => false);
  const classCellTables = roots.map(() => new Set<number>());
  entries.forEach((entry, i) => {
    const c = classOf[i] as number;
    if (entry.value !== classValue[c]) {
      throw new MshtError('TABLE_INVALID', 'linked values differ', { context: { table: entry.ref.table } });
    }
    if (entry.isCell) {
      classHasCell[c] = true;
      classCellTables[c]?.add(entry.tableIndex);
    }
  });

  const equations: number[][] = [];
  const addEquation = (terms: readonly (readonly [string, number])[]): void => {
    const net = new Map<number, number>();
    for (const [key, coefficient] of terms) {
      const c = classOf[index(key)] as number;
      net.set(c, (net.get(c) ?? 0) + coefficient);
    }
    const classes = [...net].filter(([, coefficient]) => coefficient !== 0).map(([c]) => c);
    if (classes.length > 0) equations.push(classes);
  };
  for (const table of set.tables) {
    const t = table.id;
    table.rows.forEach((_, r) => {
      addEquation([
        ...table.columns.map((__, c) => [keyOf({ table: t, kind: 'cell', row: r, column: c }), 1] as const),
        [keyOf({ table: t, kind: 'rowTotal', row: r }), -1],
      ]);
    });
    table.columns.forEach((_, c) => {
      addEquation([
        ...table.rows.map((__, r) => [keyOf({ table: t, kind: 'cell', row: r, column: c }), 1] as const),
        [keyOf({ table: t, kind: 'columnTotal', column: c }), -1],
      ]);
    });
    for (const margin of ['rows', 'columns'] as const) {
      addEquation([
        ...marginKeys(table, margin).map((key) => [key, 1] as const),
        [keyOf({ table: t, kind: 'grandTotal' }), -1],
      ]);
    }
  }
  const equationsOf: number[][] = roots.map(() => []);
  equations.forEach((classes, e) => {
    for (const c of classes) (equationsOf[c] as number[]).push(e);
  });
  return {
    set,
    entries,
    classOf,
    classValue,
    classHasCell,
    classCellTables,
    classOrdinal: roots,
    equations,
    equationsOf,
    keyIndex,
  };
};

/** Deterministic preference for complementary suppression: cells before totals, smallest value, first position. */
const preferenceOrder =
  (model: Model) =>
  (a: number, b: number): number =>
    Number(model.classHasCell[b]) - Number(model.classHasCell[a]) ||
    (model.classValue[a] as number) - (model.classValue[b] as number) ||
    (model.classOrdinal[a] as number) - (model.classOrdinal[b] as number);

const isCandidate = (model: Model, status: readonly Status[], c: number): boolean =>
  status[c] === 'published' && (model.classValue[c] as number) > 0;

/**
 * The classic complementary-suppression closure: while some sum constraint (row, column, grand total,
 * shared margin) holds exactly one suppressed class, that class equals the published total minus the
 * published terms, so suppress the most preferred other non-zero class of the constraint as well.
 */
const closeSingletons = (model: Model, status: Status[]): void => {
  const prefer = preferenceOrder(model);
  let changed = true;
  while (changed) {
    changed = false;
    for (const classes of model.equations) {
      const hidden = classes.filter((c) => status[c] !== 'published');
      if (hidden.length !== 1) continue;
      const candidates = classes.filter((c) => isCandidate(model, status, c)).sort(prefer);
      const chosen = candidates[0];
      if (chosen === undefined) continue;
      status[chosen] = 'secondary';
      changed = true;
    }
  }
};

const publishTable = (
  model: Model,
  status: readonly Status[],
  tableIndex: number,
  /** Undefined for the exact view (audit and QA only): no rounding. */
  roundingBase: number | undefined,
  zerosSuppressed: boolean,
): PublishedTable => {
  const table = model.set.tables[tableIndex] as CountTable;
  const summary = { primaryCells: 0, secondaryCells: 0, primaryTotals: 0, secondaryTotals: 0 };
  const show = (ref: EntryRef, isCell: boolean): CellValue => {
    const entryIndex = model.keyIndex.get(keyOf(ref)) as number;
    const c = model.classOf[entryIndex] as number;
    const state = status[c] as Status;
    const value = (model.entries[entryIndex] as Entry).value;
    if (state !== 'published') {
      if (isCell) summary[state === 'primary' ? 'primaryCells' : 'secondaryCells'] += 1;
      else if (model.classCellTables[c]?.has(tableIndex) !== true) {
        summary[state === 'primary' ? 'primaryTotals' : 'secondaryTotals'] += 1;
      }
      return SUPPRESSED;
    }
    return roundingBase === undefined ? value : roundTo(value, roundingBase);
  };
  const t = table.id;
  const cells = table.cells.map((row, r) =>
    row.map((_, c) => show({ table: t, kind: 'cell', row: r, column: c }, true)),
  );
  const rowTotals = table.rowTotals.map((_, r) => show({ table: t, kind: 'rowTotal', row: r }, false));
  const columnTotals = table.columnTotals.map((_, c) =>
    show({ table: t, kind: 'columnTotal', column: c }, false),
  );
  const grandTotal = show({ table: t, kind: 'grandTotal' }, false);
  const disclosure: DisclosureSummary = summary;
  return {
    tier: 'shareable',
    id: t,
    title: table.title,
    rowDimension: table.rowDimension,
    columnDimension: table.columnDimension,
    rows: [...table.rows],
    columns: [...table.columns],
    cells,
    rowTotals,
    columnTotals,
    grandTotal,
    rounding: roundingBase === undefined ? 'none' : roundingTo(roundingBase),
    zerosSuppressed,
    disclosure,
  };
};

const publishSet = (
  model: Model,
  status: readonly Status[],
  roundingBase: number | undefined,
  zeros: boolean,
): PublishedSet => ({
  tables: model.set.tables.map((_, i) => publishTable(model, status, i, roundingBase, zeros)),
  links: model.set.links,
});

/** How many candidates the repair step tries (each with its closure) before taking the first one anyway. */
const LOOKAHEAD = 6;

/**
 * Shareable-tier disclosure control of a table set (domain §8.8). Primary suppression hides every count
 * from 1 to threshold − 1 (cells and totals; zeros too when they are sensitive). Secondary suppression
 * first applies the singleton closure (no row, column, grand total or shared margin with exactly one hidden
 * value), then repeats: audit the pattern exactly (`auditRecoverability` on exact values, every `[c]` known
 * to be ≥ 1 when zeros are shown); if some hidden value is not protected, suppress one more non-zero value
 * sharing a constraint with it (the first that, with its closure, protects it; cells before totals,
 * smallest first) and close again. Each round hides at least one more value, and hiding every non-zero
 * value always protects (scaling the true table is then feasible), so the loop ends with a pattern that
 * the exact audit certifies. Unsuppressed values are then rounded to the nearest multiple of the rounding base.
 */
export const suppressTableSet = (input: TableSet, options: SuppressionOptions = {}): SuppressionResult => {
  const { threshold, roundingBase, minimumWidth } = { ...DEFAULT_DISCLOSURE_POLICY, ...options };
  const sensitiveZeros = options.sensitiveZeros ?? false;
  const set = createTableSet(input.tables, input.links);
  const model = buildModel(set);
  const status: Status[] = model.classValue.map((value) =>
    (value >= 1 && value < threshold) || (value === 0 && sensitiveZeros) ? 'primary' : 'published',
  );
  const prefer = preferenceOrder(model);
  const classOfRef = (ref: EntryRef): number =>
    model.classOf[model.keyIndex.get(keyOf(ref)) as number] as number;
  if (options.alsoHide !== undefined) {
    for (const entry of model.entries) {
      const c = classOfRef(entry.ref);
      const table = set.tables[entry.tableIndex] as CountTable;
      if (status[c] === 'published' && entry.value > 0 && options.alsoHide(entry.ref, table)) {
        status[c] = 'secondary';
      }
    }
  }
  const context = options.context;
  const own = new Set(set.tables.map((table) => table.id));
  const audit = (pattern: readonly Status[], only?: EntryRef): AuditReport => {
    const published = publishSet(model, pattern, undefined, sensitiveZeros);
    return auditRecoverability(
      context === undefined
        ? published
        : { tables: [...published.tables, ...context.tables], links: [...published.links, ...context.links] },
      {
        minimumWidth,
        stopAtFirstUnprotected: true,
        ...(context === undefined ? {} : { atLeast: context.atLeast }),
        ...(only === undefined ? {} : { only: (ref: EntryRef) => keyOf(ref) === keyOf(only) }),
      },
    );
  };
  /** The entry of the set an audited entry stands for: itself, or for a context entry its counterpart. */
  const ownRef = (ref: EntryRef): EntryRef | undefined =>
    own.has(ref.table)
      ? ref
      : context?.atLeast.find((pair) => keyOf(pair.smaller) === keyOf(ref) && own.has(pair.larger.table))
          ?.larger;

  closeSingletons(model, status);
  for (;;) {
    const report = audit(status);
    const failure = report.unprotected[0];
    if (failure === undefined) {
      return {
        published: publishSet(model, status, roundingBase, sensitiveZeros),
        exactView: publishSet(model, status, undefined, sensitiveZeros),
        audit: report,
      };
    }
    const counterpart = ownRef(failure.ref);
    const exposed = counterpart === undefined ? undefined : classOfRef(counterpart);
    const neighbours = new Set<number>();
    if (exposed !== undefined && isCandidate(model, status, exposed)) neighbours.add(exposed);
    for (const e of exposed === undefined ? [] : (model.equationsOf[exposed] ?? [])) {
      for (const c of model.equations[e] ?? []) if (isCandidate(model, status, c)) neighbours.add(c);
    }
    let candidates = [...neighbours].sort(prefer);
    if (candidates.length === 0) {
      candidates = model.classValue
        .map((_, c) => c)
        .filter((c) => isCandidate(model, status, c))
        .sort(prefer);
    }
    if (candidates.length === 0) {
      throw new MshtError('SUPPRESSION_FAILED', 'no value left to suppress', {
        context: { table: failure.ref.table },
      });
    }
    let chosen: Status[] | undefined;
    for (const candidate of candidates.slice(0, LOOKAHEAD)) {
      const trial = [...status];
      trial[candidate] = 'secondary';
      closeSingletons(model, trial);
      if (audit(trial, failure.ref).ok) {
        chosen = trial;
        break;
      }
    }
    if (chosen === undefined) {
      chosen = [...status];
      chosen[candidates[0] as number] = 'secondary';
      closeSingletons(model, chosen);
    }
    status.splice(0, status.length, ...chosen);
  }
};

/** Disclosure control of a single table (a set of one, with no links). */
export const suppressTable = (
  table: CountTable,
  options: SuppressionOptions = {},
): { readonly table: PublishedTable; readonly exactView: PublishedTable; readonly audit: AuditReport } => {
  const result = suppressTableSet({ tables: [table], links: [] }, options);
  return {
    table: result.published.tables[0] as PublishedTable,
    exactView: result.exactView.tables[0] as PublishedTable,
    audit: result.audit,
  };
};
