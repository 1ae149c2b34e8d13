import { randomUUID } from 'node:crypto';
import type { Operation } from '../emulator-context.ts';
import { resourceInUse } from '../errors.ts';
import { describeTable, tableDefinitionOf } from '../table-schema.ts';

/** CreateTable: keys, GSIs (ALL, KEYS_ONLY, INCLUDE), either billing mode; the table is usable at once. */
export const createTable: Operation = (context, request) => {
  const definition = tableDefinitionOf(request, randomUUID(), context.now());
  if (context.storage.table(definition.name)) throw resourceInUse(`Table already exists: ${definition.name}`);
  context.storage.createTable(definition);
  const empty = { items: 0, bytes: 0 };
  return {
    TableDescription: describeTable(
      definition,
      context.region,
      context.account,
      { ...empty, indexItems: () => empty },
      'CREATING',
    ),
  };
};
