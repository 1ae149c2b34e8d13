import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { DisclosureGroup, NationalTable } from '../../../schemas/aggregate/national.ts';
import { SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import type { AuditReport } from './audit.ts';
import type { EntryRef, PublishedTable } from './published.ts';
import { suppressTableSet } from './suppress.ts';
import {
  type CountTable,
  createTableSet,
  type InternalTable,
  type TableGroup,
  toInternalTable,
} from './table.ts';

/** Both tiers of a month's tables, each table tagged with its group. */
export interface PublishedMonth {
  readonly internal: readonly { readonly group: string; readonly table: InternalTable }[];
  readonly shareable: readonly { readonly group: string; readonly table: PublishedTable }[];
  readonly audits: readonly DisclosureGroup[];
}

/** The audit outcome of one group: what may be said publicly (no primary/secondary split). */
const summarise = (group: TableGroup, audit: AuditReport): DisclosureGroup => ({
  group: group.id,
  tables: group.tables.map((t) => t.id),
  ok: audit.ok,
  exact: audit.exact,
  suppressedEntries: audit.entries.length,
});

/**
 * Whether the earlier published version of the month hid this entry (matched by table id and labels), so
 * that a revision hides it again: a revision's suppression pattern only grows.
 */
export const hiddenBefore =
  (previous: readonly NationalTable[]) =>
  (ref: EntryRef, table: CountTable): boolean => {
    const old = previous.find((t) => t.id === ref.table);
    if (old === undefined) return false;
    const row = (r: number) => old.rows.indexOf(table.rows[r] as string);
    const column = (c: number) => old.columns.indexOf(table.columns[c] as string);
    switch (ref.kind) {
      case 'cell':
        return old.cells[row(ref.row)]?.[column(ref.column)] === SUPPRESSED;
      case 'rowTotal':
        return old.rowTotals[row(ref.row)] === SUPPRESSED;
      case 'columnTotal':
        return old.columnTotals[column(ref.column)] === SUPPRESSED;
      default:
        return old.grandTotal === SUPPRESSED;
    }
  };

/** The earlier publication of the month that a run revises: its shareable tables and the exact ones. */
export interface PreviousVersion {
  readonly shareable: readonly NationalTable[];
  readonly internal: readonly NationalTable[];
}

const PREVIOUS = '~previous';

type Pos =
  | { kind: 'cell'; row: number; column: number }
  | { kind: 'rowTotal'; row: number }
  | { kind: 'columnTotal'; column: number }
  | { kind: 'grandTotal' };

const positions = (table: CountTable): Pos[] => [
  ...table.rows.flatMap((_, row) =>
    table.columns.map((__, column) => ({ kind: 'cell' as const, row, column })),
  ),
  ...table.rows.map((_, row) => ({ kind: 'rowTotal' as const, row })),
  ...table.columns.map((_, column) => ({ kind: 'columnTotal' as const, column })),
  { kind: 'grandTotal' as const },
];

interface Values {
  readonly cells: readonly (readonly (number | typeof SUPPRESSED)[])[];
  readonly rowTotals: readonly (number | typeof SUPPRESSED)[];
  readonly columnTotals: readonly (number | typeof SUPPRESSED)[];
  readonly grandTotal: number | typeof SUPPRESSED;
}

const entryValue = (table: Values, pos: Pos) =>
  pos.kind === 'cell'
    ? table.cells[pos.row]?.[pos.column]
    : pos.kind === 'rowTotal'
      ? table.rowTotals[pos.row]
      : pos.kind === 'columnTotal'
        ? table.columnTotals[pos.column]
        : table.grandTotal;

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * What a reader of both versions of a month holds when this group is revised, for the audit of the two as
 * one system: the earlier version's tables of the group (its pattern, with the exact values behind it),
 * its links, and, for every value that did not decrease, the knowledge that the revision's value is at
 * least the earlier one (what a reader assumes of late returns). Tables whose rows or columns changed are
 * left out (their values cannot be paired).
 */
export const previousContext = (group: TableGroup, previous: PreviousVersion) => {
  const tables: PublishedTable[] = [];
  const atLeast: { larger: EntryRef; smaller: EntryRef }[] = [];
  for (const table of group.tables) {
    const shown = previous.shareable.find((t) => t.id === table.id);
    const exact = previous.internal.find((t) => t.id === table.id);
    if (shown === undefined || exact === undefined) continue;
    if (!same(shown.rows, table.rows) || !same(shown.columns, table.columns)) continue;
    if (!same(exact.rows, table.rows) || !same(exact.columns, table.columns)) continue;
    const id = `${table.id}${PREVIOUS}`;
    const view = (pos: Pos) => {
      const value = entryValue(shown, pos);
      return value === SUPPRESSED ? SUPPRESSED : (entryValue(exact, pos) as number);
    };
    tables.push({
      tier: 'shareable',
      id,
      title: table.title,
      rowDimension: table.rowDimension,
      columnDimension: table.columnDimension,
      rows: [...table.rows],
      columns: [...table.columns],
      cells: table.rows.map((_, row) =>
        table.columns.map((__, column) => view({ kind: 'cell', row, column })),
      ),
      rowTotals: table.rows.map((_, row) => view({ kind: 'rowTotal', row })),
      columnTotals: table.columns.map((_, column) => view({ kind: 'columnTotal', column })),
      grandTotal: view({ kind: 'grandTotal' }),
      rounding: 'none',
      zerosSuppressed: false,
      disclosure: { primaryCells: 0, secondaryCells: 0, primaryTotals: 0, secondaryTotals: 0 },
    });
    for (const pos of positions(table)) {
      if ((entryValue(table, pos) as number) >= (entryValue(exact, pos) as number)) {
        atLeast.push({ larger: { table: table.id, ...pos }, smaller: { table: id, ...pos } });
      }
    }
  }
  const kept = new Set(tables.map((t) => t.id));
  const links = group.links
    .map((link) => ({
      a: { ...link.a, table: `${link.a.table}${PREVIOUS}` },
      b: { ...link.b, table: `${link.b.table}${PREVIOUS}` },
    }))
    .filter((link) => kept.has(link.a.table) && kept.has(link.b.table));
  return { tables, links, atLeast };
};

/**
 * Produces the internal tier (every table, exact) and the shareable tier (shareable groups only, each
 * protected under `policy` with `suppressTableSet` over the group's tables and the links between their
 * margins; groups share no margins, so protecting them separately is the same as protecting them together). Throws if an
 * audit fails, which the disclosure algorithm rules out: a shareable output is never written unaudited.
 * `previous` (the month's publication this one revises) carries its suppression forward (every non-zero
 * value it hid stays hidden), and each group is audited together with its earlier version.
 */
export const publishGroups = (
  groups: readonly TableGroup[],
  policy: DisclosurePolicy,
  previous?: PreviousVersion,
): PublishedMonth => {
  const internal = groups.flatMap((group) =>
    group.tables.map((table) => ({ group: group.id, table: toInternalTable(table) })),
  );
  const shareable: { group: string; table: PublishedTable }[] = [];
  const audits: DisclosureGroup[] = [];
  for (const group of groups) {
    if (!group.shareable) continue;
    const result = suppressTableSet(createTableSet(group.tables, group.links), {
      ...policy,
      ...(previous === undefined
        ? {}
        : { alsoHide: hiddenBefore(previous.shareable), context: previousContext(group, previous) }),
    });
    if (!result.audit.ok) throw new Error(`disclosure audit failed for table group ${group.id}`);
    audits.push(summarise(group, result.audit));
    for (const table of result.published.tables) shareable.push({ group: group.id, table });
  }
  return { internal, shareable, audits };
};
