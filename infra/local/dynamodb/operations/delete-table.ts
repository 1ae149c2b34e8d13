import type { Operation } from '../emulator-context.ts';
import { resourceNotFound } from '../errors.ts';
import { checkTableName } from '../table-schema.ts';
import { descriptionOf } from './describe-table.ts';

/** DeleteTable: the table and its items go at once. */
export const deleteTable: Operation = (context, request) => {
  const name = checkTableName(request.TableName);
  const table = context.storage.table(name);
  if (!table) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  const description = descriptionOf(context, table, 'DELETING');
  context.storage.deleteTable(name);
  return { TableDescription: description };
};
