import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { DisclosureGroup, NationalTable } from '../../../schemas/aggregate/national.ts';
import { SUPPRESSED } from '../../../schemas/aggregate/table.ts';
import type { AuditReport } from './audit.ts';
import {
  type EntryRef,
  entryRefs,
  matchingEntry,
  type PublishedTable,
  sameShape,
  valueAt,
} from './published.ts';
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
    const same = old === undefined ? undefined : matchingEntry(ref, table, old);
    return old !== undefined && same !== undefined && valueAt(old, same) === SUPPRESSED;
  };

/** The earlier publication of the month that a run revises: its shareable tables and the exact ones. */
export interface PreviousVersion {
  readonly shareable: readonly NationalTable[];
  readonly internal: readonly NationalTable[];
}

const PREVIOUS = '~previous';

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
    if (!sameShape(shown, table) || !sameShape(exact, table)) continue;
    const id = `${table.id}${PREVIOUS}`;
    const view = (ref: EntryRef) => {
      const value = valueAt(shown, ref);
      return value === SUPPRESSED ? SUPPRESSED : (valueAt(exact, ref) as number);
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
        table.columns.map((__, column) => view({ table: id, kind: 'cell', row, column })),
      ),
      rowTotals: table.rows.map((_, row) => view({ table: id, kind: 'rowTotal', row })),
      columnTotals: table.columns.map((_, column) => view({ table: id, kind: 'columnTotal', column })),
      grandTotal: view({ table: id, kind: 'grandTotal' }),
      rounding: 'none',
      zerosSuppressed: false,
      disclosure: { primaryCells: 0, secondaryCells: 0, primaryTotals: 0, secondaryTotals: 0 },
    });
    for (const ref of entryRefs(table)) {
      if ((valueAt(table, ref) as number) >= (valueAt(exact, ref) as number)) {
        atLeast.push({ larger: ref, smaller: { ...ref, table: id } });
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
