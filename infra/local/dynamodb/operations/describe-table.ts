import type { EmulatorContext, Operation } from '../emulator-context.ts';
import { resourceNotFound } from '../errors.ts';
import type { StoredTable } from '../storage.ts';
import { checkTableName, describeTable } from '../table-schema.ts';

/** A table's description with its current item counts. */
export const descriptionOf = (context: EmulatorContext, table: StoredTable, status = 'ACTIVE') =>
  describeTable(
    table.definition,
    context.region,
    context.account,
    {
      ...context.storage.tableCounts(table),
      indexItems: (name) => context.storage.indexCounts(table, name),
    },
    status,
  );

/** DescribeTable. */
export const describeTableOperation: Operation = (context, request) => {
  const name = checkTableName(request.TableName);
  const table = context.storage.table(name);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  return { Table: descriptionOf(context, table) };
};
