import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoFeedLog } from '../functions/feed/feed-log.ts';
import { PND_STATES } from '../functions/pnd/state.ts';
import { scanItems } from '../functions/shared/aws/dynamo.ts';

/** Counts of the marker index, for operators and the demo (no record contents). */
export type IndexOverview = {
  readonly markers: number;
  /** Source records with a head item (records that derive markers, or did). */
  readonly sourceRecords: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly bySyncState: Readonly<Record<string, number>>;
  /** ACTIVE markers whose MoPI review date has passed. */
  readonly dueForReview: number;
  /** The feed: the log's head (the last readable position), and the push publisher's cursor. */
  readonly feed: { readonly head: number; readonly pushCursor: number };
  /** Messages in the records DLQ (records that always failed), when its URL is given. */
  readonly deadLetters?: number;
};

/**
 * Scans the markers table and reads the feed's head: marker counts by status and PND sync state, how
 * many are due for review, and the feed cursor a consumer can resume from. `npm start` prints it.
 */
export const summariseIndex = async (
  clients: { readonly dynamodb: DynamoDBDocumentClient; readonly sqs?: SQSClient },
  tables: { readonly markers: string; readonly feed: string },
  options: { readonly today?: string; readonly recordsDlqUrl?: string } = {},
): Promise<IndexOverview> => {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const byStatus: Record<string, number> = {};
  const bySyncState: Record<string, number> = Object.fromEntries(PND_STATES.map((s) => [s, 0]));
  let markers = 0;
  let sourceRecords = 0;
  let dueForReview = 0;
  const items = scanItems(clients.dynamodb, {
    TableName: tables.markers,
    ProjectionExpression: 'itemType, #s, pndSyncState, reviewDueOn',
    ExpressionAttributeNames: { '#s': 'status' },
  });
  for await (const item of items) {
    if (item.itemType === 'RECORD') {
      sourceRecords++;
      continue;
    }
    markers++;
    const status = String(item.status);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const sync = String(item.pndSyncState);
    bySyncState[sync] = (bySyncState[sync] ?? 0) + 1;
    if (status === 'ACTIVE' && typeof item.reviewDueOn === 'string' && item.reviewDueOn <= today)
      dueForReview++;
  }
  const log = createDynamoFeedLog(clients.dynamodb, tables.feed, () => new Date().toISOString());
  const [head, push] = await Promise.all([log.head(), log.getCursor('push')]);
  let deadLetters: number | undefined;
  if (clients.sqs && options.recordsDlqUrl) {
    const res = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: options.recordsDlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    deadLetters =
      Number(res.Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }
  return {
    markers,
    sourceRecords,
    byStatus,
    bySyncState,
    dueForReview,
    feed: { head, pushCursor: push?.cursor ?? 0 },
    ...(deadLetters === undefined ? {} : { deadLetters }),
  };
};
