import { type Operation, refuseLegacy, requireTable } from '../emulator-context.ts';
import { validationError } from '../errors.ts';
import { readPage, readRequestOf } from '../read-pages.ts';
import { positionOf } from '../storage.ts';

const hex3 = (n: number): string => n.toString(16).padStart(3, '0');

/** Scan: a table or GSI in partition-scatter order, optionally one Segment of TotalSegments. */
export const scan: Operation = (context, request) => {
  refuseLegacy(request, ['ScanFilter', 'AttributesToGet', 'ConditionalOperator']);
  const table = requireTable(context, request.TableName);
  const read = readRequestOf(table, request);
  read.attributes.checkAllUsed();
  const { Segment: segment, TotalSegments: total } = request;
  let bounds: { from?: string; to?: string } = {};
  if (segment !== undefined || total !== undefined) {
    if (typeof segment !== 'number' || typeof total !== 'number')
      throw validationError(
        'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
      );
    if (!Number.isInteger(total) || total < 1 || total > 1_000_000)
      throw validationError(
        `1 validation error detected: Value '${total}' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000`,
      );
    if (!Number.isInteger(segment) || segment < 0 || segment >= total)
      throw validationError(
        `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
      );
    if (total > 1) {
      const from = Math.ceil((4096 * segment) / total);
      const to = Math.ceil((4096 * (segment + 1)) / total);
      bounds = { ...(segment > 0 ? { from: hex3(from) } : {}), ...(to < 4096 ? { to: hex3(to) } : {}) };
    }
  }
  const start = read.startKey ? positionOf(table.definition, read.index, read.startKey, true) : undefined;
  if (
    start &&
    ((bounds.from && (start[0] as string) < bounds.from) || (bounds.to && (start[0] as string) >= bounds.to))
  )
    throw validationError(
      `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`,
    );
  return readPage(read, request, start, (after, limit) =>
    context.storage.scan(table, read.index, bounds, after, limit),
  );
};
