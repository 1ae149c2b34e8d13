import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PndSyncState, StoredMarker } from '../../schemas/index.ts';
import { conditionalWrite, queryItems } from '../shared/aws/dynamo.ts';
import { fromMarkerItem } from '../shared/markers/marker-item.ts';
import type { PndTransition } from './state.ts';

/**
 * PND sync state in the markers table. Every transition is a single-item conditional update on the
 * state it leaves and the marker state it concerns (`feedSeq`), so repeating an export or an
 * acknowledgement changes nothing, and a marker whose content changed meanwhile is never marked with
 * an answer about its old content.
 */
export type PndStore = {
  readonly listByState: (state: PndSyncState, limit?: number) => Promise<StoredMarker[]>;
  readonly markSent: (
    m: StoredMarker,
    batchId: string,
    now: string,
    from: { state: 'PENDING' } | { state: 'SENT'; batchId: string },
  ) => Promise<boolean>;
  readonly answer: (
    m: { naturalKey: string; feedSeq: number },
    batchId: string,
    transition: PndTransition,
    now: string,
  ) => Promise<boolean>;
  readonly release: (naturalKey: string, now: string) => Promise<boolean>;
};

/** The PND store over the markers table and its `bySyncState` index. */
export const createDynamoPndStore = (db: DynamoDBDocumentClient, tableName: string): PndStore => {
  const update = async (input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) =>
    conditionalWrite(db.send(new UpdateCommand({ TableName: tableName, ...input })));
  return {
    listByState: async (state, limit = Number.POSITIVE_INFINITY) => {
      const out: StoredMarker[] = [];
      if (limit <= 0) return out;
      const items = queryItems(db, {
        TableName: tableName,
        IndexName: 'bySyncState',
        KeyConditionExpression: 'pndSyncState = :s',
        ExpressionAttributeValues: { ':s': state },
      });
      for await (const item of items) {
        out.push(fromMarkerItem(item));
        if (out.length >= limit) break;
      }
      return out;
    },
    markSent: (m, batchId, now, from) =>
      update({
        Key: { naturalKey: m.naturalKey },
        UpdateExpression:
          'SET pndSyncState = :sent, pndBatchId = :b, pndLastAttemptAt = :now, updatedAt = :now ADD pndAttempts :one',
        ConditionExpression:
          from.state === 'PENDING'
            ? 'feedSeq = :fs AND pndSyncState = :from'
            : 'feedSeq = :fs AND pndSyncState = :from AND pndBatchId = :old',
        ExpressionAttributeValues: {
          ':sent': 'SENT',
          ':b': batchId,
          ':now': now,
          ':one': 1,
          ':fs': m.feedSeq,
          ':from': from.state,
          ...(from.state === 'SENT' ? { ':old': from.batchId } : {}),
        },
      }),
    answer: (m, batchId, t, now) =>
      update({
        Key: { naturalKey: m.naturalKey },
        UpdateExpression:
          t.to === 'ACKED'
            ? `SET pndSyncState = :to, updatedAt = :now${t.pndRef ? ', pndRef = :ref' : ''} REMOVE pndReason`
            : 'SET pndSyncState = :to, updatedAt = :now, pndReason = :reason',
        ConditionExpression: 'feedSeq = :fs AND pndSyncState = :sent AND pndBatchId = :b',
        ExpressionAttributeValues: {
          ':to': t.to,
          ':now': now,
          ':fs': m.feedSeq,
          ':sent': 'SENT',
          ':b': batchId,
          ...(t.to === 'ACKED' ? (t.pndRef ? { ':ref': t.pndRef } : {}) : { ':reason': t.reason }),
        },
      }),
    release: (naturalKey, now) =>
      update({
        Key: { naturalKey },
        UpdateExpression: 'SET pndSyncState = :pending, updatedAt = :now',
        ConditionExpression: 'pndSyncState = :held',
        ExpressionAttributeValues: { ':pending': 'PENDING', ':held': 'HELD', ':now': now },
      }),
  };
};
