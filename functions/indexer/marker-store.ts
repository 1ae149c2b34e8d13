import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredMarker } from '../../schemas/index.ts';
import { batchGetItems, conditionalWrite, type Item } from '../shared/aws/dynamo.ts';
import { fitsOneTransaction, type TransactGroup, transactWriteGroups } from '../shared/aws/transact.ts';
import { fromMarkerItem, toMarkerItem } from '../shared/markers/marker-item.ts';
import { countWrite, type WriteCounter } from '../shared/markers/write-counter.ts';
import type { RecordHead } from './ordering.ts';

// Kept for test/integration/{indexer-dynamodb,marker-expiry}.test.ts, which import them from here.

/** A marker state to write, conditional on `observed` (the state it was planned against) still being stored. */
export type MarkerWrite = { readonly item: StoredMarker; readonly observed: StoredMarker | undefined };

/** A record head to write, conditional on its stored `rev` still being `expectedRev` (undefined: absent). */
export type HeadWrite = { readonly head: RecordHead; readonly expectedRev: number | undefined };

/**
 * An item the plan read and left as it was, which must still be so when the writes are made: a marker's
 * revision `feedSeq`, a head's `rev` (undefined: absent). The sequencer's log bookkeeping does not count.
 */
export type ReadCheck =
  | { readonly kind: 'marker'; readonly naturalKey: string; readonly feedSeq: number | undefined }
  | { readonly kind: 'head'; readonly recordKey: string; readonly rev: number | undefined };

/**
 * One record's writes in one round: its changed markers and its head, made together or not at all, and
 * the checks that every other item its plan read is unchanged (so a confirmed commit leaves the record
 * exactly as planned).
 */
export type RecordWrite = {
  readonly markers: readonly MarkerWrite[];
  readonly head?: HeadWrite;
  readonly checks?: readonly ReadCheck[];
};

/**
 * What committing one record's writes did: `confirmed`, written in one transaction with every check
 * holding, so the record is now exactly as planned and needs no read to confirm it; `written`, written
 * item by item (a record too large for one transaction), so only a fresh read can say whether it still
 * agrees; `lost`, not written, because another writer (or the sequencer) got in first.
 */
export type CommitOutcome = 'confirmed' | 'written' | 'lost';

/**
 * The markers table as the indexer uses it: batched strongly consistent reads of marker and record-head
 * items, and conditional writes keyed on what was read (a marker's revision `feedSeq` and its log
 * bookkeeping `loggedFeedSeq`, a head's `rev`), so a writer that lost a race finds out and plans again.
 */
export type IndexStore = {
  readonly getHead: (recordKey: string) => Promise<RecordHead | undefined>;
  /** Reads many record heads at once (batched). */
  readonly getHeads: (recordKeys: readonly string[]) => Promise<Map<string, RecordHead>>;
  readonly getMarkers: (naturalKeys: readonly string[]) => Promise<Map<string, StoredMarker>>;
  /**
   * Writes a marker if the stored one is still `observed`'s state (its `feedSeq` and `loggedFeedSeq`;
   * undefined: if absent), so neither another writer's state nor the sequencer's bookkeeping is lost.
   */
  readonly putMarker: (item: StoredMarker, observed: StoredMarker | undefined) => Promise<boolean>;
  /** Writes a record head if its stored `rev` is still `expectedRev` (undefined: if absent). */
  readonly putHead: (head: RecordHead, expectedRev: number | undefined) => Promise<boolean>;
  /**
   * Writes many records' writes, each record's all or nothing (`confirmed`, or `written` for one too
   * large for a transaction), or none of them because a condition or check failed or another writer got
   * in first (`lost`: the caller reads, plans and tries again).
   */
  readonly commit: (writes: readonly RecordWrite[]) => Promise<CommitOutcome[]>;
};

/** The key under which a record head lives in the markers table (beside the markers, never synced). */
export const headItemKey = (recordKey: string): string => `record#${recordKey}`;

/** Counts reads and writes of a store (the benchmark and tests read it). */
export type StoreCounter = WriteCounter & { reads: number };

/** Creates a counter with everything at zero. */
export const newCounter = (): StoreCounter => ({ writes: 0, writeUnits: 0, reads: 0 });

/** A condition on the item a write replaces: absent, or `attribute = expected`. */
const expecting = (attribute: string, expected: number | undefined) =>
  expected === undefined
    ? { ConditionExpression: 'attribute_not_exists(naturalKey)' }
    : {
        ConditionExpression: `${attribute} = :expected`,
        ExpressionAttributeValues: { ':expected': expected },
      };

