import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MarkerDraft, MarkerStatus } from '../../schemas/index.ts';
import { type WriteCounter, writeUnitsOf } from '../feed/feed-log.ts';
import type { Lifecycle, MarkerState, RecordHead } from './ordering.ts';

/** PND synchronisation state of a marker in the table; HELD: handling code C, never sent automatically. */
export type PndSyncStateValue = 'PENDING' | 'HELD' | 'SENT' | 'ACKED' | 'REJECTED';

/** A marker item as the markers table holds it: the ordered state, what it shows, and bookkeeping. */
export type StoredMarker = MarkerState & {
  readonly markerId: string;
  readonly status: MarkerStatus;
  readonly reviewDueOn: string;
  readonly createdOn: string;
  readonly updatedAt: string;
  /** Position of this state's change in the feed log; also the item's revision for conditional writes. */
  readonly feedSeq: number;
  readonly pndSyncState: PndSyncStateValue;
  readonly pndAttempts: number;
  readonly pndBatchId?: string;
  readonly pndLastAttemptAt?: string;
  readonly pndRef?: string;
  readonly pndReason?: string;
};

/**
 * The markers table as the indexer uses it: batched strongly consistent reads of marker and record-head
 * items, and single-item conditional writes keyed on what was read (a marker's `feedSeq`, a head's
 * `version`), so a writer that lost a race finds out and plans again.
 */
export type IndexStore = {
  readonly getHead: (recordKey: string) => Promise<RecordHead | undefined>;
  /** Reads many record heads at once (batched). */
  readonly getHeads: (recordKeys: readonly string[]) => Promise<Map<string, RecordHead>>;
  readonly getMarkers: (naturalKeys: readonly string[]) => Promise<Map<string, StoredMarker>>;
  /** Writes a marker if its stored `feedSeq` is still `expectedFeedSeq` (undefined: if absent). */
  readonly putMarker: (item: StoredMarker, expectedFeedSeq: number | undefined) => Promise<boolean>;
  /** Moves a marker's change to another log position (its old one was voided). */
  readonly moveFeedSeq: (naturalKey: string, from: number, to: number) => Promise<boolean>;
  /** Writes a record head if its stored `rev` is still `expectedRev` (undefined: if absent). */
  readonly putHead: (head: RecordHead, expectedRev: number | undefined) => Promise<boolean>;
};

/** The key under which a record head lives in the markers table (beside the markers, never synced). */
export const headItemKey = (recordKey: string): string => `record#${recordKey}`;

const BOOKKEEPING = new Set([
  'itemType',
  'recordKey',
  'version',
  'lifecycle',
  'contentVersion',
  'markerId',
  'status',
  'reviewDueOn',
  'createdOn',
  'updatedAt',
  'feedSeq',
  'pndSyncState',
  'pndAttempts',
  'pndBatchId',
  'pndLastAttemptAt',
  'pndRef',
  'pndReason',
]);

/** Flattens a stored marker into a table item: content fields at the top level, as queries expect. */
export const toMarkerItem = (m: StoredMarker): Record<string, unknown> => {
  const { draft, ...rest } = m;
  return { ...draft, ...rest, itemType: 'MARKER' };
};

/** Reads a table item back into a stored marker. */
export const fromMarkerItem = (item: Record<string, unknown>): StoredMarker => {
  const draft: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!BOOKKEEPING.has(k)) draft[k] = v;
  const pick = <T>(k: string): T => item[k] as T;
  const optional = (k: string) => (item[k] === undefined ? {} : { [k]: item[k] });
  return {
    naturalKey: pick<string>('naturalKey'),
    recordKey: pick<string>('recordKey'),
    version: pick<string>('version'),
    lifecycle: pick<Lifecycle>('lifecycle'),
    contentVersion: pick<string>('contentVersion'),
    draft: draft as MarkerDraft,
    markerId: pick<string>('markerId'),
    status: pick<MarkerStatus>('status'),
    reviewDueOn: pick<string>('reviewDueOn'),
    createdOn: pick<string>('createdOn'),
    updatedAt: pick<string>('updatedAt'),
    feedSeq: Number(item.feedSeq),
    pndSyncState: pick<PndSyncStateValue>('pndSyncState'),
    pndAttempts: Number(item.pndAttempts ?? 0),
    ...optional('pndBatchId'),
    ...optional('pndLastAttemptAt'),
    ...optional('pndRef'),
    ...optional('pndReason'),
  } as StoredMarker;
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** Counts reads and writes of a store (the benchmark and tests read it). */
export type StoreCounter = WriteCounter & { reads: number };

