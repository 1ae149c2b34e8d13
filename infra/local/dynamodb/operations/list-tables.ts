import type { Operation } from '../emulator-context.ts';
import { validationError } from '../errors.ts';

/** ListTables: names in order, paged by Limit (at most 100) and ExclusiveStartTableName. */
export const listTables: Operation = (context, request) => {
  const limit = request.Limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100)
    throw validationError(
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  const start =
    typeof request.ExclusiveStartTableName === 'string' ? request.ExclusiveStartTableName : undefined;
  const names = context.storage.tableNames().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}),
  };
};
