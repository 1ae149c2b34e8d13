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

/**
 * Produces the internal tier (every table, exact) and the shareable tier (shareable groups only, each
 * protected under `policy` with `suppressTableSet` over the group's tables and the links between their
 * margins; groups share no margins, so protecting them separately is the same as protecting them together). Throws if an
 * audit fails, which the disclosure algorithm rules out: a shareable output is never written unaudited.
 * `previous` (the tables of the month's shareable publication this one revises) carries its suppression
 * forward: every non-zero value it hid stays hidden.
 */
export const publishGroups = (
  groups: readonly TableGroup[],
  policy: DisclosurePolicy,
  previous: readonly NationalTable[] = [],
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
      ...(previous.length === 0 ? {} : { alsoHide: hiddenBefore(previous) }),
    });
    if (!result.audit.ok) throw new Error(`disclosure audit failed for table group ${group.id}`);
    audits.push(summarise(group, result.audit));
    for (const table of result.published.tables) shareable.push({ group: group.id, table });
  }
  return { internal, shareable, audits };
};
