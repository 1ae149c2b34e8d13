import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UploadCounts, UploadLedgerEntry, UploadStatus } from '../../schemas/index.ts';
import { isConditionalCheckFailed, queryItems } from './aws/dynamo.ts';

/**
 * The upload ledger: one DynamoDB item per upload holding its status and counts, written only with
 * single-item conditional writes so every step is safe to repeat (at-least-once delivery).
 */
export type Ledger = {
  readonly get: (uploadId: string) => Promise<UploadLedgerEntry | undefined>;
  /** Creates the entry; when it exists already (a repeated S3 event) returns the stored one instead. */
  readonly begin: (entry: UploadLedgerEntry) => Promise<{ created: boolean; entry: UploadLedgerEntry }>;
  readonly update: (uploadId: string, changes: Partial<UploadLedgerEntry>) => Promise<void>;
  /** Another completed upload of the same organisation with the same content, if any. */
  readonly findCompletedBySha256: (
    org: string,
    sha256: string,
    exceptUploadId: string,
  ) => Promise<UploadLedgerEntry | undefined>;
  /** Records the row counts of a fully queued upload and sets it QUEUED, leaving `counts.indexed` to the indexer. */
  readonly complete: (
    uploadId: string,
    counts: Omit<UploadCounts, 'indexed'>,
    extra: { curatedKey: string; completedAt: string },
  ) => Promise<void>;
  /**
   * Adds `count` indexed records for one message of the upload, once per `chunkId` however often it is
   * called: true when this call counted them, false when they were counted before.
   */
  readonly recordIndexed: (uploadId: string, chunkId: string, count: number) => Promise<boolean>;
  /** Moves QUEUED to INDEXED once every accepted record is indexed; a no-op otherwise. */
  readonly finishIfIndexed: (uploadId: string) => Promise<boolean>;
  readonly listByOrg: (org: string, limit?: number) => Promise<UploadLedgerEntry[]>;
};

const COMPLETED: readonly UploadStatus[] = ['QUEUED', 'INDEXED'];

/** Strips DynamoDB-only attributes from a stored item. */
const toEntry = (item: Record<string, unknown> | undefined): UploadLedgerEntry | undefined => {
  if (!item) return undefined;
  const { indexedChunks: _chunks, ...rest } = item;
  return rest as UploadLedgerEntry;
};

export const createLedger = (
  db: DynamoDBDocumentClient,
  tableName: string,
  now: () => string = () => new Date().toISOString(),
): Ledger => {
  const get: Ledger['get'] = async (uploadId) => {
    const res = await db.send(
      new GetCommand({ TableName: tableName, Key: { uploadId }, ConsistentRead: true }),
    );
    return toEntry(res.Item);
  };

  return {
    get,
    begin: async (entry) => {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: entry,
            ConditionExpression: 'attribute_not_exists(uploadId)',
          }),
        );
        return { created: true, entry };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const existing = await get(entry.uploadId);
        if (!existing) throw error;
        return { created: false, entry: existing };
      }
    },
    update: async (uploadId, changes) => {
      const entries = Object.entries(changes).filter(
        ([key, value]) => key !== 'uploadId' && value !== undefined,
      );
      if (entries.length === 0) return;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets = entries.map(([key, value], i) => {
        names[`#f${i}`] = key;
        values[`:v${i}`] = value;
        return `#f${i} = :v${i}`;
      });
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { uploadId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(uploadId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    },
    findCompletedBySha256: async (org, sha256, exceptUploadId) => {
      const items: UploadLedgerEntry[] = [];
      for await (const item of queryItems(db, {
        TableName: tableName,
        IndexName: 'bySha256',
        KeyConditionExpression: 'sha256 = :sha',
        ExpressionAttributeValues: { ':sha': sha256 },
      })) {
        items.push(toEntry(item) as UploadLedgerEntry);
      }
      return items
        .filter((e) => e.org === org && e.uploadId !== exceptUploadId && COMPLETED.includes(e.status))
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))[0];
    },
    complete: async (uploadId, counts, extra) => {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { uploadId },
          UpdateExpression:
            'SET #status = :queued, #counts.#rows = :rows, #counts.#accepted = :accepted, ' +
            '#counts.#warnings = :warnings, #counts.#rejected = :rejected, curatedKey = :curated, completedAt = :at',
          ConditionExpression: 'attribute_exists(uploadId)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#counts': 'counts',
            '#rows': 'rows',
            '#accepted': 'accepted',
            '#warnings': 'warnings',
            '#rejected': 'rejected',
          },
          ExpressionAttributeValues: {
            ':queued': 'QUEUED',
            ':rows': counts.rows,
            ':accepted': counts.accepted,
            ':warnings': counts.warnings,
            ':rejected': counts.rejected,
            ':curated': extra.curatedKey,
            ':at': extra.completedAt,
          },
        }),
      );
    },
    recordIndexed: async (uploadId, chunkId, count) => {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { uploadId },
            UpdateExpression: 'ADD #counts.#indexed :n, indexedChunks :chunk',
            ConditionExpression: 'attribute_exists(uploadId) AND NOT contains(indexedChunks, :chunkId)',
            ExpressionAttributeNames: { '#counts': 'counts', '#indexed': 'indexed' },
            ExpressionAttributeValues: { ':n': count, ':chunk': new Set([chunkId]), ':chunkId': chunkId },
          }),
        );
        return true;
      } catch (error) {
        // Already counted: this message was delivered before (SQS is at-least-once).
        if (!isConditionalCheckFailed(error)) throw error;
        const existing = await get(uploadId);
        if (!existing) throw new Error(`Upload ${uploadId} is not in the ledger`, { cause: error });
        return false;
      }
    },
    finishIfIndexed: async (uploadId) => {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { uploadId },
            UpdateExpression: 'SET #status = :indexed, indexedAt = :now',
            ConditionExpression: '#status = :queued AND #counts.#indexed >= #counts.#accepted',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#counts': 'counts',
              '#indexed': 'indexed',
              '#accepted': 'accepted',
            },
            ExpressionAttributeValues: { ':indexed': 'INDEXED', ':queued': 'QUEUED', ':now': now() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },
    listByOrg: async (org, limit = 50) => {
      const res = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byOrg',
          KeyConditionExpression: 'org = :org',
          ExpressionAttributeValues: { ':org': org },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (res.Items ?? []).map((item) => toEntry(item) as UploadLedgerEntry);
    },
  };
};

export type { UploadCounts };
