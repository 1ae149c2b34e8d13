import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import { batchGetItems, conditionalWrite } from '../shared/aws/dynamo.ts';
import { countWrite, type WriteCounter } from '../shared/markers/write-counter.ts';

/** A change as the log holds it: the feed payload without its position. */
export type LoggedChange = Omit<FeedChange, 'seq'>;

/** One position of the change log: a committed change, or VOID (allocated, then abandoned). */
export type LogEntry = { readonly kind: 'CHANGE'; readonly change: LoggedChange } | { readonly kind: 'VOID' };

/**
 * The change log: numbered positions 1, 2, 3, … each written at most once. `allocate` reserves
 * positions from an atomic counter; `put` writes a position only if it is still empty (a single-item
 * conditional write), so whoever writes first decides it forever.
 */
export type FeedLog = {
  /** Reserves `n` new positions and returns them in ascending order. */
  readonly allocate: (n: number) => Promise<number[]>;
  /** The highest position allocated so far (0 when none). */
  readonly head: () => Promise<number>;
  /** Writes a position if empty; false when it was written already. */
  readonly put: (seq: number, entry: LogEntry) => Promise<boolean>;
  /** Reads positions (strongly consistent); absent ones are missing from the map. */
  readonly read: (seqs: readonly number[]) => Promise<Map<number, LogEntry>>;
  /** A named consumer position kept beside the log (the push publisher's). */
  readonly getCursor: (name: string) => Promise<StoredCursor | undefined>;
  /** Moves a named cursor if it is still where `expected` says; false otherwise. */
  readonly setCursor: (
    name: string,
    next: StoredCursor,
    expected: StoredCursor | undefined,
  ) => Promise<boolean>;
};

/** A consumer cursor and, when it is stuck at a gap, since when. */
export type StoredCursor = { readonly cursor: number; readonly gapSeq?: number; readonly gapSince?: string };

/** Log positions are stored as zero-padded text so they sort as numbers (partition key `seq`, type S). */
export const seqKey = (seq: number): string => String(seq).padStart(16, '0');

const HEAD_KEY = 'HEAD';
const cursorKey = (name: string): string => `CURSOR#${name}`;

/** The change log in DynamoDB (the feed table): positions, the HEAD counter and named cursors. */
export const createDynamoFeedLog = (
  db: DynamoDBDocumentClient,
  tableName: string,
  now: () => string,
  counter?: WriteCounter,
): FeedLog => {
  /** Puts an item if its condition holds; false when it did not. */
  const putIf = async (input: Omit<ConstructorParameters<typeof PutCommand>[0], 'TableName'>) => {
    countWrite(counter, input.Item);
    return conditionalWrite(db.send(new PutCommand({ TableName: tableName, ...input })));
  };
  return {
    allocate: async (n) => {
      if (n <= 0) return [];
      countWrite(counter, {});
      const res = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { seq: HEAD_KEY },
          UpdateExpression: 'ADD #head :n SET allocatedAt = :now',
          ExpressionAttributeNames: { '#head': 'head' },
          ExpressionAttributeValues: { ':n': n, ':now': now() },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const last = Number(res.Attributes?.head);
      return Array.from({ length: n }, (_, i) => last - n + 1 + i);
    },
    head: async () => {
      const res = await db.send(
        new GetCommand({ TableName: tableName, Key: { seq: HEAD_KEY }, ConsistentRead: true }),
      );
      return Number(res.Item?.head ?? 0);
    },
    put: (seq, entry) =>
      putIf({
        Item:
          entry.kind === 'CHANGE'
            ? { seq: seqKey(seq), kind: 'CHANGE', change: entry.change }
            : { seq: seqKey(seq), kind: 'VOID', voidedAt: now() },
        ConditionExpression: 'attribute_not_exists(seq)',
      }),
    read: async (seqs) => {
      const items = await batchGetItems(
        db,
        tableName,
        seqs.map((s) => ({ seq: seqKey(s) })),
      );
      return new Map(
        items.map((item): [number, LogEntry] => [
          Number(item.seq),
          item.kind === 'CHANGE' ? { kind: 'CHANGE', change: item.change as LoggedChange } : { kind: 'VOID' },
        ]),
      );
    },
    getCursor: async (name) => {
      const res = await db.send(
        new GetCommand({ TableName: tableName, Key: { seq: cursorKey(name) }, ConsistentRead: true }),
      );
      if (!res.Item) return undefined;
      return {
        cursor: Number(res.Item.cursor),
        ...(res.Item.gapSeq === undefined
          ? {}
          : { gapSeq: Number(res.Item.gapSeq), gapSince: String(res.Item.gapSince) }),
      };
    },
    setCursor: (name, next, expected) =>
      putIf({
        Item: { seq: cursorKey(name), ...next },
        ...(expected
          ? {
              ConditionExpression:
                expected.gapSeq === undefined
                  ? '#c = :c AND attribute_not_exists(gapSeq)'
                  : '#c = :c AND gapSeq = :g',
              ExpressionAttributeNames: { '#c': 'cursor' },
              ExpressionAttributeValues: {
                ':c': expected.cursor,
                ...(expected.gapSeq === undefined ? {} : { ':g': expected.gapSeq }),
              },
            }
          : { ConditionExpression: 'attribute_not_exists(seq)' }),
      }),
  };
};

/**
 * Wraps a log so concurrent `allocate` calls share one counter write: calls made while a reservation
 * is in flight are served together by the next one. Positions stay unique and each caller's are
 * ascending; writers in one Lambda invocation pay about one counter write per round, not per change.
 */
export const coalescingAllocator = (log: FeedLog): FeedLog => {
  let waiting: { n: number; resolve: (s: number[]) => void; reject: (e: unknown) => void }[] = [];
  let inFlight = false;
  const flush = async (): Promise<void> => {
    if (inFlight || waiting.length === 0) return;
    inFlight = true;
    const batch = waiting;
    waiting = [];
    try {
      const seqs = await log.allocate(batch.reduce((t, w) => t + w.n, 0));
      let i = 0;
      for (const w of batch) {
        w.resolve(seqs.slice(i, i + w.n));
        i += w.n;
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      inFlight = false;
      void flush();
    }
  };
  return {
    ...log,
    allocate: (n) =>
      n <= 0
        ? Promise.resolve([])
        : new Promise((resolve, reject) => {
            waiting.push({ n, resolve, reject });
            queueMicrotask(() => void flush());
          }),
  };
};
