import { isObject, type Operation, requireTable } from '../emulator-context.ts';
import { validationError } from '../errors.ts';

/**
 * UpdateTimeToLive: the setting is kept and described. The emulator deletes no expired items (DynamoDB
 * deletes them within days, so readers filter on the attribute anyway).
 */
export const updateTimeToLive: Operation = (context, request) => {
  const table = requireTable(context, request.TableName);
  const spec = request.TimeToLiveSpecification;
  if (!isObject(spec) || typeof spec.AttributeName !== 'string' || typeof spec.Enabled !== 'boolean')
    throw validationError(
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    );
  const current = table.definition.ttl;
  if (current?.enabled === spec.Enabled)
    throw validationError(`TimeToLive is already ${spec.Enabled ? 'enabled' : 'disabled'}`);
  context.storage.updateTable({
    ...table.definition,
    ttl: { attributeName: spec.AttributeName, enabled: spec.Enabled },
  });
  return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } };
};

/** DescribeTimeToLive. */
export const describeTimeToLive: Operation = (context, request) => {
  const table = requireTable(context, request.TableName);
  const ttl = table.definition.ttl;
  return {
    TimeToLiveDescription: ttl?.enabled
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attributeName }
      : { TimeToLiveStatus: 'DISABLED' },
  };
};
