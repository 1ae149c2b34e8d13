import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredMarker } from '../../schemas/index.ts';
import { batchGetItems, conditionalWrite } from '../shared/aws/dynamo.ts';
import { transactWriteGroups } from '../shared/aws/transact.ts';
import { fromMarkerItem, LOG_PENDING } from '../shared/markers/marker-item.ts';
import { countWrite, type WriteCounter } from '../shared/markers/write-counter.ts';

/** The index over markers with a change not yet in the feed log (infra/config.ts, `tables.markers`). */
export const LOG_PENDING_INDEX = 'byLogPending';

/**
 * The markers table as the sequencer sees it: an outbox. Each marker item carries the changes of its
 * states that are not yet in the feed log (`feedSeq > loggedFeedSeq`, and `unlogged`), written in the
 * same conditional write as the state itself.
 */
export type Outbox = {
  /** Markers the sparse index lists as pending, oldest first. Eventually consistent: a hint only. */
  readonly pendingKeys: (limit: number) => Promise<string[]>;
  /** Reads markers, strongly consistent: what the sequencer logs comes from these reads only. */
  readonly read: (naturalKeys: readonly string[]) => Promise<Map<string, StoredMarker>>;
  /**
   * Records that the change of state `feedSeq` is in the log (never moves `loggedFeedSeq` back, so
   * repeating it, or doing it late, changes nothing). It never touches the state or its revision.
   */
  readonly markLogged: (naturalKey: string, feedSeq: number) => Promise<void>;
  /** `markLogged` for many markers at once (one marker at most once), many a request. */
  readonly markAllLogged: (
    states: readonly { readonly naturalKey: string; readonly feedSeq: number }[],
  ) => Promise<void>;
};

/** The outbox in DynamoDB: a Query of the sparse index, BatchGetItem, and UpdateItem of the bookkeeping. */
export const createDynamoOutbox = (
  db: DynamoDBDocumentClient,
  tableName: string,
  counter?: WriteCounter,
): Outbox => {
  const update = (naturalKey: string, expression: string, condition: string, feedSeq: number) => {
    const names = expression.includes('#unlogged')
      ? { ExpressionAttributeNames: { '#unlogged': 'unlogged' } }
      : {};
    countWrite(counter, { naturalKey });
    return conditionalWrite(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { naturalKey },
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':s': feedSeq },
          ...names,
        }),
      ),
    );
  };
  // The current state: nothing of the marker is left to log.
  const LOGGED_CURRENT = `SET loggedFeedSeq = :s REMOVE ${LOG_PENDING}, #unlogged`; // UNLOGGED is a reserved word
  const IS_CURRENT = 'feedSeq = :s AND loggedFeedSeq < :s';
  const markLogged = async (naturalKey: string, feedSeq: number): Promise<void> => {
    const current = await update(naturalKey, LOGGED_CURRENT, IS_CURRENT, feedSeq);
    // A later state was committed meanwhile: it stays pending; `unlogged` entries up to :s are done.
    if (!current) await update(naturalKey, 'SET loggedFeedSeq = :s', 'loggedFeedSeq < :s', feedSeq);
  };
  return {
    pendingKeys: async (limit) => {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: LOG_PENDING_INDEX,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': LOG_PENDING },
          ExpressionAttributeValues: { ':p': 'PENDING' },
          ProjectionExpression: 'naturalKey',
          Limit: limit,
        }),
      );
      return (res.Items ?? []).map((i) => String(i.naturalKey));
    },
    read: async (naturalKeys) => {
      const items = await batchGetItems(
        db,
        tableName,
        [...new Set(naturalKeys)].map((k) => ({ naturalKey: k })),
      );
      return new Map(items.map((item) => [String(item.naturalKey), fromMarkerItem(item)]));
    },
    markLogged,
    markAllLogged: async (states) => {
      // The common case in one go: each marker's state is still the one logged. The others (a later
      // state committed meanwhile, or logged already) one by one, as markLogged does them.
      const groups = states.map(({ naturalKey, feedSeq }) => {
        countWrite(counter, { naturalKey }, { transactional: true });
        const action = {
          Update: {
            TableName: tableName,
            Key: { naturalKey },
            UpdateExpression: LOGGED_CURRENT,
            ConditionExpression: IS_CURRENT,
            ExpressionAttributeValues: { ':s': feedSeq },
            ExpressionAttributeNames: { '#unlogged': 'unlogged' },
          },
        };
        return { actions: [{ key: naturalKey, action }] };
      });
      const written = await transactWriteGroups(db, groups, { concurrency: 4 });
      await Promise.all(states.flatMap((s, i) => (written[i] ? [] : [markLogged(s.naturalKey, s.feedSeq)])));
    },
  };
};
