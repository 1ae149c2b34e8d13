import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { retryPending } from '../retry.ts';

/** A DynamoDB item as the document client returns it. */
export type Item = Record<string, NativeAttributeValue>;

/** Whether a write failed its condition expression (the SDK's exception, or an error of that name). */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** Awaits a conditional write: true when it was made, false when its condition failed (other errors throw). */
export const conditionalWrite = async (sent: Promise<unknown>): Promise<boolean> => {
  try {
    await sent;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_LIMIT = 100;

/**
 * Reads items by key with BatchGetItem, 100 keys a request, retrying unprocessed keys with backoff.
 * `onRequest` is told how many keys each request asks for (read accounting).
 */
export const batchGetItems = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: { readonly consistentRead?: boolean; readonly onRequest?: (keys: number) => void } = {},
): Promise<Item[]> => {
  const out: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    await retryPending(keys.slice(i, i + BATCH_GET_LIMIT), async (pending) => {
      options.onRequest?.(pending.length);
      const res = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: [...pending], ConsistentRead: options.consistentRead ?? true },
          },
        }),
      );
      out.push(...(res.Responses?.[tableName] ?? []));
      return (res.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined) ?? [];
    });
  }
  return out;
};

/** Every item a Query returns, page by page (the SDK's paginator follows LastEvaluatedKey). */
export async function* queryItems(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<Item> {
  for await (const page of paginateQuery({ client: db }, { ...input })) yield* page.Items ?? [];
}

/** Every item a Scan returns, page by page (the SDK's paginator follows LastEvaluatedKey). */
export async function* scanItems(db: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Item> {
  for await (const page of paginateScan({ client: db }, { ...input })) yield* page.Items ?? [];
}
