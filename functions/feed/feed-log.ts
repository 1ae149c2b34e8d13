import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedChange } from '../../schemas/feed/feed-change.ts';
import { batchGetItems, conditionalWrite } from '../shared/aws/dynamo.ts';
import { transactWriteGroups } from '../shared/aws/transact.ts';
import { countWrite, type WriteCounter } from '../shared/markers/write-counter.ts';

/** A change as the log holds it: the feed payload without its position. */
export type LoggedChange = Omit<FeedChange, 'seq'>;

/**
 * One position of the change log: a committed change (with the `feedSeq` of the marker state it is),
 * or VOID (claimed by a sequencer that died before writing it).
 */
export type LogEntry =
  | { readonly kind: 'CHANGE'; readonly change: LoggedChange; readonly markerSeq?: number }
  | { readonly kind: 'VOID' };

/**
 * The log's counter: every position up to `head` is written (a change or VOID) and readable; a
 * sequencer that holds a claim is writing `head+1 .. claimed` (claimed at `claimedAt`).
 */
export type LogHead = { readonly head: number; readonly claimed: number; readonly claimedAt?: string };

/**
 * The change log: numbered positions 1, 2, 3, … each written at most once (a single-item conditional
 * put, so whoever writes first decides it forever). Only the sequencer writes it: it claims a block of
 * positions after `head`, writes them, then moves `head` over them (functions/feed/sequence.ts).
 */
export type FeedLog = {
  /** The highest position readers may read (0 when none). */
  readonly head: () => Promise<number>;
  /** The counter with its claim (strongly consistent). */
  readonly getHead: () => Promise<LogHead>;
  /** Claims `at.head+1 .. upto` if the counter is still `at` with no claim open; false otherwise. */
  readonly claim: (at: LogHead, upto: number) => Promise<boolean>;
  /** Moves `head` to the end of the open claim `at.claimed` (all written); false if the counter moved. */
  readonly advance: (at: LogHead) => Promise<boolean>;
  /** Writes a position if empty; false when it was written already. */
  readonly put: (seq: number, entry: LogEntry) => Promise<boolean>;
  /** Writes many positions, each if empty (many a request): false for each written already. */
  readonly putBlock: (
    entries: readonly { readonly seq: number; readonly entry: LogEntry }[],
  ) => Promise<boolean[]>;
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

/** The change log in DynamoDB (the feed table): positions, the HEAD counter (with its claim) and named cursors. */
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
  const getHead = async (): Promise<LogHead> => {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: { seq: HEAD_KEY }, ConsistentRead: true }),
    );
    const head = Number(res.Item?.head ?? 0);
    return {
      head,
      claimed: Number(res.Item?.claimed ?? head),
      ...(res.Item?.claimedAt ? { claimedAt: String(res.Item.claimedAt) } : {}),
    };
  };
  /** An update of the HEAD item if it still holds `at`; false when it does not. */
  const updateHead = (at: LogHead, update: string, values: Record<string, unknown>) => {
    countWrite(counter, {});
    return conditionalWrite(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { seq: HEAD_KEY },
          UpdateExpression: update,
          // Single-item conditional writes are serialised: of two claims made on one counter state, one fails.
          ConditionExpression:
            '(attribute_not_exists(#head) OR #head = :h) AND (attribute_not_exists(claimed) OR claimed = :c)',
          ExpressionAttributeNames: { '#head': 'head' },
          ExpressionAttributeValues: { ':h': at.head, ':c': at.claimed, ...values },
        }),
      ),
    );
  };
  const entryItem = (seq: number, entry: LogEntry) =>
    entry.kind === 'CHANGE'
      ? {
          seq: seqKey(seq),
          kind: 'CHANGE',
          change: entry.change,
          ...(entry.markerSeq === undefined ? {} : { markerSeq: entry.markerSeq }),
        }
      : { seq: seqKey(seq), kind: 'VOID', voidedAt: now() };
  return {
    head: async () => (await getHead()).head,
    getHead,
    claim: (at, upto) =>
      at.claimed !== at.head
        ? Promise.resolve(false)
        : updateHead(at, 'SET #head = :h, claimed = :upto, claimedAt = :now', {
            ':upto': upto,
            ':now': now(),
          }),
    advance: (at) => updateHead(at, 'SET #head = :c REMOVE claimedAt', {}),
    put: (seq, entry) =>
      putIf({ Item: entryItem(seq, entry), ConditionExpression: 'attribute_not_exists(seq)' }),
    putBlock: (entries) => {
      const groups = entries.map(({ seq, entry }) => {
        const Item = entryItem(seq, entry);
        countWrite(counter, Item, { transactional: true });
        const action = {
          Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(seq)' },
        };
        return { actions: [{ key: Item.seq, action }] };
      });
      return transactWriteGroups(db, groups, { concurrency: 4 });
    },
    read: async (seqs) => {
      const items = await batchGetItems(
        db,
        tableName,
        seqs.map((s) => ({ seq: seqKey(s) })),
      );
      return new Map(
        items.map((item): [number, LogEntry] => [
          Number(item.seq),
          item.kind === 'CHANGE'
            ? {
                kind: 'CHANGE',
                change: item.change as LoggedChange,
                ...(item.markerSeq === undefined ? {} : { markerSeq: Number(item.markerSeq) }),
              }
            : { kind: 'VOID' },
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