/** The markers table in DynamoDB. Reads are strongly consistent: a plan must see the latest writes. */
export const createDynamoIndexStore = (
  db: DynamoDBDocumentClient,
  tableName: string,
  counter?: StoreCounter,
): IndexStore => {
  const getItems = async (keys: readonly string[]): Promise<Map<string, Item>> => {
    const items = await batchGetItems(
      db,
      tableName,
      [...new Set(keys)].map((k) => ({ naturalKey: k })),
      {
        onRequest: (n) => {
          if (counter) counter.reads += n;
        },
      },
    );
    return new Map(items.map((item) => [String(item.naturalKey), item]));
  };
  type Condition = { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> };
  const conditionalPut = async (item: Item, condition: Condition) => {
    countWrite(counter, item);
    return conditionalWrite(db.send(new PutCommand({ TableName: tableName, Item: item, ...condition })));
  };
  const toHead = (item: Item): RecordHead => ({
    recordKey: String(item.recordKey),
    version: String(item.version),
    withdrawn: item.withdrawn === true,
    markerKeys: (item.markerKeys as string[] | undefined) ?? [],
    allMarkerKeys: (item.allMarkerKeys as string[] | undefined) ?? [],
    rev: Number(item.rev ?? 0),
  });
  const markerPut = ({ item, observed }: MarkerWrite): { Item: Item } & Condition => ({
    Item: toMarkerItem(item),
    ...(observed === undefined
      ? expecting('feedSeq', undefined)
      : {
          // Items from before the sequencer have no loggedFeedSeq (fromMarkerItem reads feedSeq).
          ConditionExpression:
            observed.loggedFeedSeq === observed.feedSeq
              ? 'feedSeq = :fs AND (loggedFeedSeq = :ls OR attribute_not_exists(loggedFeedSeq))'
              : 'feedSeq = :fs AND loggedFeedSeq = :ls',
          ExpressionAttributeValues: { ':fs': observed.feedSeq, ':ls': observed.loggedFeedSeq },
        }),
  });
  const headPut = ({ head, expectedRev }: HeadWrite): { Item: Item } & Condition => ({
    Item: {
      naturalKey: headItemKey(head.recordKey),
      itemType: 'RECORD',
      recordKey: head.recordKey,
      version: head.version,
      withdrawn: head.withdrawn,
      markerKeys: [...head.markerKeys],
      allMarkerKeys: [...head.allMarkerKeys],
      rev: head.rev,
    },
    ...expecting('rev', expectedRev),
  });
  const putsOf = (write: RecordWrite) => [
    ...write.markers.map(markerPut),
    ...(write.head ? [headPut(write.head)] : []),
  ];
  const checkOf = (check: ReadCheck): { Key: Item } & Condition =>
    check.kind === 'marker'
      ? { Key: { naturalKey: check.naturalKey }, ...expecting('feedSeq', check.feedSeq) }
      : { Key: { naturalKey: headItemKey(check.recordKey) }, ...expecting('rev', check.rev) };
  /** A record too large for one transaction: its puts one by one (markers first, the head last). */
  const commitOneByOne = async (write: RecordWrite): Promise<boolean> => {
    for (const { Item, ...condition } of putsOf(write))
      if (!(await conditionalPut(Item, condition))) return false;
    return true;
  };
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
    putMarker: (item, observed) => {
      const { Item, ...condition } = markerPut({ item, observed });
      return conditionalPut(Item, condition);
    },
    putHead: (head, expectedRev) => {
      const { Item, ...condition } = headPut({ head, expectedRev });
      return conditionalPut(Item, condition);
    },
    commit: async (writes) => {
      const groups: TransactGroup[] = writes.map((write) => ({
        actions: [
          ...putsOf(write).map((put) => ({
            key: String(put.Item.naturalKey),
            action: { Put: { TableName: tableName, ...put } },
          })),
          ...(write.checks ?? []).map(checkOf).map((check) => ({
            key: String(check.Key.naturalKey),
            action: { ConditionCheck: { TableName: tableName, ...check } },
          })),
        ],
      }));
      const together = groups.flatMap((g, i) => (fitsOneTransaction(g) ? [i] : []));
      const written = await transactWriteGroups(
        db,
        together.map((i) => groups[i] as TransactGroup),
        { concurrency: 4 },
      );
      for (const i of together)
        for (const { action } of (groups[i] as TransactGroup).actions)
          countWrite(counter, action.Put?.Item ?? action.ConditionCheck?.Key, { transactional: true });
      const out = writes.map((): CommitOutcome => 'lost');
      together.forEach((i, n) => {
        out[i] = written[n] === true ? 'confirmed' : 'lost';
      });
      const inTransactions = new Set(together);
      for (const [i, write] of writes.entries())
        if (!inTransactions.has(i)) out[i] = (await commitOneByOne(write)) ? 'written' : 'lost';
      return out;
    },
  };
};
