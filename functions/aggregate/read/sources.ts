import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type CanonicalRecord, CanonicalRecordSchema } from '../../../schemas/canonical/record.ts';
import type { UploadLedgerEntry } from '../../../schemas/canonical/upload-ledger.ts';
import { ORG_CODES } from '../../../schemas/common/organisations.ts';
import { gunzip } from '../../ingest/byte-source.ts';
import { decodeUtf8, splitLines } from '../../ingest/text-lines.ts';
import { queryItems, scanItems } from '../../shared/aws/dynamo.ts';
import { openObject } from '../../shared/aws/s3.ts';
import { MshtError } from '../../shared/errors.ts';
import { jsonSyntaxMessage, parseJsonText } from '../../shared/json-text.ts';
import type { Month } from '../month.ts';
import { MARKER_FACT_ATTRIBUTES, type MarkerFacts, MarkerFactsSchema } from './marker-facts.ts';

/**
 * Every ledger entry of a month, organisation by organisation through the `byOrg` index (paginated,
 * filtered on the period), so no table scan is needed.
 */
export const listMonthUploads = async (
  db: DynamoDBDocumentClient,
  table: string,
  month: Month,
): Promise<UploadLedgerEntry[]> => {
  const entries: UploadLedgerEntry[] = [];
  for (const org of ORG_CODES) {
    const items = queryItems(db, {
      TableName: table,
      IndexName: 'byOrg',
      KeyConditionExpression: 'org = :org',
      FilterExpression: '#period = :period',
      ExpressionAttributeNames: { '#period': 'period' },
      ExpressionAttributeValues: { ':org': org, ':period': month },
    });
    for await (const item of items) entries.push(item as UploadLedgerEntry);
  }
  return entries;
};

/**
 * Streams the canonical records of the given uploads' curated objects (gzip JSON Lines), one upload after
 * another, one line at a time: the month is never held in memory. A line that is not a valid canonical
 * record stops the run (the curated zone is ours; an invalid line means a bug or tampering).
 */
export async function* readCuratedRecords(
  s3: S3Client,
  bucket: string,
  uploads: readonly UploadLedgerEntry[],
): AsyncGenerator<CanonicalRecord> {
  for (const upload of uploads) {
    if (upload.curatedKey === undefined) continue;
    const bytes = await openObject(s3, bucket, upload.curatedKey);
    let lineNumber = 0;
    for await (const { line } of splitLines(decodeUtf8(gunzip(bytes)))) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      // Fixed messages naming the object and line only: the parsers' own would quote the record.
      const context = { key: upload.curatedKey, uploadId: upload.uploadId, line: lineNumber };
      const json = parseJsonText(line);
      if (!json.ok) {
        throw new MshtError(
          'CURATED_RECORD_INVALID',
          jsonSyntaxMessage(`Line ${lineNumber} of a curated object`, json),
          {
            context,
          },
        );
      }
      const parsed = CanonicalRecordSchema.safeParse(json.value);
      if (!parsed.success) {
        throw new MshtError(
          'CURATED_RECORD_INVALID',
          `Line ${lineNumber} of a curated object does not match the canonical schema`,
          { context },
        );
      }
      yield parsed.data;
    }
  }
}

/**
 * Streams the few attributes that the A8 tables use of the markers relevant to a month: derived from the
 * month's records, or reviewed or due for review in it (a paginated scan, filtered and projected, so only
 * those markers reach the function).
 */
export async function* scanMarkerFacts(
  db: DynamoDBDocumentClient,
  table: string,
  month: Month,
): AsyncGenerator<MarkerFacts> {
  const names: Record<string, string> = Object.fromEntries(
    MARKER_FACT_ATTRIBUTES.map((name, i) => [`#a${i}`, name]),
  );
  const alias = (attribute: string): string =>
    Object.entries(names).find(([, name]) => name === attribute)?.[0] ?? attribute;
  const items = scanItems(db, {
    TableName: table,
    ProjectionExpression: Object.keys(names).join(', '),
    FilterExpression:
      `${alias('period')} = :month OR begins_with(${alias('lastReviewedOn')}, :month) OR ` +
      `begins_with(${alias('reviewDueOn')}, :month)`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':month': month },
  });
  for await (const item of items) {
    const parsed = MarkerFactsSchema.safeParse(item);
    if (parsed.success && (parsed.data.itemType ?? 'MARKER') === 'MARKER') yield parsed.data;
  }
}
