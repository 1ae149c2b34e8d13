import type { DisclosurePolicy } from '../../../schemas/aggregate/disclosure-policy.ts';
import type { DisclosureGroup } from '../../../schemas/aggregate/national.ts';
import type { AuditReport } from './audit.ts';
import type { PublishedTable } from './published.ts';
import { suppressTableSet } from './suppress.ts';
import { createTableSet, type InternalTable, type TableGroup, toInternalTable } from './table.ts';

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
 * Produces the internal tier (every table, exact) and the shareable tier (shareable groups only, each
 * protected under `policy` with `suppressTableSet` over the group's tables and the links between their
 * margins; groups share no margins, so protecting them separately is the same as protecting them together). Throws if an
 * audit fails, which the disclosure algorithm rules out: a shareable output is never written unaudited.
 */
export const publishGroups = (groups: readonly TableGroup[], policy: DisclosurePolicy): PublishedMonth => {
  const internal = groups.flatMap((group) =>
    group.tables.map((table) => ({ group: group.id, table: toInternalTable(table) })),
  );
  const shareable: { group: string; table: PublishedTable }[] = [];
  const audits: DisclosureGroup[] = [];
  for (const group of groups) {
    if (!group.shareable) continue;
    const result = suppressTableSet(createTableSet(group.tables, group.links), policy);
    if (!result.audit.ok) throw new Error(`disclosure audit failed for table group ${group.id}`);
    audits.push(summarise(group, result.audit));
    for (const table of result.published.tables) shareable.push({ group: group.id, table });
  }
  return { internal, shareable, audits };
};
