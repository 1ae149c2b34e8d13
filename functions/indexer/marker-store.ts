import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** Whether a write changed the index. `skipped`: the stored marker is as new or newer. */
export type UpsertOutcome = 'created' | 'updated' | 'skipped';

/** A marker to write: its attributes, its ordering `version` (sorts as text) and a hash of its content. */
export type MarkerWrite = {
  readonly naturalKey: string;
  readonly markerId: string;
  readonly version: string;
  readonly contentHash: string;
  readonly attributes: Readonly<Record<string, unknown>>;
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/**
 * The markers table, written only with single-item conditional updates: a marker is written when it is
 * new or when the update is newer (its `version` sorts later). A stale or repeated delivery therefore
 * never overwrites a newer marker, whatever order deliveries arrive in.
 */
export const createMarkerStore = (db: DynamoDBDocumentClient, tableName: string, now: () => string) => ({
  upsert: async (write: MarkerWrite): Promise<UpsertOutcome> => {
    const names: Record<string, string> = {
      '#naturalKey': 'naturalKey',
      '#version': 'version',
      '#contentHash': 'contentHash',
      '#markerId': 'markerId',
      '#createdAt': 'createdAt',
      '#updatedAt': 'updatedAt',
    };
    const values: Record<string, unknown> = {
      ':version': write.version,
      ':contentHash': write.contentHash,
      ':markerId': write.markerId,
      ':now': now(),
    };
    const sets = [
      '#version = :version',
      '#contentHash = :contentHash',
      '#markerId = if_not_exists(#markerId, :markerId)',
      '#createdAt = if_not_exists(#createdAt, :now)',
      '#updatedAt = :now',
    ];
    Object.entries(write.attributes).forEach(([key, value], i) => {
      if (value === undefined || key in { naturalKey: 1, version: 1, contentHash: 1, markerId: 1 }) return;
      names[`#a${i}`] = key;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    });
    try {
      const res = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { naturalKey: write.naturalKey },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#naturalKey) OR #version < :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return res.Attributes?.version === undefined ? 'created' : 'updated';
    } catch (error) {
      if (isConditionFailure(error)) return 'skipped';
      throw error;
    }
  },
});

export type MarkerStore = ReturnType<typeof createMarkerStore>;
