import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredMarker } from '../../schemas/index.ts';
import { scanItems } from '../shared/aws/dynamo.ts';
import { fromMarkerItem } from '../shared/markers/marker-item.ts';

/**
 * ACTIVE markers whose review date has come (`reviewDueOn` ≤ `today`): a paginated, filtered scan of the
 * markers table for the expiry pass (expire.ts). Eventually consistent: the pass re-reads a marker
 * strongly whenever its conditional write loses.
 */
export async function* scanDueMarkers(
  db: DynamoDBDocumentClient,
  tableName: string,
  today: string,
): AsyncGenerator<StoredMarker> {
  const items = scanItems(db, {
    TableName: tableName,
    FilterExpression: 'itemType = :marker AND #status = :active AND reviewDueOn <= :today',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':marker': 'MARKER', ':active': 'ACTIVE', ':today': today },
  });
  for await (const item of items) yield fromMarkerItem(item);
}