/** Creates a counter with everything at zero. */
export const newCounter = (): StoreCounter => ({ writes: 0, writeUnits: 0, reads: 0 });

/** The markers table in DynamoDB. Reads are strongly consistent: a plan must see the latest writes. */
export const createDynamoIndexStore = (
  db: DynamoDBDocumentClient,
  tableName: string,
  counter?: StoreCounter,
): IndexStore => {
  const countWrite = (item: unknown): void => {
    if (!counter) return;
    counter.writes++;
    counter.writeUnits += writeUnitsOf(item);
  };
  const getItems = async (keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> => {
    const out = new Map<string, Record<string, unknown>>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] = unique.slice(i, i + 100).map((k) => ({ naturalKey: k }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (counter) counter.reads += pending.length;
        const res = await db.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[tableName] ?? []) out.set(String(item.naturalKey), item);
        pending = (res.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
    return out;
  };
  const conditionalPut = async (
    item: Record<string, unknown>,
    condition: Omit<PutCommandCondition, never>,
  ) => {
    countWrite(item);
    try {
      await db.send(new PutCommand({ TableName: tableName, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  const toHead = (item: Record<string, unknown>): RecordHead => ({
    recordKey: String(item.recordKey),
    version: String(item.version),
    withdrawn: item.withdrawn === true,
    markerKeys: (item.markerKeys as string[] | undefined) ?? [],
    allMarkerKeys: (item.allMarkerKeys as string[] | undefined) ?? [],
    rev: Number(item.rev ?? 0),
  });
  return {
    getHead: async (recordKey) => {
      const item = (await getItems([headItemKey(recordKey)])).get(headItemKey(recordKey));
      return item ? toHead(item) : undefined;
    },
    getHeads: async (recordKeys) => {
      const items = await getItems(recordKeys.map(headItemKey));
      return new Map([...items.values()].map((item) => [String(item.recordKey), toHead(item)]));
    },
    getMarkers: async (naturalKeys) => {
      const items = await getItems(naturalKeys);
      return new Map([...items].map(([k, item]) => [k, fromMarkerItem(item)]));
    },
    putMarker: (item, expectedFeedSeq) =>
      conditionalPut(
        toMarkerItem(item),
        expectedFeedSeq === undefined
          ? { ConditionExpression: 'attribute_not_exists(naturalKey)' }
          : {
              ConditionExpression: 'feedSeq = :expected',
              ExpressionAttributeValues: { ':expected': expectedFeedSeq },
            },
      ),
    moveFeedSeq: async (naturalKey, from, to) => {
      countWrite({ naturalKey });
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { naturalKey },
            UpdateExpression: 'SET feedSeq = :to',
            ConditionExpression: 'feedSeq = :from',
            ExpressionAttributeValues: { ':from': from, ':to': to },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    putHead: (head, expectedRev) =>
      conditionalPut(
        {
          naturalKey: headItemKey(head.recordKey),
          itemType: 'RECORD',
          recordKey: head.recordKey,
          version: head.version,
          withdrawn: head.withdrawn,
          markerKeys: [...head.markerKeys],
          allMarkerKeys: [...head.allMarkerKeys],
          rev: head.rev,
        },
        expectedRev === undefined
          ? { ConditionExpression: 'attribute_not_exists(naturalKey)' }
          : {
              ConditionExpression: 'rev = :expected',
              ExpressionAttributeValues: { ':expected': expectedRev },
            },
      ),
  };
};

type PutCommandCondition = {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

/**
 * ACTIVE markers whose review date has come (`reviewDueOn` ≤ `today`): a paginated, filtered scan of the
 * markers table for the expiry pass (functions/marker-expiry/expire.ts). Eventually consistent: the pass
 * re-reads a marker strongly whenever its conditional write loses.
 */
export async function* scanDueMarkers(
  db: DynamoDBDocumentClient,
  tableName: string,
  today: string,
): AsyncGenerator<StoredMarker> {
  const pages = paginateScan(
    { client: db },
    {
      TableName: tableName,
      FilterExpression: 'itemType = :marker AND #status = :active AND reviewDueOn <= :today',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':marker': 'MARKER', ':active': 'ACTIVE', ':today': today },
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) yield fromMarkerItem(item);
}
