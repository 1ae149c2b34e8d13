import type { TableGroup } from './build-tables.ts';
import type { AuditReport } from './disclosure/audit.ts';
import type { PublishedTable } from './disclosure/published.ts';
import { suppressTableSet } from './disclosure/suppress.ts';
import { createTableSet, type InternalTable, toInternalTable } from './disclosure/table.ts';

/** The audit outcome of one group (what may be said publicly: no primary/secondary split). */
export interface GroupAudit {
  readonly group: string;
  readonly tables: readonly string[];
  readonly ok: boolean;
  readonly exact: boolean;
  readonly suppressedEntries: number;
}

/** Both tiers of a month's tables, each table tagged with its group. */
export interface PublishedMonth {
  readonly internal: readonly { readonly group: string; readonly table: InternalTable }[];
  readonly shareable: readonly { readonly group: string; readonly table: PublishedTable }[];
  readonly audits: readonly GroupAudit[];
}

const summarise = (group: TableGroup, audit: AuditReport): GroupAudit => ({
  group: group.id,
  tables: group.tables.map((t) => t.id),
  ok: audit.ok,
  exact: audit.exact,
  suppressedEntries: audit.entries.length,
});

/**
 * Produces the internal tier (every table, exact) and the shareable tier (shareable groups only, each
 * protected with `suppressTableSet` over the group's tables and the links between their margins; groups
 * share no margins, so protecting them separately is the same as protecting them together). Throws if an
 * audit fails, which the disclosure algorithm rules out: a shareable output is never written unaudited.
 */
export const publishGroups = (groups: readonly TableGroup[]): PublishedMonth => {
  const internal = groups.flatMap((group) =>
    group.tables.map((table) => ({ group: group.id, table: toInternalTable(table) })),
  );
  const shareable: { group: string; table: PublishedTable }[] = [];
  const audits: GroupAudit[] = [];
  for (const group of groups) {
    if (!group.shareable) continue;
    const result = suppressTableSet(createTableSet(group.tables, group.links));
    if (!result.audit.ok) throw new Error(`disclosure audit failed for table group ${group.id}`);
    audits.push(summarise(group, result.audit));
    for (const table of result.published.tables) shareable.push({ group: group.id, table });
  }
  return { internal, shareable, audits };
};
