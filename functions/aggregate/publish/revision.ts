import type { NationalPicture, NationalTable, Revision } from '../../../schemas/aggregate/national.ts';
import type { AggregateCell } from '../../../schemas/aggregate/table.ts';
import { sameShape } from '../disclosure/published.ts';

type Change = Revision['changes'][number];

/** The published values of two versions of one table that differ, with their labels. */
const tableChanges = (before: NationalTable, after: NationalTable): Change[] => {
  const changes: Change[] = [];
  const oneWay = after.columns.length === 1;
  const note = (entry: string, from: AggregateCell, to: AggregateCell, row?: string, column?: string) => {
    if (from !== to) {
      changes.push({
        table: after.id,
        entry,
        ...(row === undefined ? {} : { row }),
        ...(column === undefined ? {} : { column }),
        from,
        to,
      });
    }
  };
  after.rows.forEach((row, r) => {
    after.columns.forEach((column, c) => {
      note('cell', before.cells[r]?.[c] as AggregateCell, after.cells[r]?.[c] as AggregateCell, row, column);
    });
    // A one-way table's row totals are its cells, and its column total its grand total: listed once.
    if (!oneWay)
      note('row total', before.rowTotals[r] as AggregateCell, after.rowTotals[r] as AggregateCell, row);
  });
  after.columns.forEach((column, c) => {
    if (oneWay) return;
    note(
      'column total',
      before.columnTotals[c] as AggregateCell,
      after.columnTotals[c] as AggregateCell,
      undefined,
      column,
    );
  });
  note('grand total', before.grandTotal, after.grandTotal);
  return changes;
};

/**
 * The revision note of a shareable publication replacing `previous`: every published value that changed,
 * as the two versions published it (rounded or `[c]`), so the note says nothing the two publications do
 * not already say. A table whose rows or columns changed is listed as reshaped instead.
 */
export const revisionOf = (previous: NationalPicture, tables: readonly NationalTable[]): Revision => {
  const before = new Map(previous.tables.map((table) => [table.id, table]));
  const changes: Change[] = [];
  const reshaped = new Set<string>();
  for (const table of tables) {
    const old = before.get(table.id);
    if (old === undefined || !sameShape(old, table)) {
      reshaped.add(table.id);
    } else {
      changes.push(...tableChanges(old, table));
    }
    before.delete(table.id);
  }
  for (const id of before.keys()) reshaped.add(id);
  return {
    number: (previous.revision?.number ?? 0) + 1,
    replaces: previous.runId,
    changes,
    tablesReshaped: [...reshaped].sort(),
  };
};
